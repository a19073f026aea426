#include "sim/sweep/sweep_spec.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <functional>
#include <map>
#include <set>

#include "sim/common/error.hpp"
#include "sim/common/h5_file.hpp"
#include "sim/common/shipped_paths.hpp"
#include "sim/common/yaml_file.hpp"
#include "models/components/hardware_config_io.hpp"
#include "models/components/param_table.hpp"
#include "sim/run/config_resolution.hpp"
#include "sim/run/run_metrics.hpp"
#include "workloads/quant/recipe.hpp"
#include "workloads/videomamba/model_file.hpp"
#include "sim/common/path_checks.hpp"

namespace oasim::sweep {
namespace {

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (auto& x : v) s += (s.empty() ? "" : ", ") + x;
  return s;
}

int line_of(const YAML::Node& n) { return n.Mark().line + 1; }

// Shortest text that reads back as the same number; integers without a decimal point.
std::string number_text(double v) {
  if (std::abs(v) < 9e15 && v == std::round(v)) return fmt::format("{}", static_cast<long long>(std::llround(v)));
  return fmt::format("{}", v);
}

double as_number(const YAML::Node& n, const std::string& file, const std::string& what) {
  if (!n.IsScalar()) fail_input("{}:{}: {}: expected a number", file, line_of(n), what);
  try {
    size_t used = 0;
    double v = std::stod(n.Scalar(), &used);
    if (used == n.Scalar().size() && std::isfinite(v)) return v;
  } catch (const std::exception&) {
  }
  fail_input("{}:{}: {} = '{}': expected a number", file, line_of(n), what, n.Scalar());
}

long as_integer(const YAML::Node& n, const std::string& file, const std::string& what, long lo, long hi) {
  double v = as_number(n, file, what);
  if (v != std::round(v) || v < lo || v > hi)
    fail_input("{}:{}: {} = '{}': expected an integer in [{}, {}]", file, line_of(n), what, n.Scalar(), lo, hi);
  return long(v);
}

std::string as_text(const YAML::Node& n, const std::string& file, const std::string& what) {
  if (!n.IsScalar()) fail_input("{}:{}: {}: expected a single value (text or number)", file, line_of(n), what);
  return n.Scalar();
}

void check_keys(const YAML::Node& map, const std::set<std::string>& allowed, const std::string& file,
                const std::string& where) {
  for (auto it = map.begin(); it != map.end(); ++it) {
    const std::string k = it->first.as<std::string>();
    if (!allowed.count(k))
      fail_input("{}:{}: unknown key '{}' {} (expected one of: {})", file, line_of(it->first), k, where,
                 join(std::vector<std::string>(allowed.begin(), allowed.end())));
  }
}

// An axis's values: a list, or a range {from, to, step} / {from, to, count, scale: linear|log}.
std::vector<std::string> axis_values(const YAML::Node& v, const std::string& file, const std::string& key) {
  std::vector<std::string> out;
  if (v.IsSequence()) {
    for (const auto& item : v) out.push_back(as_text(item, file, "axis '" + key + "' value"));
  } else if (v.IsMap()) {
    check_keys(v, {"from", "to", "step", "count", "scale"}, file, "in the range of axis '" + key + "'");
    if (!v["from"] || !v["to"])
      fail_input("{}:{}: axis '{}': a range needs 'from' and 'to' (and 'step', or 'count' with optional "
                 "'scale: linear|log')", file, line_of(v), key);
    const double from = as_number(v["from"], file, "axis '" + key + "' from");
    const double to = as_number(v["to"], file, "axis '" + key + "' to");
    if (v["step"] && v["count"])
      fail_input("{}:{}: axis '{}': give 'step' or 'count', not both", file, line_of(v), key);
    if (v["step"]) {
      const double step = as_number(v["step"], file, "axis '" + key + "' step");
      if (step == 0 || (to - from) / step < 0)
        fail_input("{}:{}: axis '{}': step {} never reaches 'to' = {} from {}", file, line_of(v["step"]), key,
                   number_text(step), number_text(to), number_text(from));
      const long n = long(std::floor((to - from) / step + 1e-9)) + 1;
      if (n > 100000) fail_input("{}:{}: axis '{}': {} values is more than 100000", file, line_of(v), key, n);
      for (long i = 0; i < n; ++i) out.push_back(number_text(from + i * step));
    } else {
      if (!v["count"]) fail_input("{}:{}: axis '{}': a range needs 'step' or 'count'", file, line_of(v), key);
      const long n = as_integer(v["count"], file, "axis '" + key + "' count", 1, 100000);
      std::string scale = v["scale"] ? as_text(v["scale"], file, "axis '" + key + "' scale") : "linear";
      if (scale != "linear" && scale != "log")
        fail_input("{}:{}: axis '{}': scale = '{}': expected linear or log", file, line_of(v["scale"]), key, scale);
      if (scale == "log" && (from <= 0 || to <= 0))
        fail_input("{}:{}: axis '{}': a log range needs positive 'from' and 'to'", file, line_of(v), key);
      for (long i = 0; i < n; ++i) {
        const double f = n == 1 ? 0.0 : double(i) / double(n - 1);
        const double x = scale == "log" ? from * std::pow(to / from, f) : from + (to - from) * f;
        // Round to 6 significant digits: values go into file names, tables and plots.
        out.push_back(number_text(std::stod(fmt::format("{:.6g}", x))));
      }
    }
  } else {
    fail_input("{}:{}: axis '{}': expected a list of values or a range mapping {{from, to, step}}", file,
               line_of(v), key);
  }
  if (out.empty()) fail_input("{}:{}: axis '{}' has no values", file, line_of(v), key);
  std::set<std::string> uniq(out.begin(), out.end());
  if (uniq.size() != out.size()) fail_input("{}:{}: axis '{}' repeats a value", file, line_of(v), key);
  return out;
}

bool is_run_setting(const std::string& key) { return run::find_run_setting(key) != nullptr; }

}  // namespace

std::string SweepPoint::id() const { return fmt::format("p{:04d}", index); }

RunSettings sweep_default_settings() {
  RunSettings r;
  r.data_seed = 1;
  return r;
}

const std::vector<std::string>& known_metrics() {
  static const std::vector<std::string> m = run::run_metric_names();  // the one metrics table
  return m;
}

namespace {
SweepSpec parse_sweep(const YAML::Node& root, const std::string& path);
}

SweepSpec load_sweep(const std::string& path) {
  const YAML::Node root = load_yaml_file(path, "sweep file");
  try {
    return parse_sweep(root, path);
  } catch (const YAML::Exception& e) {  // e.g. a key that is a list or a mapping (found by fuzzing)
    fail_input("{}:{}: {}", path, e.mark.line + 1, e.msg);
  }
}

namespace {
SweepSpec parse_sweep(const YAML::Node& root, const std::string& path) {
  if (!root.IsMap())
    fail_input("{}: expected a mapping with keys name, base, axes, combine, seeds, metrics, objectives", path);
  check_keys(root, {"name", "base", "axes", "combine", "seeds", "metrics", "objectives"}, path, "at the top level");

  SweepSpec s;
  s.path = path;
  s.name = root["name"] ? as_text(root["name"], path, "name") : std::filesystem::path(path).stem().string();

  if (const YAML::Node base = root["base"]) {
    if (!base.IsMap()) fail_input("{}:{}: 'base' must be a mapping of run settings", path, line_of(base));
    const std::vector<std::string> keys = run::run_setting_keys();
    std::set<std::string> allowed(keys.begin(), keys.end());
    allowed.insert("set");
    check_keys(base, allowed, path, "under 'base'");
    for (auto it = base.begin(); it != base.end(); ++it) {
      const std::string k = it->first.as<std::string>();
      if (k == "set") continue;
      run::set_run_setting(s.base, k, as_text(it->second, path, "base." + k),
                      fmt::format("{}:{}", path, line_of(it->first)));
    }
    if (const YAML::Node sets = base["set"]) {
      if (!sets.IsMap()) fail_input("{}:{}: 'base.set' must be a mapping of hardware keys to values", path, line_of(sets));
      for (auto it = sets.begin(); it != sets.end(); ++it) {
        const std::string k = it->first.as<std::string>();
        if (!config::find_param(k))
          fail_input("{}:{}: base.set: unknown hardware key '{}' (run `oasim describe` for the list)", path,
                     line_of(it->first), k);
        s.base_sets.emplace_back(k, as_text(it->second, path, "base.set." + k));
      }
    }
  }

  const YAML::Node axes = root["axes"];
  if (!axes) fail_input("{}: no 'axes': a sweep needs at least one axis (key: [values])", path);
  if (!axes.IsMap() || axes.size() == 0)
    fail_input("{}:{}: 'axes' must be a non-empty mapping of keys to value lists or ranges", path, line_of(axes));
  std::set<std::string> seen;
  for (auto it = axes.begin(); it != axes.end(); ++it) {
    Axis a;
    a.key = it->first.as<std::string>();
    a.line = line_of(it->first);
    if (!config::find_param(a.key) && !is_run_setting(a.key))
      fail_input("{}:{}: unknown axis '{}': expected a hardware key (run `oasim describe`) or a run setting ({})",
                 path, a.line, a.key, join(run::run_setting_keys()));
    if (!seen.insert(a.key).second) fail_input("{}:{}: axis '{}' is given twice", path, a.line, a.key);
    for (auto& [k, v] : s.base_sets)
      if (k == a.key) fail_input("{}:{}: axis '{}' is also fixed under base.set", path, a.line, a.key);
    a.values = axis_values(it->second, path, a.key);
    s.axes.push_back(std::move(a));
  }

  if (const YAML::Node c = root["combine"]) {
    const std::string v = as_text(c, path, "combine");
    if (v == "cartesian") s.combine = Combine::Cartesian;
    else if (v == "zip") s.combine = Combine::Zip;
    else fail_input("{}:{}: combine = '{}': expected cartesian or zip", path, line_of(c), v);
  }
  if (s.combine == Combine::Zip)
    for (auto& a : s.axes)
      if (a.values.size() != s.axes[0].values.size())
        fail_input("{}:{}: combine: zip needs axes of equal length; '{}' has {} values, '{}' has {}", path, a.line,
                   a.key, a.values.size(), s.axes[0].key, s.axes[0].values.size());

  if (const YAML::Node seeds = root["seeds"]) {
    s.seeds.clear();
    if (seeds.IsSequence()) {
      for (const auto& v : seeds) s.seeds.push_back(uint64_t(as_integer(v, path, "seeds", 1, 1000000000000000L)));
    } else if (seeds.IsMap()) {
      check_keys(seeds, {"count", "first"}, path, "under 'seeds'");
      if (!seeds["count"]) fail_input("{}:{}: seeds: expected a list or {{count: N, first: 1}}", path, line_of(seeds));
      const long n = as_integer(seeds["count"], path, "seeds.count", 1, 10000);
      const long first = seeds["first"] ? as_integer(seeds["first"], path, "seeds.first", 1, 1000000000000L) : 1;
      for (long i = 0; i < n; ++i) s.seeds.push_back(uint64_t(first + i));
    } else {
      fail_input("{}:{}: seeds: expected a list of seeds or {{count: N}}", path, line_of(seeds));
    }
    if (s.seeds.empty()) fail_input("{}:{}: seeds: the list is empty", path, line_of(seeds));
    if (std::set<uint64_t>(s.seeds.begin(), s.seeds.end()).size() != s.seeds.size())
      fail_input("{}:{}: seeds: a seed is repeated", path, line_of(seeds));
  }

  if (const YAML::Node m = root["metrics"]) {
    if (!m.IsSequence() || m.size() == 0) fail_input("{}:{}: metrics: expected a non-empty list", path, line_of(m));
    for (const auto& v : m) {
      const std::string name = as_text(v, path, "metrics");
      bool ok = false;
      for (auto& k : known_metrics()) ok |= k == name;
      if (!ok) fail_input("{}:{}: unknown metric '{}' (known: {})", path, line_of(v), name, join(known_metrics()));
      s.metrics.push_back(name);
    }
  } else {
    s.metrics = known_metrics();
  }

  if (const YAML::Node o = root["objectives"]) {
    if (!o.IsMap() || o.size() == 0)
      fail_input("{}:{}: objectives: expected a mapping METRIC: max|min, e.g. {{optical_top1: max, area_mm2: min}}", path,
                 line_of(o));
    for (const auto& kv : o) {
      const std::string metric = as_text(kv.first, path, "objectives");
      const std::string goal = as_text(kv.second, path, "objectives: " + metric);
      if (std::find(s.metrics.begin(), s.metrics.end(), metric) == s.metrics.end())
        fail_input("{}:{}: objectives: '{}' is not a metric of this sweep (metrics: {})", path, line_of(kv.first), metric,
                   join(s.metrics));
      if (goal != "max" && goal != "min")
        fail_input("{}:{}: objectives: {} = '{}': expected max or min", path, line_of(kv.second), metric, goal);
      s.objectives.push_back({metric, goal == "max"});
    }
  }
  return s;
}

}  // namespace

std::vector<SweepPoint> expand_points(const SweepSpec& spec) {
  // Design points: cartesian (last axis fastest) or zipped.
  std::vector<std::vector<size_t>> designs;
  if (spec.combine == Combine::Zip) {
    for (size_t i = 0; i < spec.axes[0].values.size(); ++i) designs.push_back(std::vector<size_t>(spec.axes.size(), i));
  } else {
    size_t total = 1;
    for (auto& a : spec.axes) {
      total *= a.values.size();
      if (total > 1000000) fail_input("{}: the axes make more than 1,000,000 points", spec.path);
    }
    for (size_t d = 0; d < total; ++d) {
      std::vector<size_t> idx(spec.axes.size());
      size_t rest = d;
      for (size_t a = spec.axes.size(); a-- > 0;) {
        idx[a] = rest % spec.axes[a].values.size();
        rest /= spec.axes[a].values.size();
      }
      designs.push_back(idx);
    }
  }

  std::map<std::string, config::HardwareConfig> base_configs;  // parsed once per hardware file
  std::set<std::string> checked_models;
  std::vector<SweepPoint> points;
  for (size_t d = 0; d < designs.size(); ++d) {
    SweepPoint proto;
    proto.design = long(d);
    proto.run = spec.base;
    proto.sets = spec.base_sets;
    for (size_t a = 0; a < spec.axes.size(); ++a) {
      const Axis& ax = spec.axes[a];
      const std::string& v = ax.values[designs[d][a]];
      proto.values.emplace_back(ax.key, v);
      if (is_run_setting(ax.key))
        run::set_run_setting(proto.run, ax.key, v, fmt::format("{}:{}: axis", spec.path, ax.line));
      else
        proto.sets.emplace_back(ax.key, v);
    }
    // Validate the point before anything runs: files exist, every key and value fits, cross-key rules.
    const std::string hw_path = resolve_shipped(proto.run.hw);
    if (!path_exists(hw_path))
      fail_input("{}: hardware config '{}' does not exist (design point {})", spec.path, proto.run.hw, d);
    const std::string model_path = resolve_shipped(proto.run.model);
    if (!path_exists(model_path))
      fail_input("{}: model '{}' does not exist (design point {})", spec.path, proto.run.model, d);
    if (checked_models.insert(model_path).second) {  // its format and architecture, as `oasim run` reads them
      try {
        videomamba::read_model_config(h5::Reader(model_path));
      } catch (const InputError& e) {
        fail_input("{}: model of design point {}: {}", spec.path, d, e.what());
      }
    }
    const std::string& data = proto.run.data;
    if (data != "mfm:test" && data != "mfm:train" && data != "random" && !path_exists(data))
      fail_input("{}: data '{}': expected mfm:test, mfm:train, random or an existing .h5 clip file", spec.path, data);
    if (!proto.run.recipe.empty()) {
      const std::string rp = resolve_shipped(proto.run.recipe);
      if (!path_exists(rp))
        fail_input("{}: recipe '{}' does not exist (design point {})", spec.path, proto.run.recipe, d);
      quant::load_recipe(rp);  // parse errors now, not half-way through the sweep
    }
    if (proto.run.stream_frames > 0 && data != "mfm:test" && data != "mfm:train")
      fail_input("{}: stream_frames needs Moving Fashion-MNIST data (mfm:test), got '{}'", spec.path, data);
    auto it = base_configs.find(hw_path);
    if (it == base_configs.end()) it = base_configs.emplace(hw_path, config::load_hardware_config(hw_path)).first;
    std::string where = fmt::format("{}: design point {} (", spec.path, d);
    for (size_t i = 0; i < proto.values.size(); ++i)
      where += fmt::format("{}{}={}", i ? ", " : "", proto.values[i].first, proto.values[i].second);
    where += ")";
    // The config the point's `oasim run` will resolve, resolved the same way (file < recipe < overrides).
    run::ConfigSources src;
    src.base = &it->second;
    src.base_origin = hw_path;
    quant::Recipe recipe;
    if (!proto.run.recipe.empty()) {
      recipe = quant::load_recipe(resolve_shipped(proto.run.recipe));
      src.recipe = &recipe;
      src.recipe_origin = where + " recipe " + proto.run.recipe;
    }
    src.sets = proto.sets;
    src.sets_origin = where;
    run::resolve_hardware_config(src);

    for (uint64_t seed : spec.seeds) {
      SweepPoint p = proto;
      p.seed = seed;
      p.index = long(points.size());
      points.push_back(std::move(p));
    }
  }
  return points;
}

std::string sweep_fingerprint(const SweepSpec& spec, const std::vector<SweepPoint>& points) {
  // FNV-1a over a canonical text of every point's inputs: enough to tell two sweeps apart.
  std::string text = spec.name;
  for (auto& m : spec.metrics) text += "|" + m;
  for (auto& p : points) {
    text += fmt::format("\n{} {} {} {} {} {} {} {} {} {} {} {}", p.index, p.seed, p.run.hw, p.run.model, p.run.data,
                        p.run.clips, p.run.frames, p.run.calib_clips, p.run.data_seed, p.run.recipe,
                        p.run.stream_frames, p.run.window);
    // Settings added after the first sweeps enter the text only when not at their default, so the
    // fingerprints of existing results folders (and their resume) do not change.
    if (p.run.fps != RunSettings().fps) text += fmt::format(" fps={}", p.run.fps);
    for (auto& [k, v] : p.sets) text += " " + k + "=" + v;
  }
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : text) h = (h ^ c) * 1099511628211ULL;
  return fmt::format("{:016x}", h);
}

}  // namespace oasim::sweep
