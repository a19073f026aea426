#pragma once
// Exact input transforms of one Linear: SmoothQuant scaling, a block-diagonal randomized Hadamard
// rotation Q (orthogonal) and a channel permutation P. With x' = P Q (x / s) and W' = W diag(s) Q^T P^T,
// W' x' = W x in exact arithmetic,
// so they only change what the converters and the Int-N planes see: outliers are divided down
// (smoothing) or spread over all channels of a block (rotation).
#include <Eigen/Dense>
#include <cstdint>

#include "sim/common/tensor.hpp"

namespace oasim::quant {

struct InputTransform {
  VectorF smooth;      // s per input channel (empty: no smoothing)
  int block = 0;       // Hadamard block size (0: no rotation)
  VectorF signs;       // random +-1 per input channel (the "randomized" in randomized Hadamard)
  Eigen::VectorXi perm;  // channel order P applied last (Quamba2's sorted groups): x'_i = x_perm[i]; empty: none
  // The division by s is folded into the producer of the input (dt_proj: x_proj's dt rows are divided by s
  // offline), so inputs arrive divided already: apply() skips it; weight() and xtx() still account for s.
  bool smooth_folded = false;

  bool identity() const { return (smooth.size() == 0 || smooth_folded) && block == 0 && perm.size() == 0; }
  // x <- P Q (x / s), row by row. adds/muls (if given) receive the arithmetic it performed: one multiply
  // per input by 1/s, the FWHT's butterfly adds/subtracts (the 1/sqrt(block) normalisation and the random
  // signs fold into W' offline on scale-invariant converters and are not counted; the permutation is wiring).
  void apply(MatrixRM& x, double* adds = nullptr, double* muls = nullptr) const;
  // W diag(s) Q^T P^T.
  MatrixRM weight(const MatrixRM& w) const;
  // Sum of x' x'^T over rows from the raw sum of x x^T: P Q S^-1 XtX S^-1 Q^T P^T.
  Eigen::MatrixXd xtx(const Eigen::MatrixXd& raw) const;
};

// SmoothQuant scales s_j = max|X_j|^alpha / max|W_:,j|^(1-alpha), guarded against empty channels.
VectorF smooth_scales(const VectorF& act_absmax, const MatrixRM& w, double alpha);

// A rotation for inputs of width n: block = largest power of two dividing n, signs from `seed`.
InputTransform make_rotation(int n, uint64_t seed);

// In-place normalised fast Walsh-Hadamard transform of each length-`block` segment of v; returns the
// butterfly adds and subtracts it performed (n log2(block)).
double fwht_blocks(float* v, long n, int block);
double fwht_blocks(double* v, long n, int block);

}  // namespace oasim::quant
