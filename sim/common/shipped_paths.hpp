#pragma once
// Defaults such as configs/hw/default.yaml are found relative to the working directory first, then
// relative to the oasim source tree ($OASIM_HOME, else the tree this binary was built from).
#include <cstdlib>
#include <filesystem>
#include <string>

namespace oasim {

inline std::string resolve_shipped(const std::string& path) {
  namespace fs = std::filesystem;
  if (path.empty() || fs::exists(path) || fs::path(path).is_absolute()) return path;
  const char* home = std::getenv("OASIM_HOME");
  fs::path candidate = fs::path(home ? home : OASIM_SOURCE_DIR) / path;
  return fs::exists(candidate) ? candidate.string() : path;
}

}  // namespace oasim
