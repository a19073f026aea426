#include "models/optical/optical_mvm.hpp"

#include <cmath>
#include <optional>

#include "models/components/adc.hpp"
#include "models/components/modulator.hpp"
#include "models/components/weight_plane.hpp"
#include "models/optical/quantizer.hpp"
#include "sim/common/error.hpp"
#include "sim/common/kernel_profile.hpp"
#include "sim/common/rng.hpp"

namespace oasim::optical {
namespace {

constexpr long kMaxCalibrationSamples = 1 << 16;
constexpr long kCalibrationCap = kMaxCalibrationSamples * 4;  // samples kept per list
// Deterministic thinning of a calibration list: every stride-th |value| of n, so long runs stay bounded.
long thin_stride(long n) { return std::max(1L, n / 4096); }
// From this stride on, collect_adc_samples computes only the kept signals (three dot products each, with
// the crosstalk neighbours, against one per output of the full product at several times the rate).
constexpr long kMinSampledStride = 16;
// Token rows per block of a pass (the unit of parallel work; fixed so results do not depend on threads).
constexpr long kRowBlock = 16;

// The largest shift (<= 14) for which every effective code x 2^shift fits int16 and every chunk's sums
// over inputs up to a_max (the offset rail's x + L included) fit int32; -1 if not even shift 0 does.
int choose_code_shift(const std::vector<InputChunk>& chunks, long a_max) {
  if (a_max > 32767) return -1;
  double wmax = 0, width = 0;
  for (const InputChunk& c : chunks) {
    if (c.weff.size()) wmax = std::max(wmax, double(c.weff.cwiseAbs().maxCoeff()));
    width = std::max(width, double(c.width));
  }
  for (int shift = 14; shift >= 0; --shift) {
    const double wq = std::round(std::ldexp(wmax, shift));
    const double lo = double(1 << InputChunk::kLoBits) / 2 + 1;  // the low part's bound
    if (wq <= 32767 && width * double(a_max) * std::max(wq, lo) <= 2147483647.0) return shift;
  }
  return -1;
}

// Packs weff x 2^(shift + kLoBits) as a high and a low int16 part.
void pack_chunk(InputChunk& c, int shift) {
  const long M = c.weff.rows(), W = c.weff.cols();
  std::vector<int16_t> q(size_t(M * W)), ql(q.size());
  for (long m = 0; m < M; ++m)
    for (long k = 0; k < W; ++k) {
      const double w = double(c.weff(m, k));
      const long hi = std::lround(std::ldexp(w, shift));
      const long lo = std::lround(std::ldexp(w, shift + InputChunk::kLoBits) - std::ldexp(double(hi), InputChunk::kLoBits));
      q[size_t(m * W + k)] = int16_t(hi);
      ql[size_t(m * W + k)] = int16_t(lo);
    }
  c.packed = pack_i16(q.data(), int(M), int(W), W);
  c.packed_lo = pack_i16(ql.data(), int(M), int(W), W);
  c.hi_rows = std::move(q);
  c.lo_rows = std::move(ql);
}

// The exact signal from the high and low parts' integer sums: summed in int64 (exact in double), scaled by a
// power of two and rounded once to float. Every path that computes a signal goes through here.
inline float exact_signal(int32_t hi, int32_t lo, double scale) {
  return float(double(int64_t(hi) * (1 << InputChunk::kLoBits) + lo) * scale);
}

// Per-thread scratch of the integer path (run() is const and called from several threads): the chunk's
// input codes as int16 and the light product's inputs as bytes, grown once and reused by every frame.
struct IntScratch {
  std::vector<int16_t> codes;
  std::vector<uint8_t> light_in;
  std::vector<int32_t> hi, lo;
  std::vector<float> light_rowsum;
};
IntScratch& int_scratch() {
  thread_local IntScratch s;
  return s;
}

// The chunk's DAC codes (exact integers in float) as int16 rows padded to the packed pairs, then
// s = codes x weff^T from the integer kernel: high and low parts summed exactly (int64), rounded once to
// float, for the L rows of qx from t0, so s is the exact product correctly rounded (the fp32 GEMM it
// replaces rounded at every addition; where that was exact, the two agree bit for bit).
void codes_product_int(const InputChunk& c, int shift, const MatrixRM& qx, long t0, long L, MatrixRM& s) {
  const long W = c.width, lda = 2L * c.packed.kpairs;
  IntScratch& sc = int_scratch();
  sc.codes.resize(size_t(L * lda));
  for (long t = 0; t < L; ++t) {
    const float* x = qx.row(t0 + t).data() + c.k0;
    int16_t* q = sc.codes.data() + t * lda;
    for (long k = 0; k < W; ++k) q[k] = int16_t(x[k]);
    for (long k = W; k < lda; ++k) q[k] = 0;
  }
  const long M = c.packed.rows;
  s.resize(L, M);
  sc.hi.resize(size_t(L * M));
  sc.lo.resize(size_t(L * M));
  gemm_i16_i32(sc.codes.data(), L, lda, c.packed, sc.hi.data(), M);
  gemm_i16_i32(sc.codes.data(), L, lda, c.packed_lo, sc.lo.data(), M);
  const double scale = std::ldexp(1.0, -(shift + InputChunk::kLoBits));
  float* out = s.data();
  for (long i = 0; i < L * M; ++i) out[i] = exact_signal(sc.hi[size_t(i)], sc.lo[size_t(i)], scale);
}

// light = (a + alpha) (|weff| + beta)^T = a |weff|^T + beta sum(a) + alpha sum|weff| + alpha beta W for the
// L rows of qx from t0, with a the light each input puts on the plane in code units (|code| on the
// differential rails, code + levels on the offset rail), the first term from the byte kernel.
void light_product_bytes(const InputChunk& c, const MatrixRM& qx, long t0, long L, bool offset, int dac_levels,
                         float alpha, float beta, MatrixRM& light) {
  IntScratch& sc = int_scratch();
  const long W = c.width, lda = c.light_bytes.lda();
  sc.light_in.resize(size_t(L * lda));
  sc.light_rowsum.resize(size_t(L));
  for (long t = 0; t < L; ++t) {
    const float* x = qx.row(t0 + t).data() + c.k0;
    uint8_t* a = sc.light_in.data() + t * lda;
    int sum = 0;
    for (long k = 0; k < W; ++k) {
      const int code = int(x[k]);
      const int level = offset ? code + dac_levels : std::abs(code);
      a[k] = uint8_t(level);
      sum += level;
    }
    for (long k = W; k < lda; ++k) a[k] = 0;
    sc.light_rowsum[size_t(t)] = float(sum);
  }
  const long M = c.light_bytes.rows;
  light.resize(L, M);
  light_gemm(sc.light_in.data(), L, lda, c.light_bytes, light.data(), M);
  const float constant = alpha * beta * float(W);
  for (long t = 0; t < L; ++t) {
    const float row = beta * sc.light_rowsum[size_t(t)] + constant;
    float* l = light.row(t).data();
    for (long m = 0; m < M; ++m) l[m] += row + alpha * c.abs_rowsum[m];
  }
}

}  // namespace

void CalibrationSamples::add(std::vector<float>& dst, const float* v, long n) {
  const long stride = thin_stride(n);
  for (long i = 0; i < n && long(dst.size()) < kCalibrationCap; i += stride) dst.push_back(std::abs(v[i]));
}

void CalibrationSamples::add_groups(std::vector<std::vector<float>>& groups, const MatrixRM& m,
                                    const std::vector<int>& bounds) {
  const size_t g_count = bounds.size() - 1;
  if (groups.size() < g_count) groups.resize(g_count);
  std::vector<float> block;
  for (size_t g = 0; g < g_count; ++g) {
    const int c0 = bounds[g], w = bounds[g + 1] - bounds[g];
    block.resize(size_t(m.rows()) * size_t(w));
    for (long t = 0; t < m.rows(); ++t) std::copy_n(m.row(t).data() + c0, w, block.data() + size_t(t) * w);
    add(groups[g], block.data(), long(block.size()));
  }
}

OpticalLinearPlan make_plan(const std::string& site, const MatrixRM& weight, const VectorF& bias,
                            const config::HardwareConfig& hw, const std::vector<int>& dac_bounds) {
  const auto& wp = hw.weight_plane;
  const bool grouped = wp.scale == config::WeightScale::Group;
  return make_plan(site, quantize_weights_rtn(weight, wp.weight_bits, grouped ? wp.group_size : 0), bias, hw,
                   dac_bounds);
}

OpticalLinearPlan make_plan(const std::string& site, QuantizedWeights weights, const VectorF& bias,
                            const config::HardwareConfig& hw, const std::vector<int>& dac_bounds) {
  const auto& wp = hw.weight_plane;
  const bool grouped = wp.scale == config::WeightScale::Group;
  OpticalLinearPlan p;
  p.site = site;
  p.out_features = int(weights.codes.rows());
  p.in_features = int(weights.codes.cols());
  p.tile_rows = wp.rows;
  p.weights = std::move(weights);
  p.bias = bias;
  p.dac_group_bounds = dac_bounds;
  // A chunk is one optical pass: at most one plane's columns, and never across a weight- or input-scale
  // group, because each group's partial sum is rescaled digitally after its own ADC sample.
  NormalSampler fixed_pattern(stream_seed(hw.seed, site + "/fixed_pattern"));
  MatrixRM eps(p.out_features, p.in_features);
  fixed_pattern.fill(eps.data(), eps.size());
  for (const ChunkRange& r : input_chunk_ranges(p.in_features, hw, dac_bounds)) {
    const int k0 = r.k0;
    InputChunk c;
    c.k0 = k0;
    c.width = r.width;
    c.dac_group = r.dac_group;
    c.group = grouped ? k0 / p.weights.group_size : 0;
    const auto codes = p.weights.codes.middleCols(k0, c.width);
    c.weff = (codes.array() * (1.0f + float(wp.fixed_pattern_sigma) * eps.middleCols(k0, c.width).array())).matrix();
    c.weff_light = (c.weff.cwiseAbs().array() + float(2 * hw::weight_light_floor(hw))).matrix();
    c.offset_rowsum = c.weff.rowwise().sum();
    c.abs_rowsum = c.weff.cwiseAbs().rowwise().sum();
    p.chunks.push_back(std::move(c));
  }
  // The largest light level an input puts on the plane: |code| <= L, or code + L on the offset rail.
  const bool offset = hw.modulator.signed_encoding == config::SignedEncoding::Offset;
  const long a_max = long(hw::dac_levels(hw)) * (offset ? 2 : 1);
  p.light_in_bytes = a_max <= 255;
  if (p.light_in_bytes)
    for (InputChunk& c : p.chunks) c.light_bytes = pack_light(c.weff);
  p.code_shift = choose_code_shift(p.chunks, a_max);
  if (p.code_shift >= 0)
    for (InputChunk& c : p.chunks) pack_chunk(c, p.code_shift);
  return p;
}

OpticalMvm::OpticalMvm(const config::HardwareConfig& hw)
    : hw_(hw),
      dac_levels_(hw::dac_levels(hw)),
      weight_levels_(hw::weight_levels(hw)),
      adc_levels_(hw::adc_levels(hw)),
      budget_(hw::light_budget(hw)),
      noise_(hw::make_noise_variant(hw, true)),
      no_noise_(hw::make_noise_variant(hw, false)) {}

// 1. DAC: one scale per token and input-scale group (one group unless the plan has Quamba2 groups), the
// codes qx (exact integers in float) and the scales sx [L x groups].
void OpticalMvm::quantize_inputs(const OpticalLinearPlan& plan, const MatrixRM& x, const MvmMode& mode,
                                 energy::ActionCounts& counts, MatrixRM& sx, MatrixRM& qx) const {
  const long L = x.rows(), K = plan.in_features;
  profile::Scope scope(profile::Kernel::DacQuantize);
  const int G = plan.dac_groups();
  std::vector<int> gb = plan.dac_group_bounds;
  if (gb.empty()) gb = {0, int(K)};
  sx.resize(L, G);
  const bool dynamic_dac = hw_.modulator.scale == config::ActivationScale::Dynamic;
  if (dynamic_dac) {
    for (long t = 0; t < L; ++t)
      for (int g = 0; g < G; ++g) {
        const float mx = x.row(t).segment(gb[g], gb[g + 1] - gb[g]).cwiseAbs().maxCoeff();
        sx(t, g) = mx > 0 ? mx / float(dac_levels_) : 1.0f;
      }
    counts.digital_adds += double(L) * K;  // the max-reduction per vector (compare = add)
    counts.digital_muls += double(L) * G;  // one scale per group
  } else {
    for (int g = 0; g < G; ++g) {
      const float scale = plan.dac_group_bounds.empty() ? plan.dac_scale
                          : g < plan.dac_group_scales.size() ? plan.dac_group_scales[g] : 0.0f;
      if (scale <= 0)
        fail_input("{}: static DAC scale is not calibrated (run calibration or set modulator.scale: dynamic)",
                   plan.site);
      sx.col(g).setConstant(scale);
    }
  }
  if (mode.calibration) mode.calibration->add(mode.calibration->dac_abs, x.data(), x.size());
  hw::dac_quantize(x, sx, gb, dac_levels_, qx);
}

void OpticalMvm::collect_adc_samples(const OpticalLinearPlan& plan, const MatrixRM& x, NoiseStream& noise,
                                     const MvmMode& mode) const {
  const long L = x.rows(), M = plan.out_features;
  energy::ActionCounts ignore;
  if (!mode.calibration || mode.noise || mode.adc || plan.code_shift < 0 || !plan.adc_group_bounds.empty() ||
      thin_stride(L * M) < kMinSampledStride) {
    MatrixRM discard;
    run(plan, x, discard, noise, ignore, mode);
    return;
  }
  MatrixRM sx, qx;
  quantize_inputs(plan, x, mode, ignore, sx, qx);
  const bool offset = hw_.modulator.signed_encoding == config::SignedEncoding::Offset;
  const float offset_level = float(dac_levels_) + float(budget_.input_floor);
  const double crosstalk = hw_.weight_plane.crosstalk;
  const float fc = float(crosstalk);
  const long tile = plan.tile_rows;
  std::vector<float>& dst = mode.calibration->adc_abs;
  for (const InputChunk& c : plan.chunks) {
    const long n = L * M, stride = thin_stride(n), W = c.width;
    const long kept = std::min((n + stride - 1) / stride, std::max(0L, kCalibrationCap - long(dst.size())));
    if (kept == 0) continue;
    const double scale = std::ldexp(1.0, -(plan.code_shift + InputChunk::kLoBits));
    const size_t first = dst.size();
    dst.resize(first + size_t(kept));
    // The offset term as run() adds it: the products rounded first (no fused multiply-add).
    const RowVectorF offset_term = offset ? RowVectorF(offset_level * c.offset_rowsum.transpose()) : RowVectorF();
#pragma omp parallel
    {
      std::vector<int16_t> q(static_cast<size_t>(W));
      long row = -1;
      // The signal run() computes at output j of the current row: the same exact integer sums, rounded
      // once, then the offset term, crosstalk (weight_plane.cpp's expression for a tile's first, inner
      // and last rows) and the drift gain, in the same order.
      auto product = [&](long j) {
        const int16_t* h = c.hi_rows.data() + j * W;
        const int16_t* l = c.lo_rows.data() + j * W;
        int32_t hi = 0, lo = 0;
        for (long k = 0; k < W; ++k) {
          hi += int32_t(q[size_t(k)]) * int32_t(h[k]);
          lo += int32_t(q[size_t(k)]) * int32_t(l[k]);
        }
        float v = exact_signal(hi, lo, scale);
        if (offset) v += offset_term[j];
        return v;
      };
#pragma omp for schedule(static)
      for (long u = 0; u < kept; ++u) {
        const long i = u * stride, t = i / M, j = i % M;
        if (t != row) {
          const float* xr = qx.row(t).data() + c.k0;
          for (long k = 0; k < W; ++k) q[size_t(k)] = int16_t(xr[k]);
          row = t;
        }
        float v = product(j);
        if (crosstalk > 0) {
          const long start = j - j % tile, end = std::min(M, start + tile);
          if (end - start > 1) {
            if (j == start) {
              v = v + fc * (product(j + 1) - v);
            } else if (j == end - 1) {
              v = v + fc * (product(j - 1) - v);
            } else {
              float acc = v;
              acc += fc * (product(j - 1) - v);
              acc += fc * (product(j + 1) - v);
              v = acc;
            }
          }
        }
        if (mode.analog_gain != 1.0f) v *= mode.analog_gain;
        dst[first + size_t(u)] = std::abs(v);
      }
    }
  }
}

void OpticalMvm::run(const OpticalLinearPlan& plan, const MatrixRM& x, MatrixRM& y, NoiseStream& noise,
                     energy::ActionCounts& counts, const MvmMode& mode) const {
  const long L = x.rows(), M = plan.out_features, K = plan.in_features;
  const bool offset = hw_.modulator.signed_encoding == config::SignedEncoding::Offset;
  const hw::NoiseVariant& noise_variant = mode.noise ? *noise_ : *no_noise_;

  // 1. DAC.
  MatrixRM sx, qx;
  quantize_inputs(plan, x, mode, counts, sx, qx);
  const double row_tiles = std::ceil(double(M) / plan.tile_rows);  // each plane tile re-modulates its inputs
  counts.dac_conversions += double(L) * K * row_tiles;

  // ADC ranges: one per output-range group (Quamba2's per-state-group B/C), else one per layer.
  std::vector<int> ab = plan.adc_group_bounds;
  if (ab.empty()) ab = {0, int(M)};
  const bool static_adc = hw_.adc.range == config::AdcRange::Static;
  RowVectorF fs_static(M);  // static full scale of each output row (0 = not calibrated)
  for (size_t g = 0; g + 1 < ab.size(); ++g) {
    const float fs = plan.adc_group_bounds.empty() ? plan.adc_full_scale
                     : long(g) < plan.adc_group_full_scales.size() ? plan.adc_group_full_scales[long(g)] : 0.0f;
    fs_static.segment(ab[g], ab[g + 1] - ab[g]).setConstant(fs);
  }
  if (mode.calibrated_gain != 1.0f) fs_static *= mode.calibrated_gain;  // ranges re-estimated at recalibration

  y.setZero(L, M);
  // Light floors in code units: a modulator at code 0 and a dark pixel still pass light (light_budget.hpp).
  const float input_floor = float(budget_.input_floor);
  // Offset encoding: one rail carries x + L (+ the modulator's floor), removed digitally after the ADC.
  const float offset_level = float(dac_levels_) + input_floor;
  const float weight_floor2 = float(2 * hw::weight_light_floor(hw_));  // a pixel pair's dark floor
  if (!static_adc) fs_static.setZero();
  if (mode.adc && static_adc && fs_static.minCoeff() <= 0)
    fail_input("{}: static ADC range is not calibrated (run calibration or set adc.range: dynamic)", plan.site);
  const bool need_light = noise_variant.needs_light() || mode.count_light;
  const long blocks = (L + kRowBlock - 1) / kRowBlock;
  std::vector<hw::AdcStats> block_adc(static_cast<size_t>(blocks));
  std::vector<double> block_light(static_cast<size_t>(blocks));
  std::vector<uint64_t> block_draws(static_cast<size_t>(blocks));  // noise samples each block drew (M per row, or none)
  MatrixRM pre_adc;  // the whole pass's signals before the ADC, for calibration only
  if (mode.calibration) pre_adc.resize(L, M);
  for (const InputChunk& c : plan.chunks) {
    // Offset encoding: the offset the device was programmed with (the intended codes; fixed-pattern
    // error in it stays as error), removed digitally after the ADC.
    const VectorF programmed = offset ? VectorF(plan.weights.codes.middleCols(c.k0, c.width).rowwise().sum()) : VectorF();
    RowVectorF wscale = plan.weights.scales.col(c.group).transpose();
    if (mode.calibrated_gain != 1.0f) wscale /= mode.calibrated_gain;  // the controller's gain correction
    const uint64_t noise_base = noise.position();
    // Token rows in fixed blocks: rows are independent from the product to the rescale (a noise variant
    // that draws takes M samples per row, so row t's noise is samples t x M .. of the pass, whoever draws
    // them), so blocks run on any thread and the result, sums over blocks included, does not depend on the
    // thread count. Exceptions must not leave the parallel region: nothing below throws (the calibration
    // checks are above).
#pragma omp parallel for schedule(dynamic, 1) if (blocks > 1)
    for (long b = 0; b < blocks; ++b) {
      const long t0 = b * kRowBlock, n = std::min(kRowBlock, L - t0);
      thread_local MatrixRM s, light, z;
      // 2-3. Exact analog product of codes (balanced detection: signed result), plus the offset term.
      {
        profile::Scope scope(profile::Kernel::Mvm, 2.0 * double(n) * M * c.width);
        if (plan.code_shift >= 0)
          codes_product_int(c, plan.code_shift, qx, t0, n, s);
        else
          s.noalias() = qx.block(t0, c.k0, n, c.width) * c.weff.transpose();
        if (offset) s.rowwise() += offset_level * c.offset_rowsum.transpose();
        hw::apply_crosstalk(s, hw_.weight_plane.crosstalk, plan.tile_rows);
        if (mode.analog_gain != 1.0f) s *= mode.analog_gain;  // drifted laser power x plane transmission
      }
      // All light reaching each output's pair: every rail of every input through both pixels.
      if (need_light) {
        profile::Scope scope(profile::Kernel::LightGemm, 2.0 * double(n) * M * c.width);
        const auto xc = qx.block(t0, c.k0, n, c.width);
        if (plan.light_in_bytes)
          light_product_bytes(c, qx, t0, n, offset, dac_levels_, offset ? input_floor : 2 * input_floor,
                              weight_floor2, light);
        else if (offset)
          light.noalias() = (xc.array() + offset_level).matrix() * c.weff_light.transpose();
        else
          light.noalias() = (xc.cwiseAbs().array() + 2 * input_floor).matrix() * c.weff_light.transpose();
        if (mode.analog_gain != 1.0f) light *= mode.analog_gain;
        block_light[size_t(b)] = light.cast<double>().sum();
      }
      {
        profile::Scope scope(profile::Kernel::Noise);
        NoiseStream rows_noise = noise;
        rows_noise.seek(noise_base + uint64_t(t0) * uint64_t(M));
        const hw::NoiseInputs noise_in{&light, &fs_static, &ab};
        noise_variant.add(s, noise_in, rows_noise, z);
        block_draws[size_t(b)] = rows_noise.position() - (noise_base + uint64_t(t0) * uint64_t(M));
      }
      if (mode.calibration) pre_adc.middleRows(t0, n) = s;

      // 4. ADC.
      if (mode.adc) {
        profile::Scope scope(profile::Kernel::Adc);
        hw::AdcStats& stats = block_adc[size_t(b)];
        if (static_adc) {
          for (long t = 0; t < n; ++t) hw::adc_convert_row(s.row(t).data(), fs_static.data(), M, adc_levels_, stats);
        } else {
          for (long t = 0; t < n; ++t)
            for (size_t g = 0; g + 1 < ab.size(); ++g) {
              const float fs = s.row(t).segment(ab[g], ab[g + 1] - ab[g]).cwiseAbs().maxCoeff();
              hw::adc_convert_row(s.row(t).data() + ab[g], fs, ab[g + 1] - ab[g], adc_levels_, stats);
            }
        }
      }
      // 5. Digital: remove the offset, rescale by input and weight scales, accumulate the chunk.
      if (offset) s.rowwise() -= offset_level * programmed.transpose();
      y.middleRows(t0, n).array() +=
          (s.array().colwise() * sx.col(c.dac_group).segment(t0, n).array()).rowwise() * wscale.array();
    }
    uint64_t drawn = 0;
    for (long b = 0; b < blocks; ++b) {  // in block order: the same sums on any thread count
      drawn += block_draws[size_t(b)];
      counts.detector_light += block_light[size_t(b)];
      counts.adc_samples += double(block_adc[size_t(b)].samples);
      counts.adc_saturations += double(block_adc[size_t(b)].saturated);
      block_adc[size_t(b)] = {};
    }
    noise.seek(noise_base + drawn);
    if (mode.calibration) {
      if (plan.adc_group_bounds.empty()) mode.calibration->add(mode.calibration->adc_abs, pre_adc.data(), pre_adc.size());
      else mode.calibration->add_groups(mode.calibration->adc_abs_groups, pre_adc, plan.adc_group_bounds);
    }
    if (mode.adc && !static_adc) counts.digital_adds += double(L) * M;  // the range measurement per vector
    if (offset) counts.digital_adds += double(L) * M;

    const double outputs = double(L) * M;
    counts.modulator_symbols += double(L) * c.width * row_tiles;
    counts.detector_samples += outputs;
    counts.digital_muls += 2 * outputs;
    counts.digital_adds += outputs;
    counts.macs += outputs * c.width;
  }
  if (plan.bias.size()) {
    y.rowwise() += plan.bias.transpose();
    counts.digital_adds += double(L) * M;
  }
}

}  // namespace oasim::optical
