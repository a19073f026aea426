#include "models/components/hardware_config_io.hpp"

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <map>
#include <set>

#include "sim/common/error.hpp"
#include "sim/common/yaml_file.hpp"
#include "models/components/param_table.hpp"
#include "models/components/component.hpp"

namespace oasim::config {
namespace {

// Keys directly under a prefix ("adc." -> bits, count, ...), for "did you mean" help.
std::string keys_under(const std::string& prefix) {
  std::set<std::string> names;
  for (auto& p : hardware_params()) {
    if (p.key.rfind(prefix, 0) != 0) continue;
    std::string rest = p.key.substr(prefix.size());
    names.insert(rest.substr(0, rest.find('.')));
  }
  std::string s;
  for (auto& n : names) s += (s.empty() ? "" : ", ") + n;
  return s;
}

bool is_section(const std::string& key) {
  for (auto& p : hardware_params())
    if (p.key.rfind(key + ".", 0) == 0) return true;
  return false;
}

void walk(const YAML::Node& node, const std::string& prefix, HardwareConfig& c, const std::string& file,
          std::set<std::string>& seen) {
  for (auto it = node.begin(); it != node.end(); ++it) {
    // Copies, not references: `it->` is a temporary (yaml-cpp's iterator value), found by the fuzzer (ASan
    // stack-use-after-scope in Node::Mark()).
    const YAML::Node k = it->first;
    const YAML::Node v = it->second;
    const int line = k.Mark().line + 1;
    std::string key = prefix + k.as<std::string>();
    if (!seen.insert(key).second) fail_input("{}:{}: key '{}' is given twice", file, line, key);
    if (is_section(key)) {
      if (!v.IsMap())
        fail_input("{}:{}: '{}' is a section; expected a mapping of its keys ({})", file, line, key,
                   keys_under(key + "."));
      walk(v, key + ".", c, file, seen);
      continue;
    }
    const ParamSpec* spec = find_param(key);
    if (!spec && replaced_key(key)) fail_input("{}:{}: key '{}' {}", file, line, key, replaced_key(key));
    if (!spec)
      fail_input("{}:{}: unknown key '{}' (keys {}: {})", file, line, key,
                 prefix.empty() ? "at the top level" : "under '" + prefix.substr(0, prefix.size() - 1) + "'",
                 keys_under(prefix));
    if (!v.IsScalar())
      fail_input("{}:{}: key '{}': expected {}, found a {}", file, line, key, spec->expected(),
                 v.IsMap() ? "mapping" : v.IsSequence() ? "list" : "null");
    std::string text = v.Scalar();
    std::string expected = spec->set(c, text);
    if (!expected.empty())
      fail_input("{}:{}: key '{}' = '{}': expected {}{}", file, line, key, text, expected,
                 spec->unit.empty() ? "" : " (" + spec->unit + ")");
  }
}

}  // namespace

namespace {

HardwareConfig from_yaml_root(const YAML::Node& root, const std::string& origin) {
  if (!root.IsMap()) fail_input("{}: expected a mapping of config keys at the top level", origin);
  HardwareConfig c;
  std::set<std::string> seen;
  try {
    walk(root, "", c, origin, seen);
  } catch (const YAML::Exception& e) {  // e.g. a key that is a list or a mapping (found by fuzzing)
    fail_input("{}:{}: {}", origin, e.mark.line + 1, e.msg);
  }
  validate(c, origin);
  return c;
}

}  // namespace

HardwareConfig load_hardware_config(const std::string& path) {
  HardwareConfig c = from_yaml_root(load_yaml_file(path, "hardware config"), path);
  c.source_file = path;
  return c;
}

HardwareConfig parse_hardware_config_text(const std::string& text, const std::string& origin) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    fail_input("{}:{}: YAML syntax error: {}", origin, e.mark.line + 1, e.msg);
  }
  HardwareConfig c = from_yaml_root(root, origin);
  c.source_file = origin;
  return c;
}

void set_hardware_param(HardwareConfig& c, const std::string& key, const std::string& value,
                        const std::string& origin) {
  const ParamSpec* spec = find_param(key);
  if (!spec && replaced_key(key)) fail_input("{}: hardware key '{}' {}", origin, key, replaced_key(key));
  if (!spec) fail_input("{}: unknown hardware key '{}' (run `oasim describe` for the list)", origin, key);
  std::string expected = spec->set(c, value);
  if (!expected.empty()) fail_input("{}: key '{}' = '{}': expected {}", origin, key, value, expected);
}

void apply_sets(HardwareConfig& c, const std::vector<std::string>& sets) {
  for (auto& s : sets) {
    auto eq = s.find('=');
    if (eq == std::string::npos) fail_input("--set '{}': expected KEY=VALUE", s);
    set_hardware_param(c, s.substr(0, eq), s.substr(eq + 1));
  }
}

void validate(const HardwareConfig& c, const std::string& origin) {
  hw::Checks checks;
  for (const hw::Component* comp : hw::components()) comp->check(c, checks);
  if (!checks.errors.empty()) fail_input("{}: {}", origin, checks.errors.front());
}

std::vector<std::string> realizability_warnings(const HardwareConfig& c) {
  hw::Checks checks;
  for (const hw::Component* comp : hw::components()) comp->check(c, checks);
  return checks.warnings;
}

std::string to_yaml(const HardwareConfig& c) {
  // Emit in table order, opening a section whenever the prefix changes.
  std::string out, section;
  for (auto& p : hardware_params()) {
    auto dot = p.key.find('.');
    std::string sec = dot == std::string::npos ? "" : p.key.substr(0, dot);
    std::string leaf = dot == std::string::npos ? p.key : p.key.substr(dot + 1);
    if (sec != section) {
      section = sec;
      if (!sec.empty()) out += sec + ":\n";
    }
    out += (sec.empty() ? "" : "  ") + leaf + ": " + p.get(c) + "\n";
  }
  return out;
}

}  // namespace oasim::config
