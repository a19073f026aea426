#pragma once
// Long streams (Moving Fashion-MNIST stream mode, items switching every 20-60 frames): accuracy per
// window of frames and the recurrent state's error against the fp32 model, frame by frame, for the
// fp32 model and the simulated hardware fed the same frames.
#include <string>
#include <vector>

#include "models/components/hardware_config.hpp"
#include "sim/run/hardware_run.hpp"

namespace oasim::run {

// With drift (laser.drift_*, weight_plane.drift_*): the light path's gains follow simulated time (frame t at
// t / fps seconds) and the controller recalibrates by its policy (controller.recalibrate_*). When the
// policy recalibrates at all, the same hardware is also run without recalibration (same noise, same drift)
// so that one run shows what recalibration buys.
struct DriftOutcome {
  bool active = false;            // the design drifts
  bool compared = false;          // a no-recalibration twin ran (the *_norecal vectors are filled)
  std::vector<double> max_gain_drift;  // per frame: max over sites |gain - 1| (vs calibration at t = 0)
  std::vector<long> recalibrated_at;   // frames at which the controller recalibrated
  std::vector<int> norecal_pred;
  std::vector<double> norecal_state_error, window_norecal_top1, window_norecal_state_error;
  // Cost of the recalibrations: each runs controller.recalibration_frames frames of optical work.
  double recalibration_busy_s = 0;     // total
  double recalibration_energy_j = 0;   // total marginal energy (dynamic + gated static while busy)
  bool fits_in_frame_slack = true;     // one recalibration fits between two camera frames
};

struct LongStreamResult {
  long frames = 0;
  int window = 100;
  double fps = 30;
  std::vector<int> labels, fp32_pred, optical_pred;
  std::vector<double> state_rel_error;  // ||h_optical - h_fp32|| / ||h_fp32|| over all layers, per frame
  std::vector<long> window_start;
  std::vector<double> window_fp32_top1, window_optical_top1, window_state_error;
  DriftOutcome drift;
};

// `cost`: the design's per-frame timing and energy (run_hardware's), for the price of recalibrations.
LongStreamResult run_long_stream(const RunOptions& opt, const config::HardwareConfig& hw, long frames, int window,
                                 const costing::ProgramCost& cost);

void print_long_stream(const LongStreamResult& r);
// Writes long_stream.h5 and, through workloads/python/plot_long_stream.py, long_stream.png.
void write_long_stream(const LongStreamResult& r, const std::string& out_dir);

}  // namespace oasim::run
