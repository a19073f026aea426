#pragma once
// Reading a YAML file at the edge: a missing file, a syntax error (with its line) or an unreadable file
// is an InputError naming `what` ("hardware config", "sweep file", "recipe") and the file.
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <string>

#include "sim/common/error.hpp"
#include "sim/common/path_checks.hpp"

namespace oasim {

inline YAML::Node load_yaml_file(const std::string& path, const std::string& what) {
  if (!path_exists(path)) fail_input("cannot open {} '{}': no such file", what, path);
  if (is_folder(path)) fail_input("cannot open {} '{}': it is a directory, expected a YAML file", what, path);
  try {
    return YAML::LoadFile(path);
  } catch (const YAML::ParserException& e) {
    fail_input("{}:{}: YAML syntax error: {}", path, e.mark.line + 1, e.msg);
  } catch (const YAML::Exception& e) {
    fail_input("cannot read {} '{}': {}", what, path, e.what());
  }
}

}  // namespace oasim
