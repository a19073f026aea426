#include "workloads/data/eval_config.hpp"

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <functional>
#include <map>
#include <set>

#include "sim/common/error.hpp"
#include "sim/common/yaml_file.hpp"

namespace oasim::config {
namespace {

// One setter per key; it returns "" on success or what was expected.
using Setter = std::function<std::string(EvalConfig&, const YAML::Node&)>;

template <typename T>
bool read_scalar(const YAML::Node& v, T& out) {
  if (!v.IsScalar()) return false;
  try {
    out = v.as<T>();
    return true;
  } catch (const YAML::Exception&) {
    return false;
  }
}


Setter integer(std::function<int&(EvalConfig&)> field, int lo, int hi) {
  return [field, lo, hi](EvalConfig& c, const YAML::Node& v) -> std::string {
    int x = 0;
    if (!read_scalar(v, x) || x < lo || x > hi) return fmt::format("an integer in [{}, {}]", lo, hi);
    field(c) = x;
    return "";
  };
}

Setter triple(std::function<std::array<float, 3>&(EvalConfig&)> field, bool positive) {
  return [field, positive](EvalConfig& c, const YAML::Node& v) -> std::string {
    const char* want = positive ? "a list of 3 positive numbers [r, g, b]" : "a list of 3 numbers [r, g, b]";
    if (!v.IsSequence() || v.size() != 3) return want;
    std::array<float, 3> a{};
    for (size_t i = 0; i < 3; ++i)
      if (!read_scalar(v[i], a[i]) || (positive && !(a[i] > 0))) return want;
    field(c) = a;
    return "";
  };
}

const std::map<std::string, Setter>& keys() {
  static const std::map<std::string, Setter> k = {
      {"name", [](EvalConfig& c, const YAML::Node& v) -> std::string {
         return read_scalar(v, c.name) ? "" : "a string";
       }},
      {"sampling.mode", [](EvalConfig& c, const YAML::Node& v) -> std::string {
         std::string s;
         if (!read_scalar(v, s) || (s != "dense" && s != "sparse" && s != "segment")) return "dense, sparse or segment";
         c.sampling.mode = data::parse_sampling_mode(s);
         return "";
       }},
      {"sampling.frames", integer([](EvalConfig& c) -> int& { return c.sampling.frames; }, 0, 4096)},
      {"sampling.stride", integer([](EvalConfig& c) -> int& { return c.sampling.stride; }, 1, 1000)},
      {"sampling.clips", integer([](EvalConfig& c) -> int& { return c.sampling.clips; }, 1, 100)},
      {"views.short_side", integer([](EvalConfig& c) -> int& { return c.views.short_side; }, 16, 8192)},
      {"views.crop", integer([](EvalConfig& c) -> int& { return c.views.crop; }, 16, 8192)},
      {"views.crops", integer([](EvalConfig& c) -> int& { return c.views.crops; }, 1, 10)},
      {"views.mean", triple([](EvalConfig& c) -> std::array<float, 3>& { return c.views.mean; }, false)},
      {"views.std", triple([](EvalConfig& c) -> std::array<float, 3>& { return c.views.std; }, true)},
      {"list.separator", [](EvalConfig& c, const YAML::Node& v) -> std::string {
         std::string s;
         if (!read_scalar(v, s) || (s != "auto" && s != "," && s != " " && s != "\t")) return "auto, \",\", \" \" or \"\\t\"";
         c.list_separator = s;
         return "";
       }},
      {"topk", integer([](EvalConfig& c) -> int& { return c.topk; }, 1, 100)},
  };
  return k;
}

void walk(const YAML::Node& node, const std::string& prefix, EvalConfig& c, const std::string& file,
          std::set<std::string>& seen) {
  for (auto it = node.begin(); it != node.end(); ++it) {
    const std::string key = prefix + it->first.as<std::string>();
    const int line = it->first.Mark().line + 1;
    const YAML::Node v = it->second;  // a copy: `it->` is a temporary (see hardware_config_io.cpp)
    if (v.IsMap()) {
      walk(v, key + ".", c, file, seen);
      continue;
    }
    auto k = keys().find(key);
    if (k == keys().end()) {
      std::string known;
      for (auto& [name, _] : keys()) known += (known.empty() ? "" : ", ") + name;
      fail_input("{}:{}: unknown eval key '{}' (known: {})", file, line, key, known);
    }
    if (!seen.insert(key).second) fail_input("{}:{}: key '{}' given twice", file, line, key);
    std::string expected = k->second(c, v);
    if (!expected.empty()) {
      std::string text = v.IsScalar() ? v.Scalar() : YAML::Dump(v);
      fail_input("{}:{}: key '{}' = '{}': expected {}", file, line, key, text, expected);
    }
  }
}

}  // namespace

EvalConfig default_eval_config() { return EvalConfig{}; }

void validate(const EvalConfig& c, const std::string& origin) {
  if (c.views.crop > c.views.short_side)
    fail_input("{}: views.crop = {} is larger than views.short_side = {}", origin, c.views.crop, c.views.short_side);
}

EvalConfig load_eval_config(const std::string& path) {
  const YAML::Node root = load_yaml_file(path, "eval config");  // missing, a directory, syntax: InputError
  if (!root.IsMap()) fail_input("{}: expected a mapping of eval keys at the top level", path);
  EvalConfig c = default_eval_config();
  c.source_file = path;
  std::set<std::string> seen;
  try {
    walk(root, "", c, path, seen);
  } catch (const YAML::Exception& e) {  // e.g. a key that is a list or a mapping
    fail_input("{}:{}: {}", path, e.mark.line + 1, e.msg);
  }
  validate(c, path);
  return c;
}

}  // namespace oasim::config
