#pragma once
// The selective scan (Mamba S6 recurrence), exact fp32, vectorised over channels and states:
//   h_t[d,n] = exp(delta_t[d] * A[d,n]) * h_{t-1}[d,n] + delta_t[d] * B_t[n] * u_t[d]
//   y_t[d]   = sum_n C_t[n] * h_t[d,n] + D[d] * u_t[d]
// Semantics of the official selective_scan_ref (mamba_ssm/ops/selective_scan_interface.py).
#include "sim/common/tensor.hpp"

namespace oasim::videomamba {

struct ScanInputs {
  const MatrixRM* u;       // [L x Di]
  const MatrixRM* delta;   // [L x Di], already softplus(dt_proj(dt) + bias)
  const MatrixRM* bc;      // x_proj output [L x (R + 2N)]: B = cols [R, R+N), C = cols [R+N, R+2N)
  long bc_offset;          // = R
  const MatrixRM* A;       // [Di x N]
  const VectorF* D;        // [Di]
};

// Runs the scan over consecutive independent segments of `segment` tokens. Every segment starts from a
// zero state except the first, which starts from *h when h is given ([Di x N], row-major); *h is then
// replaced by the state after the last token. y is resized to [L x Di].
// Fused: blocks of 16 channels with their states in registers for the whole sequence (N <= 64).
void selective_scan(const ScanInputs& in, long segment, MatrixRM* h, MatrixRM& y);
// The same recurrence one token at a time over all channels (Eigen arrays): the independent
// implementation the fused one is tested against, and the fallback for N > 64.
void selective_scan_reference(const ScanInputs& in, long segment, MatrixRM* h, MatrixRM& y);

}  // namespace oasim::videomamba
