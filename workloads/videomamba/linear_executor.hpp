#pragma once
// Where every Linear of VideoMamba is executed. The fp32 model uses Fp32LinearExecutor (Eigen GEMM);
// the optical simulator implements the same interface to push each Linear through the simulated
// hardware (DAC -> Int4 planes -> detectors -> ADC), so the model code is shared and never forked.
#include <string>

#include "sim/common/tensor.hpp"
#include "workloads/videomamba/model_weights.hpp"

namespace oasim::videomamba {

enum class LinearKind { PatchEmbed, InProj, XProj, DtProj, OutProj, Head };
enum class Direction { None, Forward, Backward };

// Identifies one Linear of the network (layer -1 for patch embed and head).
struct LinearSite {
  LinearKind kind;
  int layer = -1;
  Direction dir = Direction::None;
  std::string name() const;  // official-style name, e.g. "layers.3.mixer.x_proj_b"
};

class LinearExecutor {
 public:
  virtual ~LinearExecutor() = default;
  // y = x W^T + b for a block of token rows x [tokens x in]; y is resized to [tokens x out].
  virtual void apply(const LinearSite& site, const LinearWeights& w, const MatrixRM& x, MatrixRM& y) = 0;
  // Whether apply() may be called from two threads at once (the two scan directions run in parallel).
  virtual bool thread_safe() const { return false; }
};

class Fp32LinearExecutor final : public LinearExecutor {
 public:
  void apply(const LinearSite& site, const LinearWeights& w, const MatrixRM& x, MatrixRM& y) override;
  bool thread_safe() const override { return true; }
};

// The exact fp32 product used by the reference path and by simulators that need the clean result.
void linear_fp32(const LinearWeights& w, const MatrixRM& x, MatrixRM& y);

}  // namespace oasim::videomamba
