#pragma once
// The settings of one `oasim run` that a user gives by flag and a sweep gives by key (base or axis): one
// table (key, type, range, flag, help) drives the `run` flags, the sweep's keys and their checks, and the
// command line a sweep point runs, so a value a sweep accepts is exactly one that `run` accepts.
#include <cstdint>
#include <string>
#include <vector>

#include "sim/run/hardware_run.hpp"

namespace oasim::run {

struct RunSettings {
  std::string hw = "configs/hw/default.yaml";
  std::string model = "models/videomamba-stream-mfm.h5";
  std::string data = "mfm:test";
  long clips = 8;
  long frames = 0;            // 0: the model's own
  long calib_clips = 4;
  uint64_t data_seed = 0;     // 0: the run seed (sweeps fix it, so repeat seeds vary only the noise)
  std::string recipe;         // quantization recipe file ("" = none)
  long stream_frames = 0;     // > 0: also a long stream of this many frames
  long window = 100;          // frames per accuracy window of the long stream
  double fps = 30;            // input frame rate of the camera stream, frames/s
};

enum class SettingType { Path, Text, Integer, Seed, Number };

struct RunSettingSpec {
  const char* key;    // in sweep files: "calib_clips"
  const char* flag;   // on `oasim run`, with aliases: "--calib-clips" / "--model,-m"
  SettingType type;
  double lo, hi;      // Integer: [lo, hi]; Number: (lo, hi]
  const char* help;
  std::string (*get)(const RunSettings&);            // the value as text, as passed on a command line
  void (*set)(RunSettings&, const std::string& checked);  // from a value that passed check_run_setting
  bool (*given)(const RunSettings&);                 // false: left out of a point's command line (off)
};

const std::vector<RunSettingSpec>& run_settings();
const RunSettingSpec* find_run_setting(const std::string& key);
std::vector<std::string> run_setting_keys();

// The first name of a spec's flag ("--model" of "--model,-m").
std::string long_flag(const RunSettingSpec& s);

// Checks `text` against the spec's type and range and stores it; InputError
// "ORIGIN: 'KEY' = 'TEXT': expected ..." otherwise (ORIGIN names the file:line or the flag).
void set_run_setting(RunSettings& r, const std::string& key, const std::string& text, const std::string& origin);

// "expected ..." text of a spec, for messages and --help.
std::string expected_text(const RunSettingSpec& s);

// The `oasim run` arguments that reproduce `r` (settings that are off are left out).
std::vector<std::string> run_setting_args(const RunSettings& r);

// Copies the settings into the options of one run (paths as given; the caller resolves shipped paths).
void apply_run_settings(const RunSettings& r, RunOptions& o);

}  // namespace oasim::run
