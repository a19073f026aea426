#pragma once
// The sweep's result table (one row per point, in point order) and its Pareto front, written as
// results.csv and results.h5 (docs/sweeps.md gives both schemas).
#include <string>
#include <vector>

#include "sim/sweep/point_runner.hpp"
#include "sim/sweep/sweep_spec.hpp"

namespace oasim::sweep {

// A Pareto objective: a metric and whether larger is better.
struct Objective {
  std::string metric;
  bool maximise = true;
};

// The default objectives: accuracy on the hardware (max), energy per frame (min), frames/s (max), area
// (min); those whose metric the sweep does not keep are left out.
std::vector<Objective> default_objectives(const std::vector<std::string>& metrics);

// For each design point: true if no other design is at least as good in every objective and better in
// one. Objectives are compared on the mean over a design's successful seeds; failed designs are never
// on the front. `rows` are the points' results, any order.
std::vector<bool> pareto_designs(const std::vector<PointResult>& rows, long designs,
                                 const std::vector<Objective>& objectives);

// The metrics some successful point measured, in the given order: a column that is empty in every row
// (the long stream's when no point ran one, optical ones under --fp32-only) is not written or plotted.
std::vector<std::string> measured_metrics(const std::vector<std::string>& metrics, const std::vector<PointResult>& rows);

struct ResultTable {
  std::string sweep_name, sweep_file, fingerprint;
  std::vector<std::string> axis_keys, metrics;
  std::vector<PointResult> rows;   // sorted by index
  std::vector<Objective> objectives;  // the front's objectives (default_objectives of the measured metrics)
  std::vector<bool> pareto;        // per row: its design is on the front (empty if no objectives)
};

ResultTable make_table(const SweepSpec& spec, const std::string& fingerprint, std::vector<PointResult> rows,
                       long designs);
void write_csv(const ResultTable& t, const std::string& path);
void write_h5(const ResultTable& t, const std::string& path);

}  // namespace oasim::sweep
