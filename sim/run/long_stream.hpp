#pragma once
// Long streams (Moving Fashion-MNIST stream mode, items switching every 20-60 frames): accuracy per
// window of frames and the recurrent state's error against the fp32 model, frame by frame, for the
// fp32 model and the simulated hardware fed the same frames.
#include <string>
#include <vector>

#include "models/components/hardware_config.hpp"
#include "sim/run/hardware_run.hpp"

namespace oasim::run {

struct LongStreamResult {
  long frames = 0;
  int window = 100;
  std::vector<int> labels, fp32_pred, optical_pred;
  std::vector<double> state_rel_error;  // ||h_optical - h_fp32|| / ||h_fp32|| over all layers, per frame
  std::vector<long> window_start;
  std::vector<double> window_fp32_top1, window_optical_top1, window_state_error;
};

LongStreamResult run_long_stream(const RunOptions& opt, const config::HardwareConfig& hw, long frames, int window);

void print_long_stream(const LongStreamResult& r);
// Writes long_stream.h5 and, through workloads/python/plot_long_stream.py, long_stream.png.
void write_long_stream(const LongStreamResult& r, const std::string& out_dir);

}  // namespace oasim::run
