#pragma once
// Non-throwing file-system queries for paths a user typed or a file named. std::filesystem's throwing forms
// raise filesystem_error on a path the OS refuses (ENAMETOOLONG, ENOTDIR, EACCES); such a path simply "is not
// there", and the caller's own message (naming the key or option) reports it.
#include <filesystem>
#include <string>

namespace oasim {

inline bool path_exists(const std::filesystem::path& p) {
  std::error_code ec;
  return std::filesystem::exists(p, ec);
}

inline bool is_folder(const std::filesystem::path& p) {
  std::error_code ec;
  return std::filesystem::is_directory(p, ec);
}

}  // namespace oasim
