#pragma once
// `oasim eval`'s engine: every video of a list through the official test protocol and a model. A
// producer thread decodes and preprocesses the next videos while the model runs on the current one
// (a bounded queue), so the model waits only when decoding is the slower part.
#include <functional>
#include <string>
#include <vector>

#include "sim/common/tensor.hpp"
#include "workloads/data/eval_config.hpp"
#include "workloads/data/video_list.hpp"
#include "workloads/videomamba/videomamba_model.hpp"

namespace oasim::run {

struct VideoOutcome {
  data::VideoEntry entry;
  bool ok = false;
  std::string error;      // why the video was skipped
  RowVectorF probs;       // mean over views of the softmax of each view's logits (the official merge())
  int views = 0;
  long frame_count = 0;
  double decode_s = 0, model_s = 0;
};

struct VideoEvalSummary {
  long videos = 0, evaluated = 0, skipped = 0, labelled = 0, top1_hits = 0, top5_hits = 0, views = 0;
  double decode_s = 0;      // producer: decode + preprocess, summed over videos
  double model_s = 0;       // consumer: model forward passes
  double model_wait_s = 0;  // consumer idle, waiting for the next decoded video
  double wall_s = 0;
  // Fractions in [0, 1], as every oasim output states accuracy (docs/report-format.md).
  double top1() const { return labelled ? double(top1_hits) / labelled : 0; }
  double top5() const { return labelled ? double(top5_hits) / labelled : 0; }
};

struct VideoEvalOptions {
  config::EvalConfig cfg;
  int queue_depth = 2;  // decoded videos held ahead of the model (memory: views x 3 x T x crop^2 floats each)
  int topk = 5;         // for the hit counts
  bool run_model = true;  // false: decode and preprocess only (measures the input pipeline's throughput)
  videomamba::ForwardOptions forward;  // forward.linear: the simulated hardware (`oasim eval --hw`); null = fp32
};

// Frames per clip: the config's, or the model's num_frames when the config says 0. InputError when the
// protocol does not fit the model (crop size vs img_size, frames vs a clip model's num_frames).
int eval_frames(const config::EvalConfig& cfg, const videomamba::ModelConfig& model);

// Runs everything; on_result is called on the calling thread, in list order, once per video.
VideoEvalSummary evaluate_videos(const videomamba::VideoMambaModel& model, const std::vector<data::VideoEntry>& videos,
                                 const VideoEvalOptions& opt, const std::function<void(const VideoOutcome&)>& on_result);

// Softmax of a logit row, in double for the exponent sums.
RowVectorF softmax(const Eigen::Ref<const RowVectorF>& logits);

}  // namespace oasim::run
