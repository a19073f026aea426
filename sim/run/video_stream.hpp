#pragma once
// `oasim run --video FILE --stream`: a video file's frames, at their timestamps, through a streaming
// model in fp32 and on the simulated hardware. Per frame: predictions of both, and when the hardware
// finishes it (frames queue in an input buffer while the accelerator is busy; the per-frame compute
// time is the SystemC step time, which is data-independent). Reports whether the hardware keeps up with
// the video's frame interval, the input queue's depth and the on-chip buffer plan.
#include <cstdint>
#include <string>

#include "sim/costing/program_cost.hpp"
#include <vector>

#include "models/components/hardware_config.hpp"
#include "workloads/compiler/program.hpp"
#include "workloads/data/video_views.hpp"
#include "workloads/videomamba/model_config.hpp"
#include "workloads/quant/recipe.hpp"

namespace oasim::run {

// One frame's path through the accelerator, times in seconds from the first frame's arrival.
struct FrameTiming {
  double arrival_s = 0, start_s = 0, finish_s = 0;
  int queued = 0;  // frames waiting in the input buffer when this one arrives (itself excluded)
  double latency_s() const { return finish_s - arrival_s; }
};

// FIFO, one frame at a time, each taking service_s: start = max(arrival, previous finish).
std::vector<FrameTiming> schedule_frames(const std::vector<double>& arrivals_s, double service_s);

struct VideoStreamOptions {
  std::string video, model_path, hw_path;
  uint64_t seed = 1;
  long max_frames = 0;     // 0 = the whole video
  int calib_frames = 8;    // first frames of the video used for static DAC/ADC ranges
  bool fp32_only = false;
  bool progress = true;
  quant::Recipe recipe;    // `oasim run --recipe`: its statistics are calibrated on the same first frames
  std::string recipe_path; // where `recipe` came from ("" = none), for the report's provenance
};

struct VideoStreamFrame {
  long index = 0;
  double pts_s = 0;
  int fp32_pred = -1, optical_pred = -1;
  float fp32_prob = 0, optical_prob = 0;
  FrameTiming timing;
};

struct VideoStreamResult {
  std::string video, model_variant;
  int width = 0, height = 0;
  double fps = 0, frame_interval_s = 0;  // of the video (interval: median timestamp step)
  double frame_compute_s = 0;            // simulated accelerator time per frame
  costing::ProgramCost cost;             // timing and energy per frame at the video's frame rate
  std::vector<VideoStreamFrame> frames;
  std::vector<std::string> class_names;
  compiler::Program program;              // the one-frame program (mapping, buffers)
  compiler::BufferPlan buffers;
  long frame_input_bytes = 0;            // one preprocessed frame in the input buffer
  int max_queued = 0;
  double mean_latency_s = 0, max_latency_s = 0;
  bool real_time = false;                // every frame done before the next one arrives
  double agreement = 0;                  // optical vs fp32 top-1, fraction of frames
  double wall_s = 0;
};

// The preprocessing a streaming model gets from a video frame: one centre view of its img_size (ImageNet
// normalisation for three channels, Fashion-MNIST luma statistics for one). `oasim infer --video` uses it too.
data::SpatialViews stream_view(const videomamba::ModelConfig& mc);

VideoStreamResult run_video_stream(const VideoStreamOptions& opt, const config::HardwareConfig& hw);
// per_frame = false (`--summary`): only the totals, no line per frame.
void print_video_stream(const VideoStreamResult& r, bool per_frame = true);
// video_stream.csv: one row per frame.
void write_video_stream_csv(const VideoStreamResult& r, const std::string& path);

}  // namespace oasim::run
