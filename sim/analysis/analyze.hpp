#pragma once
// `oasim analyze`: runs clips through the fp32 model with an ActivationStats observer, writes
// analysis.h5 (schema in docs/outliers.md), prints a summary table and optionally plots.
#include <cstdint>
#include <string>
#include <vector>

#include "sim/analysis/activation_stats.hpp"

namespace oasim::analysis {

struct AnalyzeOptions {
  std::string model_path = "models/videomamba-stream-mfm.h5";
  std::string data_spec = "mfm:test";
  long clips = 16;
  int frames = 0;  // 0: the model's num_frames
  uint64_t seed = 1;
  std::vector<int> layers;  // empty: all
  double outlier_k = 6.0;
  bool progress = true;
};

struct AnalyzeResult {
  AnalyzeOptions options;
  std::string model_variant, data_description;
  long clips = 0;
  int frames = 0;            // per clip
  long steps_per_clip = 0;   // time steps per clip (frames; T' = frames / tubelet for the clip model)
  long tokens_per_step = 0;  // stream: patches + readout per frame
  long readout_position = -1;  // stream: index of the readout token inside a frame's tokens
  std::vector<long> step_clip, step_frame;  // global step -> clip, time step inside the clip
  long scored = 0, correct = 0;             // fp32 top-1 on the labelled frames/clips (sanity check)
  double wall_s = 0;
  std::vector<TensorStats> tensors;
};

AnalyzeResult run_analysis(const AnalyzeOptions& opt);
void write_analysis_h5(const AnalyzeResult& r, const std::string& path);
void print_analysis_summary(const AnalyzeResult& r);
// Runs workloads/python/plot_outliers.py on the file; false (with a warning) if it failed.
bool plot_analysis(const std::string& h5path, const std::string& out_dir);

}  // namespace oasim::analysis
