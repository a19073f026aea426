#pragma once
// Defaults such as configs/hw/default.yaml are found relative to the working directory first, then
// relative to the oasim source tree ($OASIM_HOME, else the tree this binary was built from).
#include <cstdlib>
#include <filesystem>
#include <string>

namespace oasim {

// Never throws: a path the OS refuses (too long, a component that is a file) counts as absent, and the
// reader that opens it later reports the error with the key that named it (found by fuzzing: a 300-byte
// path made std::filesystem::exists throw filesystem_error out of sweep expansion).
inline std::string resolve_shipped(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (path.empty() || fs::exists(path, ec) || fs::path(path).is_absolute()) return path;
  const char* home = std::getenv("OASIM_HOME");
  fs::path candidate = fs::path(home ? home : OASIM_SOURCE_DIR) / path;
  return fs::exists(candidate, ec) ? candidate.string() : path;
}

}  // namespace oasim
