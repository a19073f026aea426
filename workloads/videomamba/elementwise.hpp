#pragma once
// Elementwise nonlinearities with the official PyTorch semantics, vectorised through Eigen arrays.
#include "sim/common/tensor.hpp"

namespace oasim::videomamba {

// silu(x) = x * sigmoid(x)
inline void silu_inplace(MatrixRM& m) {
  auto a = m.array();
  a = a / (1.0f + (-a).exp());
}

// y *= silu(z)
inline void mul_silu(MatrixRM& y, const Eigen::Ref<const MatrixRM>& z) {
  y.array() *= z.array() / (1.0f + (-z.array()).exp());
}

// torch.nn.functional.softplus with beta 1, threshold 20: x above 20 passes through unchanged.
inline void softplus_inplace(MatrixRM& m) {
  auto a = m.array();
  a = (a > 20.0f).select(a, a.exp().log1p());
}

// RMSNorm over each row: x / sqrt(mean(x^2) + eps) * weight (official rms_norm_ref, eps 1e-5).
void rms_norm(const MatrixRM& x, const VectorF& weight, MatrixRM& out, float eps = 1e-5f);

}  // namespace oasim::videomamba
