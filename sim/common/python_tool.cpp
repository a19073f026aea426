#include "sim/common/python_tool.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "sim/common/error.hpp"

extern char** environ;

namespace oasim {

std::string python_interpreter() {
  const char* py = std::getenv("OASIM_PYTHON");
  return py && *py ? py : OASIM_PYTHON;
}

std::string python_script(const std::string& relative) {
  const char* home = std::getenv("OASIM_HOME");
  return (std::filesystem::path(home && *home ? home : OASIM_SOURCE_DIR) / relative).string();
}

PythonRun run_python_tool(const std::string& relative_script, const std::vector<std::string>& args) {
  PythonRun r;
  std::vector<std::string> argv = {python_interpreter(), python_script(relative_script)};
  argv.insert(argv.end(), args.begin(), args.end());
  for (auto& a : argv) r.command += (r.command.empty() ? "" : " ") + a;

  char tmpl[] = "/tmp/oasim-python-stderr-XXXXXX";
  const int err_fd = mkstemp(tmpl);
  if (err_fd < 0) {
    r.status = -1;
    r.last_error = "cannot create a temporary file for its messages";
    return r;
  }
  unlink(tmpl);  // anonymous: gone when closed
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, err_fd, STDERR_FILENO);
  std::vector<char*> cargv;
  for (auto& a : argv) cargv.push_back(a.data());
  cargv.push_back(nullptr);
  std::fflush(stdout);
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, cargv[0], &actions, nullptr, cargv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    close(err_fd);
    r.status = -1;
    r.last_error = fmt::format("cannot start '{}' (set OASIM_PYTHON to a python3 with its packages)", argv[0]);
    return r;
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;

  std::string text;
  lseek(err_fd, 0, SEEK_SET);
  char buf[4096];
  for (ssize_t n; (n = read(err_fd, buf, sizeof(buf))) > 0;) text.append(buf, size_t(n));
  close(err_fd);
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);)
    if (line.find_first_not_of(" \t\r") != std::string::npos) r.last_error = line;
  if (r.ok()) std::fputs(text.c_str(), stderr);  // warnings and progress of a successful run
  return r;
}

void run_python_tool_or_fail(const std::string& relative_script, const std::vector<std::string>& args,
                             const std::string& what) {
  const PythonRun r = run_python_tool(relative_script, args);
  if (r.ok()) return;
  const std::string marker = ": error: ";
  const auto at = r.last_error.find(marker);
  if (r.status == 2 && at != std::string::npos) fail_input("{}", r.last_error.substr(at + marker.size()));
  fail_input("{} failed (exit status {}): {} [{}]", what, r.status, r.last_error, r.command);
}

}  // namespace oasim
