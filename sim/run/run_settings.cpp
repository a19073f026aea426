#include "sim/run/run_settings.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <cstdlib>

#include "sim/common/error.hpp"

namespace oasim::run {
namespace {

std::string num(double v) { return fmt::format("{}", v); }

bool parse_integer(const std::string& t, long& v) {
  const char* end = t.data() + t.size();
  auto [p, ec] = std::from_chars(t.data(), end, v);
  return !t.empty() && ec == std::errc() && p == end;
}

}  // namespace

const std::vector<RunSettingSpec>& run_settings() {
  using R = RunSettings;
  static const std::vector<RunSettingSpec> table = {
      {"hw", "--hw", SettingType::Path, 0, 0, "hardware config (YAML)", [](const R& r) { return r.hw; },
       [](R& r, const std::string& v) { r.hw = v; }, [](const R&) { return true; }},
      {"model", "--model,-m", SettingType::Path, 0, 0, "oasim model file (.h5)", [](const R& r) { return r.model; },
       [](R& r, const std::string& v) { r.model = v; }, [](const R&) { return true; }},
      {"data", "--data,-d", SettingType::Text, 0, 0, "clips: mfm:test | mfm:train | random | FILE.h5",
       [](const R& r) { return r.data; }, [](R& r, const std::string& v) { r.data = v; }, [](const R&) { return true; }},
      {"clips", "--clips,-n", SettingType::Integer, 1, 10000000, "clips to evaluate",
       [](const R& r) { return std::to_string(r.clips); }, [](R& r, const std::string& v) { r.clips = std::stol(v); },
       [](const R&) { return true; }},
      {"frames", "--frames", SettingType::Integer, 0, 1000000, "frames per clip (0: the model's num_frames)",
       [](const R& r) { return std::to_string(r.frames); }, [](R& r, const std::string& v) { r.frames = std::stol(v); },
       [](const R& r) { return r.frames > 0; }},
      {"calib_clips", "--calib-clips", SettingType::Integer, 1, 10000, "calibration clips for static scales",
       [](const R& r) { return std::to_string(r.calib_clips); },
       [](R& r, const std::string& v) { r.calib_clips = std::stol(v); }, [](const R&) { return true; }},
      {"data_seed", "--data-seed", SettingType::Seed, 0, 0, "seed of the generated clips (0: the run seed)",
       [](const R& r) { return std::to_string(r.data_seed); },
       [](R& r, const std::string& v) { r.data_seed = std::stoull(v); }, [](const R& r) { return r.data_seed != 0; }},
      {"recipe", "--recipe", SettingType::Path, 0, 0,
       "quantization recipe (YAML, configs/recipes/; docs/recipes.md; 'none' in sweeps)",
       [](const R& r) { return r.recipe; }, [](R& r, const std::string& v) { r.recipe = v == "none" ? "" : v; },
       [](const R& r) { return !r.recipe.empty(); }},
      {"stream_frames", "--stream-frames", SettingType::Integer, 0, 10000000,
       "also run one long stream of N frames: accuracy per window and state error vs fp32 per frame (0: none)",
       [](const R& r) { return std::to_string(r.stream_frames); },
       [](R& r, const std::string& v) { r.stream_frames = std::stol(v); },
       [](const R& r) { return r.stream_frames > 0; }},
      {"window", "--window", SettingType::Integer, 1, 1000000, "frames per accuracy window of --stream-frames",
       [](const R& r) { return std::to_string(r.window); }, [](R& r, const std::string& v) { r.window = std::stol(v); },
       [](const R& r) { return r.stream_frames > 0; }},
      {"fps", "--fps", SettingType::Number, 0, 1e6, "input frame rate of the camera stream, frames/s",
       [](const R& r) { return num(r.fps); }, [](R& r, const std::string& v) { r.fps = std::stod(v); },
       [](const R& r) { return r.fps != RunSettings().fps; }},
  };
  return table;
}

const RunSettingSpec* find_run_setting(const std::string& key) {
  for (auto& s : run_settings())
    if (key == s.key) return &s;
  return nullptr;
}

std::vector<std::string> run_setting_keys() {
  std::vector<std::string> k;
  for (auto& s : run_settings()) k.push_back(s.key);
  return k;
}

std::string long_flag(const RunSettingSpec& s) {
  const std::string f = s.flag;
  return f.substr(0, f.find(','));
}

std::string expected_text(const RunSettingSpec& s) {
  switch (s.type) {
    case SettingType::Integer: return fmt::format("an integer in [{}, {}]", long(s.lo), long(s.hi));
    case SettingType::Seed: return "an integer in [0, 18446744073709551615]";
    case SettingType::Number: return fmt::format("a number in ({}, {}]", num(s.lo), num(s.hi));
    case SettingType::Path: return "a file path";
    case SettingType::Text: return "a value";
  }
  return "";
}

void set_run_setting(RunSettings& r, const std::string& key, const std::string& text, const std::string& origin) {
  const RunSettingSpec* s = find_run_setting(key);
  if (!s) fail_input("{}: unknown run setting '{}'", origin, key);
  bool ok = true;
  switch (s->type) {
    case SettingType::Integer: {
      long v = 0;
      ok = parse_integer(text, v) && v >= long(s->lo) && v <= long(s->hi);
      break;
    }
    case SettingType::Seed: {
      uint64_t v = 0;
      const char* end = text.data() + text.size();
      auto [p, ec] = std::from_chars(text.data(), end, v);
      ok = !text.empty() && ec == std::errc() && p == end;
      break;
    }
    case SettingType::Number: {
      char* end = nullptr;
      const double v = std::strtod(text.c_str(), &end);
      ok = !text.empty() && end && *end == '\0' && std::isfinite(v) && v > s->lo && v <= s->hi;
      break;
    }
    case SettingType::Path:
    case SettingType::Text: ok = !text.empty(); break;
  }
  if (!ok) fail_input("{}: '{}' = '{}': expected {}", origin, key, text, expected_text(*s));
  s->set(r, text);
}

std::vector<std::string> run_setting_args(const RunSettings& r) {
  std::vector<std::string> a;
  for (auto& s : run_settings())
    if (s.given(r)) a.insert(a.end(), {long_flag(s), s.get(r)});
  return a;
}

void apply_run_settings(const RunSettings& r, RunOptions& o) {
  o.hw_path = r.hw;
  o.model_path = r.model;
  o.data_spec = r.data;
  o.clips = r.clips;
  o.frames = int(r.frames);
  o.calibration_clips = int(r.calib_clips);
  o.data_seed = r.data_seed;
  o.recipe_path = r.recipe;
  o.fps = r.fps;
}

}  // namespace oasim::run
