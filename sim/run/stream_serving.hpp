#pragma once
// Several camera streams served by one accelerator (`oasim run --streams B`): B streams send frames at
// --fps each (stream s offset by s/(B fps), each frame late by a seeded uniform jitter in
// [0, jitter/fps)), frames wait in one FIFO input queue of bounded depth and the accelerator starts them in
// order, one initiation interval apart (one frame at a time without pipelining), each taking the
// SystemC-timed frame latency. Reports per-stream latency (mean, p99), deadline
// misses (a frame not done before its stream's next frame arrives, or dropped at a full queue), queue
// occupancy, aggregate frames/s and energy per frame with the static power shared by all streams.
// Memory is bounded: the number of frames simulated is capped and the queue has a fixed depth, so a
// stream the hardware cannot keep up with shows up as misses and drops, never as a hang.
#include <cstdint>
#include <string>
#include <vector>

#include "models/components/hardware_config.hpp"
#include "models/energy/action_counts.hpp"

namespace oasim::run {

struct ServingOptions {
  int streams = 1;
  double fps = 30;
  double jitter = 0;          // fraction of a frame interval, [0, 1)
  double seconds = 2;         // simulated arrival window
  int queue_frames = 16;      // input queue depth (frames waiting, not counting the one computing)
  uint64_t seed = 1;
};

// Upper bound of streams x fps x seconds: the per-frame latencies kept for the p99.
constexpr double kMaxServedFrames = 2e6;

struct StreamStats {
  long frames = 0, served = 0, dropped = 0, missed = 0;
  double mean_latency_s = 0, p99_latency_s = 0;  // over served frames
};

struct ServingResult {
  ServingOptions options;
  double service_s = 0;               // one frame's compute time (SystemC)
  double initiation_s = 0;            // least time between two frames' starts (= service_s without overlap)
  std::vector<StreamStats> streams;
  StreamStats all;                    // every stream together
  double aggregate_fps = 0;           // served frames / max(window, the last one's finish)
  double mean_queue = 0;              // frames waiting, seen by arriving frames
  int max_queue = 0;
  bool keeps_up = true;               // no frame dropped or late
  double energy_per_frame_j = 0, static_per_frame_j = 0;
};

// Bad options exit 2 naming the flag (called before a run, so a typo costs no simulation).
void check_serving_options(const ServingOptions& o);

// Checks the options and simulates the arrival window. service_s: a frame's latency from its start;
// initiation_s: the least time between two frames' starts (timing::overlap_frames; 0 = service_s, frames one
// at a time). With pipelining, frames of different streams are in flight together.
ServingResult serve_streams(const ServingOptions& o, double service_s, const energy::ActionCounts& per_frame,
                            const config::HardwareConfig& hw, double initiation_s = 0);

void print_serving(const std::vector<ServingResult>& results);
void write_serving_csv(const std::vector<ServingResult>& results, const std::string& path);

}  // namespace oasim::run
