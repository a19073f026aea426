#pragma once
// VideoMamba in C++: the official clip model ("videomamba") and oasim's streaming model
// ("videomamba-stream"). Numerics only; every Linear goes through a LinearExecutor so the optical
// simulator reuses this code unchanged.
#include <memory>
#include <vector>

#include "workloads/videomamba/bimamba_mixer.hpp"
#include "workloads/videomamba/model_weights.hpp"
#include "workloads/videomamba/video.hpp"

namespace oasim::videomamba {

// The recurrent state a stream model carries from frame to frame: per block, the forward branch's
// conv history and SSM state. Its size is fixed, independent of how many frames were seen.
struct StreamState {
  std::vector<MixerState> layers;
  long frames_seen = 0;
  long bytes() const;  // fp32 storage
};

struct ForwardOptions {
  LinearExecutor* linear = nullptr;     // null: exact fp32 (Eigen GEMM)
  TensorObserver* observer = nullptr;   // null: no taps
  bool parallel_branches = true;        // forward/backward scans on two threads
};

class VideoMambaModel {
 public:
  explicit VideoMambaModel(ModelWeights weights);
  const ModelConfig& config() const { return w_.config; }
  const ModelWeights& weights() const { return w_; }

  // Clip call. videomamba: logits [1 x classes]. videomamba-stream: logits after every frame
  // [T x classes], from a fresh state (equal to feeding the frames one by one).
  MatrixRM forward(const Video& video, const ForwardOptions& opt = {}) const;

  // videomamba-stream only: processes `video` (any number of frames) continuing from `state`, which is
  // updated in place. Returns logits [T x classes].
  MatrixRM forward_stream(const Video& video, StreamState& state, const ForwardOptions& opt = {}) const;

  StreamState initial_state() const;

  // Pieces, public for tests and tools.
  MatrixRM patch_tokens(const Video& video) const;  // [T' * n x D] after the patch-embed Linear
  MatrixRM embed_clip(const Video& video, LinearExecutor& lin) const;
  MatrixRM embed_stream(const Video& video, LinearExecutor& lin) const;

 private:
  void check_video(const Video& v) const;
  // Runs the blocks on seq; returns the final residual stream (before norm_f).
  MatrixRM trunk(const MatrixRM& seq, long backward_segment, StreamState* state, const ForwardOptions& opt,
                 LinearExecutor& lin) const;
  MatrixRM head_logits(const MatrixRM& residual_rows, const ForwardOptions& opt, LinearExecutor& lin) const;

  ModelWeights w_;
  mutable Fp32LinearExecutor fp32_;
};

}  // namespace oasim::videomamba
