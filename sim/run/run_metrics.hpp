#pragma once
// The one table of a run's scalar metrics (name, meaning, where it is in report.json / long_stream.json,
// scale): the sweep's `metrics:` keys and its results columns come from it, and the report writer can add
// the same flat list to report.json (add_flat_metrics) so both always agree.
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace oasim::run {

struct MetricSpec {
  const char* name;         // "energy_per_frame_uj"
  const char* meaning;      // for docs and --help
  const char* file;         // "report" or "long_stream" (only when the run had --stream-frames)
  std::vector<const char*> path;  // keys inside that JSON ("energy_per_frame", "total_j"); empty = computed
  double scale;             // multiplies the stored value (J -> uJ: 1e6)
};

const std::vector<MetricSpec>& run_metrics();
std::vector<std::string> run_metric_names();

// Every metric of the table from a run's report.json (and its long_stream.json, or null: those metrics are
// NaN). A null value in the report (not measured, e.g. optical numbers of --fp32-only) is NaN too. std::runtime_error when the report lacks a value (a broken or foreign report).
std::map<std::string, double> metrics_from_reports(const nlohmann::json& report, const nlohmann::json* long_stream);

// For the report writer: adds {"metrics": {name: value}} to a report's JSON (NaN values as null).
void add_flat_metrics(nlohmann::json& report);

}  // namespace oasim::run
