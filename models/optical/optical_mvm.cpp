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

}  // namespace

void CalibrationSamples::add(std::vector<float>& dst, const float* v, long n) {
  // Deterministic thinning: keep every stride-th |value| so long runs stay bounded in memory.
  const long stride = std::max(1L, n / 4096);
  for (long i = 0; i < n && long(dst.size()) < kMaxCalibrationSamples * 4; i += stride) dst.push_back(std::abs(v[i]));
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
    p.chunks.push_back(std::move(c));
  }
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

void OpticalMvm::run(const OpticalLinearPlan& plan, const MatrixRM& x, MatrixRM& y, NormalSampler& noise,
                     energy::ActionCounts& counts, const MvmMode& mode) const {
  const long L = x.rows(), M = plan.out_features, K = plan.in_features;
  const bool offset = hw_.modulator.signed_encoding == config::SignedEncoding::Offset;
  const hw::NoiseVariant& noise_variant = mode.noise ? *noise_ : *no_noise_;

  // 1. DAC: one scale per token and input-scale group (one group unless the plan has Quamba2 groups).
  std::optional<profile::Scope> dac_scope(std::in_place, profile::Kernel::DacQuantize);
  const int G = plan.dac_groups();
  std::vector<int> gb = plan.dac_group_bounds;
  if (gb.empty()) gb = {0, int(K)};
  MatrixRM sx(L, G);
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
  MatrixRM qx;
  hw::dac_quantize(x, sx, gb, dac_levels_, qx);
  dac_scope.reset();
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

  y.setZero(L, M);
  MatrixRM s, light, z;
  hw::AdcStats adc_stats;
  // Light floors in code units: a modulator at code 0 and a dark pixel still pass light (light_budget.hpp).
  const float input_floor = float(budget_.input_floor);
  // Offset encoding: one rail carries x + L (+ the modulator's floor), removed digitally after the ADC.
  const float offset_level = float(dac_levels_) + input_floor;
  hw::NoiseInputs noise_in{&light, &fs_static, &ab};
  if (!static_adc) fs_static.setZero();
  for (const InputChunk& c : plan.chunks) {
    const auto xc = qx.middleCols(c.k0, c.width);
    // 2-3. Exact analog product of codes (balanced detection: signed result), plus the offset term.
    {
      profile::Scope scope(profile::Kernel::Mvm, 2.0 * double(L) * M * c.width);
      s.noalias() = xc * c.weff.transpose();
      if (offset) s.rowwise() += offset_level * c.offset_rowsum.transpose();
      hw::apply_crosstalk(s, hw_.weight_plane.crosstalk, plan.tile_rows);
    }
    // All light reaching each output's pair: every rail of every input through both pixels.
    if (noise_variant.needs_light() || mode.count_light) {
      profile::Scope scope(profile::Kernel::LightGemm, 2.0 * double(L) * M * c.width);
      if (offset)
        light.noalias() = (xc.array() + offset_level).matrix() * c.weff_light.transpose();
      else
        light.noalias() = (xc.cwiseAbs().array() + 2 * input_floor).matrix() * c.weff_light.transpose();
      counts.detector_light += double(light.sum());
    }
    {
      profile::Scope scope(profile::Kernel::Noise);
      noise_variant.add(s, noise_in, noise, z);
    }
    if (mode.calibration) {
      if (plan.adc_group_bounds.empty()) mode.calibration->add(mode.calibration->adc_abs, s.data(), s.size());
      else mode.calibration->add_groups(mode.calibration->adc_abs_groups, s, plan.adc_group_bounds);
    }

    // 4. ADC.
    if (mode.adc) {
      profile::Scope scope(profile::Kernel::Adc);
      if (static_adc) {
        if (fs_static.minCoeff() <= 0)
          fail_input("{}: static ADC range is not calibrated (run calibration or set adc.range: dynamic)", plan.site);
        for (long t = 0; t < L; ++t)
          for (long m = 0; m < M; ++m) s(t, m) = hw::adc_convert(s(t, m), fs_static[m], adc_levels_, adc_stats);
      } else {
        for (long t = 0; t < L; ++t)
          for (size_t g = 0; g + 1 < ab.size(); ++g) {
            const float fs = s.row(t).segment(ab[g], ab[g + 1] - ab[g]).cwiseAbs().maxCoeff();
            for (long m = ab[g]; m < ab[g + 1]; ++m) s(t, m) = hw::adc_convert(s(t, m), fs, adc_levels_, adc_stats);
          }
        counts.digital_adds += double(L) * M;  // the range measurement per vector
      }
    }
    // 5. Digital: remove the offset the device was programmed with (the intended codes; fixed-pattern
    // error in it stays as error), rescale by input and weight scales, accumulate the chunk.
    if (offset) {
      const VectorF programmed = plan.weights.codes.middleCols(c.k0, c.width).rowwise().sum();
      s.rowwise() -= offset_level * programmed.transpose();
      counts.digital_adds += double(L) * M;
    }
    const RowVectorF wscale = plan.weights.scales.col(c.group).transpose();
    y.array() += (s.array().colwise() * sx.col(c.dac_group).array()).rowwise() * wscale.array();

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
  counts.adc_samples += double(adc_stats.samples);
  counts.adc_saturations += double(adc_stats.saturated);
}

}  // namespace oasim::optical
