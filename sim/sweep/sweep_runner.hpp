#pragma once
// Runs a sweep's points: up to `jobs` child runs at once on this machine, only the points of this
// shard (--shard i/n, MPI ranks), skipping points whose record already exists (resume), and writing
// each record as soon as its point ends. Merging records into results files is a separate step.
#include <string>
#include <vector>

#include "sim/sweep/point_runner.hpp"
#include "sim/sweep/sweep_spec.hpp"

namespace oasim::sweep {

struct Shard {
  long index = 0, count = 1;
  bool owns(const SweepPoint& p) const { return p.index % count == index; }
};

// "i/n" with 0 <= i < n; InputError otherwise.
Shard parse_shard(const std::string& text);

struct RunPointsOptions {
  std::string out_dir;
  std::string exe;              // the oasim binary that runs points
  int jobs = 1;                 // concurrent points
  int threads_per_point = 1;
  Shard shard;
  bool retry_failed = false;    // run points again whose record says failed
  std::string log_prefix;       // e.g. "[rank 1] " under MPI
};

struct RunPointsSummary {
  long owned = 0, skipped = 0, ran = 0, failed = 0;
};

// Checks OUT without writing anything (for --check and before any point runs): InputError if it is a file,
// or its sweep.json is corrupt or belongs to another sweep.
void check_out_dir(const std::string& fingerprint, const std::string& out_dir);

// Takes an exclusive lock (flock) on OUT/sweep.lock (per shard: OUT/sweep.lock.I-of-N) held until the
// process exits, so two `oasim sweep` on one folder cannot both run points; InputError if already held.
void lock_out_dir(const std::string& out_dir, const Shard& shard);

// Prepares OUT (creates it, writes sweep.json; refuses a folder that holds another sweep).
void prepare_out_dir(const SweepSpec& spec, const std::vector<SweepPoint>& points, const std::string& fingerprint,
                     const std::string& out_dir);

RunPointsSummary run_points(const SweepSpec& spec, const std::vector<SweepPoint>& points,
                            const std::string& fingerprint, const RunPointsOptions& opt);

// Every point's record from OUT; `missing` lists the ids of points without one.
std::vector<PointResult> collect_records(const std::vector<SweepPoint>& points, const std::string& fingerprint,
                                         const std::string& out_dir, std::vector<std::string>& missing);

}  // namespace oasim::sweep
