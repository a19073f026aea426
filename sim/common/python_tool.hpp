#pragma once
// The one way oasim launches its Python tools (plots, the PyTorch reference benchmark): the interpreter is
// $OASIM_PYTHON, else the one found at build time (Debian's /usr/bin/python3, which has torch, h5py and
// matplotlib); scripts are found under $OASIM_HOME, else the source tree.
#include <string>
#include <vector>

namespace oasim {

std::string python_interpreter();

// Absolute path of a tool script given relative to the source tree ("workloads/python/plot_sweep.py").
std::string python_script(const std::string& relative);

struct PythonRun {
  int status = 0;             // the tool's exit code; -1 if it could not start or was killed
  std::string command;        // the command line, for messages
  std::string last_error;     // its last non-empty stderr line (a tool's one-line error, or a traceback's end)
  bool ok() const { return status == 0; }
};

// Runs the tool with `args` (no shell: any file name is safe). Its stdout passes through; its stderr is
// forwarded after it ends and its last line kept for the caller's message.
PythonRun run_python_tool(const std::string& relative_script, const std::vector<std::string>& args);

// Runs the tool and turns a failure into an InputError: a tool that exits 2 has printed "NAME: error: WHY",
// which becomes the message; otherwise "`what` failed (exit status N): LAST STDERR LINE".
void run_python_tool_or_fail(const std::string& relative_script, const std::vector<std::string>& args,
                             const std::string& what);

}  // namespace oasim
