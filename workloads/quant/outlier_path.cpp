#include "workloads/quant/outlier_path.hpp"

#include <algorithm>
#include <cmath>

#include "models/optical/quantizer.hpp"

namespace oasim::quant {

std::vector<long> outlier_channels(const float* x, long n, double limit, int max_channels, long* candidates) {
  std::vector<long> out;
  if (limit > 0)
    for (long k = 0; k < n; ++k)
      if (std::abs(x[k]) > limit) out.push_back(k);
  if (candidates) *candidates = long(out.size());
  std::stable_sort(out.begin(), out.end(), [&](long a, long b) { return std::abs(x[a]) > std::abs(x[b]); });
  if (long(out.size()) > max_channels) out.resize(size_t(max_channels));
  return out;
}

MatrixRM split_outliers(const OutlierConfig& c, const optical::QuantizedWeights& w, MatrixRM& x, OutlierWork& work) {
  const long L = x.rows(), K = x.cols(), M = w.codes.rows();
  const int levels = optical::max_code(c.activation_bits);
  MatrixRM out = MatrixRM::Zero(L, M);
  double tau = 0;
  for (long t = 0; t < L; ++t) {
    float* row = x.row(t).data();
    double ss = 0;
    for (long k = 0; k < K; ++k) ss += double(row[k]) * row[k];
    const double rms = std::sqrt(ss / double(std::max<long>(1, K)));
    work.muls += double(K);  // squares
    work.adds += double(K);  // their sum
    work.nonlinear += 1;     // sqrt (the 1/K folds into the threshold constant)
    tau = t == 0 ? rms : c.momentum * tau + (1 - c.momentum) * rms;
    work.muls += 2;
    work.adds += 1;
    long candidates = 0;
    const auto picked = outlier_channels(row, K, c.threshold * tau, c.max_channels, &candidates);
    // Threshold compare per channel, then one top-k pass of the provisioned slots over the channels.
    work.adds += 2.0 * double(K);
    if (candidates > c.max_channels) work.capped_tokens += 1;
    // The selected activations at activation_bits: one max-reduction and reciprocal, one multiply each.
    float amax = 0;
    for (long k : picked) amax = std::max(amax, std::abs(row[k]));
    work.adds += double(c.max_channels);
    work.nonlinear += 1;
    work.muls += double(c.max_channels);
    const float s = amax / float(levels);
    for (long k : picked) {
      const float xq = optical::quantize(row[k], s, levels);
      // Integer MACs of the code xq with the plane's codes; computed here with the scales applied per
      // product, which equals the integer sum rescaled once per output.
      const long g = k / w.group_size;
      for (long m = 0; m < M; ++m) out(t, m) += xq * s * (w.codes(m, k) * w.scales(m, g));
      row[k] = 0;
      work.muls += double(M);
      work.adds += double(M);
      work.sram_bytes_read += double(M) * w.bits / 8.0;  // the codes of this column
    }
    // One rescale per output (token scale x the row's weight scale) and the add of the digital partial
    // into the optical output.
    work.muls += double(M);
    work.adds += double(M);
    work.channels += double(picked.size());
    work.tokens += 1;
  }
  return out;
}

OutlierWork outlier_cost(const OutlierConfig& c, int in, int out, int weight_bits) {
  OutlierWork w;
  const double k = c.max_channels;
  w.muls = in + 2 + k + k * out + out;
  w.adds = in + 1 + 2.0 * in + k + k * out + out;
  w.nonlinear = 2;
  w.sram_bytes_read = k * out * weight_bits / 8.0;
  w.channels = k;
  w.tokens = 1;
  return w;
}

}  // namespace oasim::quant
