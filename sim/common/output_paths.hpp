#pragma once
// Checks of where a command will write, made before any work runs: a run must not compute for minutes and
// then fail to write (or fail with "internal error" because the path is a directory).
#include <string>

namespace oasim {

// A folder to write into (`what` names the flag, e.g. "--out"): created if missing; InputError if it is a
// file, or it cannot be created or written to.
void ensure_output_dir(const std::string& dir, const std::string& what);

// A file to write (`what` names the flag): InputError if it is a directory, or its folder does not exist or
// cannot be written to.
void check_output_file(const std::string& path, const std::string& what);

}  // namespace oasim
