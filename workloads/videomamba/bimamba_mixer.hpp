#pragma once
// The bidirectional Mamba mixer of one VideoMamba block (official "bimamba v2" semantics):
// in_proj -> {forward branch on x, backward branch on reversed x} -> sum -> out_proj.
#include "workloads/videomamba/linear_executor.hpp"
#include "workloads/videomamba/model_weights.hpp"
#include "workloads/videomamba/tensor_observer.hpp"

namespace oasim::videomamba {

// Streaming state of one block: only the forward (causal) branch carries state.
struct MixerState {
  MatrixRM conv;  // [(d_conv-1) x d_inner] last inputs of the forward conv, oldest first
  MatrixRM ssm;   // [d_inner x d_state]
};

struct MixerContext {
  LinearExecutor* linear;
  TensorObserver* observer;  // may be null
  bool parallel_branches;    // run the two directions on two threads
};

// hidden [L x D] (already RMS-normed) -> out [L x D].
// backward_segment: L for the clip model (backward branch over the whole reversed sequence), or the
// frame length for the stream model (backward branch inside each frame, from zero state).
// state: the forward branch's carried state (stream), or null (clip: zero state, nothing kept).
void bimamba_mixer(const LayerWeights& w, int layer, const MatrixRM& hidden, long backward_segment,
                   MixerState* state, const MixerContext& ctx, MatrixRM& out);

}  // namespace oasim::videomamba
