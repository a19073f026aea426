#include "workloads/videomamba/causal_conv1d.hpp"

namespace oasim::videomamba {

void causal_conv1d(const MatrixRM& x, const MatrixRM& weight, const VectorF& bias, long segment, MatrixRM* carry,
                   MatrixRM& out) {
  const long length = x.rows(), di = x.cols(), k = weight.cols();
  out.resize(length, di);
  // Column views of the kernel so that each tap is a contiguous row over channels.
  const MatrixRM wt = weight.transpose();  // [K x Di]
  for (long t = 0; t < length; ++t) {
    const long seg_start = t - t % segment;
    auto o = out.row(t);
    o = bias.transpose();
    for (long j = 0; j < k; ++j) {
      const long src = t - (k - 1) + j;  // input index feeding tap j
      if (src >= seg_start) {
        o.array() += wt.row(j).array() * x.row(src).array();
      } else if (carry && seg_start == 0) {
        // Before the first token of the stream chunk: take it from the carried history.
        o.array() += wt.row(j).array() * carry->row((k - 1) + src).array();
      }
    }
  }
  if (carry) {
    // New history = last K-1 rows of the concatenation [carry; x].
    MatrixRM hist(k - 1, di);
    for (long r = 0; r < k - 1; ++r) {
      const long c = length + r;  // index into [carry; x]
      if (c >= k - 1) hist.row(r) = x.row(c - (k - 1));
      else hist.row(r) = carry->row(c);
    }
    *carry = std::move(hist);
  }
}

}  // namespace oasim::videomamba
