#include "workloads/quant/weight_methods.hpp"

#include <algorithm>
#include <numeric>
#include <stdexcept>

#include "models/optical/quantizer.hpp"
#include "sim/common/error.hpp"

namespace oasim::quant {
namespace {

// Best clipped scale for the values v (squared error over a grid of clip ratios).
float best_scale(const float* v, long n, long stride, int levels, bool search) {
  float mx = 0;
  for (long i = 0; i < n; ++i) mx = std::max(mx, std::abs(v[i * stride]));
  if (mx <= 0) return 1.0f;
  if (!search) return mx / float(levels);
  float best_s = mx / float(levels);
  double best_err = -1;
  for (int step = 0; step <= 10; ++step) {
    const float s = mx * (1.0f - 0.05f * float(step)) / float(levels);
    double err = 0;
    for (long i = 0; i < n; ++i) {
      const float x = v[i * stride];
      const float d = x - optical::quantize(x, s, levels) * s;
      err += double(d) * d;
    }
    if (best_err < 0 || err < best_err) {
      best_err = err;
      best_s = s;
    }
  }
  return best_s;
}

optical::QuantizedWeights scales_for(const MatrixRM& w, int bits, int group_size, bool search) {
  const long m = w.rows(), k = w.cols();
  const long g = group_size > 0 ? std::min<long>(group_size, k) : k;
  optical::QuantizedWeights q;
  q.bits = bits;
  q.group_size = int(g);
  q.codes.setZero(m, k);
  q.scales.resize(m, (k + g - 1) / g);
  const int levels = optical::max_code(bits);
  for (long r = 0; r < m; ++r)
    for (long gi = 0; gi < q.scales.cols(); ++gi) {
      const long c0 = gi * g, n = std::min(g, k - c0);
      q.scales(r, gi) = best_scale(w.row(r).data() + c0, n, 1, levels, search);
    }
  return q;
}

}  // namespace

optical::QuantizedWeights quantize_rtn_clip_search(const MatrixRM& w, int bits, int group_size) {
  optical::QuantizedWeights q = scales_for(w, bits, group_size, true);
  const int levels = optical::max_code(bits);
  for (long r = 0; r < w.rows(); ++r)
    for (long c = 0; c < w.cols(); ++c) q.codes(r, c) = optical::quantize(w(r, c), q.scales(r, c / q.group_size), levels);
  return q;
}

optical::QuantizedWeights quantize_gptq(const MatrixRM& w_in, const Eigen::MatrixXd& xtx, int bits, int group_size,
                                        double damping, bool act_order, bool clip_search, const std::string& layer) {
  const long m = w_in.rows(), k = w_in.cols();
  if (xtx.rows() != k || xtx.cols() != k) throw std::invalid_argument("gptq: Hessian does not match the weight");
  optical::QuantizedWeights q = scales_for(w_in, bits, group_size, clip_search);
  const int levels = optical::max_code(bits);
  Eigen::MatrixXd W = w_in.cast<double>();
  Eigen::MatrixXd H = 2.0 * xtx;
  // Inputs never seen in calibration carry no information: their weights are quantized plainly.
  for (long j = 0; j < k; ++j)
    if (H(j, j) <= 0) H(j, j) = 1;
  const double damp = damping * H.diagonal().mean();
  H.diagonal().array() += damp;

  std::vector<long> perm(static_cast<size_t>(k));
  std::iota(perm.begin(), perm.end(), 0L);
  if (act_order)
    std::stable_sort(perm.begin(), perm.end(), [&](long a, long b) { return H(a, a) > H(b, b); });
  Eigen::MatrixXd Hp(k, k);
  for (long i = 0; i < k; ++i)
    for (long j = 0; j < k; ++j) Hp(i, j) = H(perm[size_t(i)], perm[size_t(j)]);
  // Upper Cholesky factor of H^-1: row i gives how column i's error spreads to later columns.
  // Both factorisations fail only when H is not positive definite after damping (e.g. damping 0 with
  // linearly dependent inputs, or non-finite calibration values): a wrong factor would silently spread
  // garbage, so stop and name the layer and the damping.
  const Eigen::LLT<Eigen::MatrixXd> llt_h(Hp);
  if (llt_h.info() != Eigen::Success || !Hp.allFinite())
    fail_input("GPTQ on {}: the Hessian 2 X^T X + {} x mean(diag) I is not positive definite (Cholesky failed); "
               "raise weights.damping or check the calibration inputs", layer, damping);
  Eigen::MatrixXd Hinv = llt_h.solve(Eigen::MatrixXd::Identity(k, k));
  const Eigen::LLT<Eigen::MatrixXd> llt_hinv(Hinv);
  if (llt_hinv.info() != Eigen::Success || !Hinv.allFinite())
    fail_input("GPTQ on {}: the inverse Hessian with damping {} x mean(diag) has no Cholesky factor; raise "
               "weights.damping", layer, damping);
  Eigen::MatrixXd U = llt_hinv.matrixU();
  Eigen::MatrixXd Wp(m, k);
  for (long i = 0; i < k; ++i) Wp.col(i) = W.col(perm[size_t(i)]);
  for (long i = 0; i < k; ++i) {
    const long col = perm[size_t(i)];
    const double d = U(i, i);
    for (long r = 0; r < m; ++r) {
      const float s = q.scales(r, col / q.group_size);
      const float code = optical::quantize(float(Wp(r, i)), s, levels);
      q.codes(r, col) = code;
      const double err = (Wp(r, i) - double(code) * s) / d;
      if (i + 1 < k) Wp.row(r).tail(k - i - 1) -= err * U.row(i).tail(k - i - 1);
    }
  }
  return q;
}

double layer_output_mse(const MatrixRM& w, const MatrixRM& wq, const MatrixRM& x) {
  const MatrixRM d = x * (w - wq).transpose();
  return double(d.squaredNorm()) / double(std::max<long>(1, x.rows()));
}

}  // namespace oasim::quant
