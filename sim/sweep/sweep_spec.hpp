#pragma once
// A sweep file (YAML, docs/sweeps.md), parsed once and validated whole before any point runs:
// a base run (hardware config, model, data, clip counts, fixed overrides), axes over any hardware key
// or run setting, combined cartesian or zipped, repeat seeds, and the metrics to keep.
#include <cstdint>
#include <string>
#include <vector>

#include "sim/run/run_settings.hpp"

namespace oasim::sweep {

// The run settings a point passes to `oasim run`; each can also be a sweep axis (one table for both:
// sim/run/run_settings.hpp). A sweep fixes data_seed to 1 by default, so repeat seeds vary only the noise.
using run::RunSettings;
RunSettings sweep_default_settings();

struct Axis {
  std::string key;                  // a hardware key ("adc.bits") or a run setting ("clips", "hw", ...)
  std::vector<std::string> values;  // as text, exactly as passed on
  int line = 0;                     // where it was declared, for messages
};

enum class Combine { Cartesian, Zip };

struct SweepSpec {
  std::string path;                 // the sweep file
  std::string name;
  RunSettings base = sweep_default_settings();
  std::vector<std::pair<std::string, std::string>> base_sets;  // fixed hardware overrides
  std::vector<Axis> axes;
  Combine combine = Combine::Cartesian;
  std::vector<uint64_t> seeds{1};
  std::vector<std::string> metrics; // the metrics kept (validated against known_metrics())
  // `objectives: {area_mm2: min, optical_top1: max}`: the Pareto objectives (metric, maximise), in file
  // order; empty = the defaults (sweep_results.hpp default_objectives).
  std::vector<std::pair<std::string, bool>> objectives;
};

// One run of the sweep: a design point (one value per axis) and one seed.
struct SweepPoint {
  long index = 0;                   // 0..N-1 in a fixed order: design-major, seed-minor
  long design = 0;                  // the design point (rows of different seeds share it)
  uint64_t seed = 1;
  std::vector<std::pair<std::string, std::string>> values;  // axis key -> value, axis order
  RunSettings run;                  // base with run-setting axes applied
  std::vector<std::pair<std::string, std::string>> sets;    // base_sets + hardware axes
  std::string id() const;           // "p0007" (stable file name of the point's record)
};

// The metrics a point can report.
const std::vector<std::string>& known_metrics();

// Parses FILE; errors are InputErrors "FILE:LINE: ..." naming the key and what was expected.
SweepSpec load_sweep(const std::string& path);

// Expands axes x seeds into points and checks every point's hardware config (key, value, cross-key
// rules) and the run settings, so a sweep never fails half-way on a bad value.
std::vector<SweepPoint> expand_points(const SweepSpec& spec);

// A short digest of everything that determines the points' results (for refusing to resume a
// different sweep into the same folder).
std::string sweep_fingerprint(const SweepSpec& spec, const std::vector<SweepPoint>& points);

}  // namespace oasim::sweep
