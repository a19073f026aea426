#include "models/optical/weight_quantizer.hpp"

#include "models/optical/quantizer.hpp"

namespace oasim::optical {

QuantizedWeights quantize_weights_rtn(const MatrixRM& w, int bits, int group_size) {
  const long m = w.rows(), k = w.cols();
  const long g = group_size > 0 ? std::min<long>(group_size, k) : k;
  const long groups = (k + g - 1) / g;
  const int levels = max_code(bits);
  QuantizedWeights q;
  q.bits = bits;
  q.group_size = int(g);
  q.codes.resize(m, k);
  q.scales.resize(m, groups);
  for (long r = 0; r < m; ++r)
    for (long gi = 0; gi < groups; ++gi) {
      const long c0 = gi * g, n = std::min(g, k - c0);
      float mx = w.row(r).segment(c0, n).cwiseAbs().maxCoeff();
      float s = mx > 0 ? mx / float(levels) : 1.0f;
      q.scales(r, gi) = s;
      for (long c = c0; c < c0 + n; ++c) q.codes(r, c) = quantize(w(r, c), s, levels);
    }
  return q;
}

MatrixRM QuantizedWeights::dequantized() const {
  MatrixRM out(codes.rows(), codes.cols());
  for (long r = 0; r < codes.rows(); ++r)
    for (long c = 0; c < codes.cols(); ++c) out(r, c) = codes(r, c) * scales(r, c / group_size);
  return out;
}

}  // namespace oasim::optical
