#pragma once
// Running one sweep point: `oasim run` in a child process (SystemC elaborates once per process, and a
// crash of one point must not end the sweep), its report turned into metrics, and the point's record
// (OUT/points/pNNNN.json) written atomically, so an interrupted sweep loses nothing and resumes cleanly.
#include <sys/types.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/sweep/sweep_spec.hpp"

namespace oasim::sweep {

struct PointResult {
  long index = 0, design = 0;
  uint64_t seed = 0;
  std::vector<std::pair<std::string, std::string>> values;
  bool ok = false;
  std::string error;                       // why it failed (exit status and the last stderr line)
  std::map<std::string, double> metrics;   // the sweep's kept metrics
  double wall_s = 0;                       // simulator time of the point (records only, not results)
};

// The `oasim run` command line of a point.
std::vector<std::string> point_command(const SweepPoint& p, const std::string& exe, const std::string& point_dir);

// Starts the point's run; stdout and stderr go to POINT_DIR/run.log. `threads` sets OMP_NUM_THREADS.
pid_t start_point(const SweepPoint& p, const std::string& exe, const std::string& point_dir, int threads);

// Metrics from a report.json; nullopt + error text if the report is missing or unreadable.
std::optional<std::map<std::string, double>> metrics_from_report(const std::string& report_json,
                                                                 const std::vector<std::string>& keep,
                                                                 std::string& error);

// The result of a finished child (wait status as from waitpid).
PointResult finish_point(const SweepPoint& p, const std::string& point_dir, int wait_status, double wall_s,
                         const std::vector<std::string>& keep);

std::string point_record_path(const std::string& out_dir, const SweepPoint& p);
void write_point_record(const std::string& path, const PointResult& r, const std::string& fingerprint);
// nullopt if absent; InputError if present but from another sweep or corrupt.
std::optional<PointResult> read_point_record(const std::string& path, const std::string& fingerprint);

// The path of the running executable (to start `oasim run` children).
std::string self_executable();

}  // namespace oasim::sweep
