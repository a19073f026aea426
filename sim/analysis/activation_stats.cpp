#include "sim/analysis/activation_stats.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <numeric>
#include <stdexcept>

#include <fmt/format.h>

namespace oasim::analysis {

using videomamba::Direction;
using videomamba::LinearKind;
using videomamba::Tap;

namespace {

constexpr int kBinBase = (127 + kHistMinExp) * kHistBinsPerOctave;  // (float exponent, 4 mantissa bits) of 2^-16

float bits_to_float(uint32_t b) {
  float f;
  std::memcpy(&f, &b, sizeof f);
  return f;
}

const char* dir_name(Direction d) {
  switch (d) {
    case Direction::Forward: return "forward";
    case Direction::Backward: return "backward";
    case Direction::None: return "";
  }
  return "";
}

const char* linear_kind_name(LinearKind k) {
  switch (k) {
    case LinearKind::PatchEmbed: return "patch_embed.input";
    case LinearKind::InProj: return "in_proj.input";
    case LinearKind::XProj: return "x_proj.input";
    case LinearKind::DtProj: return "dt_proj.input";
    case LinearKind::OutProj: return "out_proj.input";
    case LinearKind::Head: return "head.input";
  }
  return "?";
}

// Median of v (average of the two middle values for an even count); v is reordered.
double median_of(std::vector<float>& v) {
  if (v.empty()) return 0;
  const size_t m = v.size() / 2;
  std::nth_element(v.begin(), v.begin() + long(m), v.end());
  double hi = v[m];
  if (v.size() % 2) return hi;
  double lo = *std::max_element(v.begin(), v.begin() + long(m));
  return 0.5 * (lo + hi);
}

// q-quantile by rank (nearest rank, q in [0,1]); v is reordered.
double rank_quantile(std::vector<double>& v, double q) {
  if (v.empty()) return 0;
  size_t k = size_t(std::ceil(q * double(v.size()))) ;
  k = k == 0 ? 0 : k - 1;
  k = std::min(k, v.size() - 1);
  std::nth_element(v.begin(), v.begin() + long(k), v.end());
  return v[k];
}

}  // namespace

int hist_bin(float abs_value) {
  uint32_t bits;
  std::memcpy(&bits, &abs_value, sizeof bits);
  bits &= 0x7fffffffu;
  const long b = long(bits >> (23 - 4)) - kBinBase;  // 16 bins per octave = the top 4 mantissa bits
  return int(std::clamp(b, 0L, long(kHistBins - 1)));
}

double hist_bin_low(int bin) {
  if (bin <= 0) return 0;
  return bits_to_float(uint32_t(bin + kBinBase) << (23 - 4));
}

double hist_bin_high(int bin) {
  if (bin >= kHistBins - 1) return std::numeric_limits<double>::infinity();
  return hist_bin_low(bin + 1);
}

double hist_quantile(const uint64_t* hist, uint64_t n, double q, double max) {
  if (n == 0) return 0;
  const double target = (1.0 - q) * double(n);  // values at or above the quantile
  double above = 0;
  for (int b = kHistBins - 1; b >= 0; --b) {
    const double h = double(hist[b]);
    if (h == 0) continue;
    if (above + h >= target) {
      const double frac = (target - above) / h;  // from the top of the bin
      const double lo = hist_bin_low(b);
      const double hi = std::max(lo, std::min(hist_bin_high(b), max));
      return std::min(hi - frac * (hi - lo), max);
    }
    above += h;
  }
  return 0;
}

void Moments::merge(const Moments& b) {
  if (b.n == 0) return;
  if (n == 0) {
    *this = b;
    return;
  }
  const double na = n, nb = b.n, nn = na + nb, d = b.mean - mean, d2 = d * d;
  const double m2n = m2 + b.m2 + d2 * na * nb / nn;
  const double m3n = m3 + b.m3 + d2 * d * na * nb * (na - nb) / (nn * nn) + 3 * d * (na * b.m2 - nb * m2) / nn;
  const double m4n = m4 + b.m4 + d2 * d2 * na * nb * (na * na - na * nb + nb * nb) / (nn * nn * nn) +
                     6 * d2 * (na * na * b.m2 + nb * nb * m2) / (nn * nn) + 4 * d * (na * b.m3 - nb * m3) / nn;
  mean += d * nb / nn;
  m2 = m2n;
  m3 = m3n;
  m4 = m4n;
  n = nn;
}

double Moments::kurtosis() const {
  if (n == 0 || m2 <= 0) return std::numeric_limits<double>::quiet_NaN();
  return n * m4 / (m2 * m2);
}

PassLayout PassLayout::single_step(long rows, long step) {
  PassLayout l;
  l.step_of_row.assign(size_t(rows), step);
  l.backward_segment = rows;
  l.steps = {step};
  return l;
}

std::vector<long> TensorStats::outlier_channels() const {
  std::vector<long> idx;
  for (long c = 0; c < channels; ++c)
    if (persistence[size_t(c)] > 0) idx.push_back(c);
  std::stable_sort(idx.begin(), idx.end(), [&](long a, long b) {
    if (persistence[size_t(a)] != persistence[size_t(b)]) return persistence[size_t(a)] > persistence[size_t(b)];
    return outlier_peak_ratio[size_t(a)] > outlier_peak_ratio[size_t(b)];
  });
  return idx;
}

ActivationStats::ActivationStats(ActivationStatsOptions opt) : opt_(std::move(opt)) {}

void ActivationStats::begin_pass(PassLayout layout) {
  std::lock_guard<std::mutex> lock(mu_);
  if (layout.backward_segment <= 0) layout.backward_segment = long(layout.step_of_row.size());
  layout_ = std::move(layout);
  ++passes_;
}

long ActivationStats::forward_row(long row, Direction dir) const {
  if (dir != Direction::Backward) return row;
  const long seg = layout_.backward_segment;
  const long s = row / seg * seg;
  return s + (seg - 1 - (row - s));
}

ActivationStats::Acc& ActivationStats::acc(const std::string& name, const std::string& kind, int layer, Direction dir) {
  auto it = index_.find(name);
  if (it != index_.end()) return accs_[it->second];
  index_[name] = accs_.size();
  Acc& a = accs_.emplace_back();
  a.name = name;
  a.kind = kind;
  a.layer = layer;
  a.direction = dir_name(dir);
  return a;
}

long ActivationStats::step_row(Acc& a, long step) {
  auto it = a.step_row.find(step);
  if (it != a.step_row.end()) return it->second;
  const long r = long(a.step_index.size());
  a.step_row[step] = r;
  a.step_index.push_back(step);
  a.step_max.resize(a.step_max.size() + size_t(a.channels), 0.0f);
  return r;
}

void ActivationStats::add(Acc& a, const MatrixRM& x, const std::vector<long>& step_of_row, bool one_token) {
  const long R = x.rows(), C = x.cols();
  if (R == 0 || C == 0) return;
  if (a.channels < 0) {
    a.channels = C;
    a.hist.assign(size_t(C) * kHistBins, 0);
    a.mom.assign(size_t(C), Moments{});
    a.ch_max.assign(size_t(C), 0.0f);
  } else if (C != a.channels) {
    throw std::logic_error(fmt::format("activation stats: {} had {} channels, now {}", a.name, a.channels, C));
  }
  std::vector<double> mean(size_t(C), 0.0), s2(size_t(C), 0.0), s3(size_t(C), 0.0), s4(size_t(C), 0.0);
  for (long r = 0; r < R; ++r) {
    const float* xr = x.row(r).data();
    for (long c = 0; c < C; ++c) mean[size_t(c)] += xr[c];
  }
  for (auto& m : mean) m /= double(R);
  float obs_max = 0;
  for (long r = 0; r < R; ++r) {
    const float* xr = x.row(r).data();
    const long step = step_of_row[size_t(r)];
    float* sm = step >= 0 ? &a.step_max[size_t(step_row(a, step) * C)] : nullptr;
    float tmax = 0;
    for (long c = 0; c < C; ++c) {
      const float v = xr[c], av = std::fabs(v);
      ++a.hist[size_t(c) * kHistBins + size_t(hist_bin(av))];
      a.ch_max[size_t(c)] = std::max(a.ch_max[size_t(c)], av);
      if (sm) sm[c] = std::max(sm[c], av);
      tmax = std::max(tmax, av);
      const double d = double(v) - mean[size_t(c)], d2 = d * d;
      s2[size_t(c)] += d2;
      s3[size_t(c)] += d2 * d;
      s4[size_t(c)] += d2 * d2;
    }
    if (one_token) {
      obs_max = std::max(obs_max, tmax);
    } else {
      a.token_max.push_back(tmax);
      ++a.rows_in_step[step];
    }
  }
  if (one_token) {
    a.token_max.push_back(obs_max);
    ++a.rows_in_step[step_of_row[0]];
  }
  for (long c = 0; c < C; ++c)
    a.mom[size_t(c)].merge(Moments{double(R), mean[size_t(c)], s2[size_t(c)], s3[size_t(c)], s4[size_t(c)]});
}

void ActivationStats::observe(Tap tap, int layer, Direction dir, const videomamba::LinearSite* site,
                              const MatrixRM& value) {
  if (tap == Tap::Embed || tap == Tap::BlockOut || tap == Tap::Features) return;  // not quantized tensors
  if (tap == Tap::SsmInput && !opt_.record_ssm_input) return;
  if (layer >= 0 && !opt_.layers.empty() && std::find(opt_.layers.begin(), opt_.layers.end(), layer) == opt_.layers.end())
    return;
  std::lock_guard<std::mutex> lock(mu_);  // the two scan directions may report from two threads
  std::string name, kind;
  const std::string ssm = fmt::format("layers.{}.mixer.{}", layer, dir == Direction::Backward ? "ssm_b" : "ssm");
  switch (tap) {
    case Tap::LinearInput:
      name = site->name() + ".input";
      kind = linear_kind_name(site->kind);
      break;
    case Tap::SsmInput: name = ssm + ".u"; kind = "u"; break;
    case Tap::Delta: name = ssm + ".delta"; kind = "delta"; break;
    case Tap::SsmB: name = ssm + ".B"; kind = "B"; break;
    case Tap::SsmC: name = ssm + ".C"; kind = "C"; break;
    case Tap::SsmOutput: name = ssm + ".y"; kind = "y"; break;
    case Tap::SsmState: name = ssm + ".state"; kind = "state"; break;
    default: return;
  }
  Acc& a = acc(name, kind, layer, dir);
  const long rows = long(layout_.step_of_row.size());
  if (tap == Tap::SsmState) {
    // [d_inner x d_state]: channels are the d_inner rows; one observation at the pass's last step.
    MatrixRM t = value.transpose();
    std::vector<long> steps(size_t(t.rows()), layout_.steps.empty() ? -1 : layout_.steps.back());
    add(a, t, steps, true);
    return;
  }
  if (value.rows() == rows) {
    if (dir == Direction::Backward) {
      MatrixRM fwd(value.rows(), value.cols());
      for (long r = 0; r < rows; ++r) fwd.row(forward_row(r, dir)) = value.row(r);
      add(a, fwd, layout_.step_of_row, false);
    } else {
      add(a, value, layout_.step_of_row, false);
    }
    return;
  }
  if (value.rows() == long(layout_.steps.size())) {  // one row per step (the head's readout rows)
    add(a, value, layout_.steps, false);
    return;
  }
  add(a, value, std::vector<long>(size_t(value.rows()), -1), false);
}

std::vector<TensorStats> ActivationStats::finish() const {
  std::vector<TensorStats> out;
  out.reserve(accs_.size());
  for (const Acc& a : accs_) {
    if (a.channels <= 0) continue;
    TensorStats t;
    t.name = a.name;
    t.kind = a.kind;
    t.layer = a.layer;
    t.direction = a.direction;
    const long C = a.channels;
    t.channels = C;
    t.samples = long(a.mom[0].n);
    // Per channel.
    t.channel_max = a.ch_max;
    t.channel_p99.resize(size_t(C));
    t.channel_p999.resize(size_t(C));
    t.channel_mean.resize(size_t(C));
    t.channel_std.resize(size_t(C));
    t.channel_kurtosis.resize(size_t(C));
    t.hist.assign(kHistBins, 0);
    Moments all;
    double ksum = 0;
    long kcount = 0;
    for (long c = 0; c < C; ++c) {
      const uint64_t* h = &a.hist[size_t(c) * kHistBins];
      const uint64_t n = uint64_t(a.mom[size_t(c)].n);
      t.channel_p99[size_t(c)] = float(hist_quantile(h, n, 0.99, a.ch_max[size_t(c)]));
      t.channel_p999[size_t(c)] = float(hist_quantile(h, n, 0.999, a.ch_max[size_t(c)]));
      const Moments& m = a.mom[size_t(c)];
      t.channel_mean[size_t(c)] = m.mean;
      t.channel_std[size_t(c)] = std::sqrt(m.variance());
      t.channel_kurtosis[size_t(c)] = m.kurtosis();
      if (std::isfinite(t.channel_kurtosis[size_t(c)])) {
        ksum += t.channel_kurtosis[size_t(c)];
        ++kcount;
      }
      for (int b = 0; b < kHistBins; ++b) t.hist[size_t(b)] += h[b];
      all.merge(m);
    }
    t.max = *std::max_element(a.ch_max.begin(), a.ch_max.end());
    const uint64_t total = uint64_t(all.n);
    t.p99 = hist_quantile(t.hist.data(), total, 0.99, t.max);
    t.p999 = hist_quantile(t.hist.data(), total, 0.999, t.max);
    t.p9999 = hist_quantile(t.hist.data(), total, 0.9999, t.max);
    t.p99999 = hist_quantile(t.hist.data(), total, 0.99999, t.max);
    t.kurtosis = all.kurtosis();
    t.kurtosis_mean = kcount ? ksum / double(kcount) : std::numeric_limits<double>::quiet_NaN();
    // Per step, in step order.
    std::vector<long> order(a.step_index.size());
    std::iota(order.begin(), order.end(), 0L);
    std::sort(order.begin(), order.end(), [&](long x, long y) { return a.step_index[size_t(x)] < a.step_index[size_t(y)]; });
    const long S = long(order.size());
    t.step_index.resize(size_t(S));
    t.step_max.resize(size_t(S * C));
    t.step_median.resize(size_t(S));
    t.step_outliers.assign(size_t(S), 0);
    t.persistence.assign(size_t(C), 0.0);
    t.outlier_peak_ratio.assign(size_t(C), 0.0f);
    std::vector<float> row(static_cast<size_t>(C));
    for (long s = 0; s < S; ++s) {
      const long src = order[size_t(s)];
      t.step_index[size_t(s)] = a.step_index[size_t(src)];
      const float* sm = &a.step_max[size_t(src * C)];
      std::copy(sm, sm + C, &t.step_max[size_t(s * C)]);
      row.assign(sm, sm + C);
      const double med = median_of(row);
      t.step_median[size_t(s)] = float(med);
      if (med <= 0) continue;
      for (long c = 0; c < C; ++c) {
        const double ratio = sm[c] / med;
        t.outlier_peak_ratio[size_t(c)] = std::max(t.outlier_peak_ratio[size_t(c)], float(ratio));
        if (ratio > opt_.outlier_k) {
          ++t.step_outliers[size_t(s)];
          t.persistence[size_t(c)] += 1;
        }
      }
    }
    if (S > 0)
      for (auto& p : t.persistence) p /= double(S);
    // Per token.
    t.token_max = a.token_max;
    long rps = -1;
    for (const auto& [step, n] : a.rows_in_step) rps = rps < 0 ? n : (rps == n ? rps : 0);
    t.rows_per_step = std::max(rps, 0L);
    std::vector<double> ratios;
    ratios.reserve(a.token_max.size());
    for (float m : a.token_max)
      if (m > 0) ratios.push_back(t.max / m);
    t.static_dynamic_median = rank_quantile(ratios, 0.5);
    t.static_dynamic_p90 = rank_quantile(ratios, 0.9);
    out.push_back(std::move(t));
  }
  return out;
}

}  // namespace oasim::analysis
