#pragma once
// Weight quantizers beyond plain RTN (quantization.md): RTN with a per-scale clip search, and GPTQ
// (Frantar et al. 2022) with damping, act-order and the same scale layout, so both drop into the
// optical plan in place of RTN codes.
#include <string>

#include "models/optical/weight_quantizer.hpp"

namespace oasim::quant {

// RTN whose every scale (row, or row x group) uses the clip ratio r in {1.00, 0.95, ..., 0.50} of the
// max that minimises that scale's squared reconstruction error.
optical::QuantizedWeights quantize_rtn_clip_search(const MatrixRM& w, int bits, int group_size);

// GPTQ: scales fixed up front (RTN max, or clip-searched), then columns quantized one by one (largest
// diag(H) first with act_order) and each column's error spread over the columns not yet quantized
// through the upper Cholesky factor of H^-1, H = 2 X^T X + damping * mean(diag) * I.
// xtx: sum over calibration rows of x^T x [K x K] (inputs as the plane sees them). layer: named in the
// InputError raised when H (after damping) or H^-1 has no Cholesky factor (raise weights.damping).
optical::QuantizedWeights quantize_gptq(const MatrixRM& w, const Eigen::MatrixXd& xtx, int bits, int group_size,
                                        double damping, bool act_order, bool clip_search,
                                        const std::string& layer = "a layer");

// sum over rows of ||x W^T - x Wq^T||^2 / rows: the layer's output error on inputs X (for tests and reports).
double layer_output_mse(const MatrixRM& w, const MatrixRM& wq, const MatrixRM& x);

}  // namespace oasim::quant
