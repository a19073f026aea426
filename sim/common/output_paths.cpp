#include "sim/common/output_paths.hpp"

#include <unistd.h>

#include <filesystem>
#include <system_error>

#include "sim/common/error.hpp"

namespace oasim {
namespace fs = std::filesystem;

void ensure_output_dir(const std::string& dir, const std::string& what) {
  std::error_code ec;
  if (fs::exists(dir, ec) && !fs::is_directory(dir, ec))
    fail_input("{} '{}' is a file, expected a folder (or a path where one can be created)", what, dir);
  fs::create_directories(dir, ec);
  if (ec) fail_input("{} '{}': cannot create the folder: {}", what, dir, ec.message());
  if (access(dir.c_str(), W_OK | X_OK) != 0) fail_input("{} '{}': the folder is not writable", what, dir);
}

void check_output_file(const std::string& path, const std::string& what) {
  std::error_code ec;
  if (path.empty()) fail_input("{}: empty file name", what);
  if (fs::is_directory(path, ec)) fail_input("{} '{}' is a directory, expected a file name", what, path);
  fs::path parent = fs::path(path).parent_path();
  if (parent.empty()) parent = ".";
  if (!fs::is_directory(parent, ec))
    fail_input("{} '{}': the folder '{}' does not exist", what, path, parent.string());
  if (access(parent.c_str(), W_OK | X_OK) != 0)
    fail_input("{} '{}': the folder '{}' is not writable", what, path, parent.string());
}

}  // namespace oasim
