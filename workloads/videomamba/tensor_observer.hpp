#pragma once
// Taps on intermediate tensors of a forward pass: golden tests compare them per block, and the outlier
// analysis records their statistics. A null observer costs nothing (no tensor is assembled for it).
#include <string>

#include "sim/common/tensor.hpp"
#include "workloads/videomamba/linear_executor.hpp"

namespace oasim::videomamba {

enum class Tap {
  Embed,        // token sequence entering block 0 [L x D]
  BlockOut,     // residual + mixer output after a block [L x D] (the next block's residual)
  LinearInput,  // input of a Linear (site given)
  SsmInput,     // u after conv + SiLU [L x Di]
  Delta,        // softplus(dt_proj) [L x Di]
  SsmB,         // B [L x N]
  SsmC,         // C [L x N]
  SsmOutput,    // y after the gate, per direction [L x Di]
  SsmState,     // forward-branch state after the call [Di x N]
  Features,     // final-normed readout/cls rows [rows x D]
};

const char* tap_name(Tap t);

class TensorObserver {
 public:
  virtual ~TensorObserver() = default;
  // layer = -1 outside blocks; site is meaningful for Tap::LinearInput only.
  virtual void observe(Tap tap, int layer, Direction dir, const LinearSite* site, const MatrixRM& value) = 0;
};

}  // namespace oasim::videomamba
