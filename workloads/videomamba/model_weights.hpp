#pragma once
// Weights of a VideoMamba model in compute-ready layout (row-major [out x in] matrices, like PyTorch).
#include <string>
#include <vector>

#include "sim/common/tensor.hpp"
#include "workloads/videomamba/model_config.hpp"

namespace oasim::videomamba {

// y = x W^T + b. `bias` is empty when the layer has none.
struct LinearWeights {
  MatrixRM weight;  // [out x in]
  VectorF bias;     // [out] or size 0
  int out_features() const { return int(weight.rows()); }
  int in_features() const { return int(weight.cols()); }
};

// One scan direction of the bidirectional mixer (official names without / with the `_b` suffix).
struct BranchWeights {
  MatrixRM conv_weight;  // [d_inner x d_conv] depthwise causal kernel
  VectorF conv_bias;     // [d_inner]
  LinearWeights x_proj;  // [dt_rank + 2*d_state x d_inner]
  LinearWeights dt_proj; // [d_inner x dt_rank] + bias (added before softplus)
  MatrixRM A;            // [d_inner x d_state] = -exp(A_log), precomputed once at load
  VectorF D;             // [d_inner] skip connection
};

struct LayerWeights {
  VectorF norm_weight;   // [D]
  LinearWeights in_proj; // [2*d_inner x D]
  BranchWeights fwd, bwd;
  LinearWeights out_proj;  // [D x d_inner]
};

struct ModelWeights {
  ModelConfig config;
  LinearWeights patch_embed;   // Conv3d as a Linear over flattened (C, t, p, p) patches: [D x patch_volume]
  RowVectorF cls_token;        // [D]; the streaming model's readout token
  MatrixRM pos_embed;          // [(n+1) x D]; row 0 belongs to the cls/readout token
  MatrixRM temporal_pos_embed; // [T' x D]; empty for videomamba-stream
  std::vector<LayerWeights> layers;
  VectorF norm_f_weight;       // [D]
  LinearWeights head;          // [classes x D]
  std::vector<std::string> class_names;  // optional (meta/class_names)
  std::string source;                    // provenance attribute, may be empty

  long parameter_count() const;
};

}  // namespace oasim::videomamba
