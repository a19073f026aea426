// Optical numerics against closed forms: detector noise statistics, ADC codes and saturation, and the
// noiseless high-precision limit of the whole hardware path.
#include <catch2/catch.hpp>

#include <cmath>
#include <numeric>

#include "models/components/adc.hpp"
#include "models/components/detector.hpp"
#include "models/components/light_budget.hpp"
#include "models/optical/optical_mvm.hpp"
#include "models/optical/quantizer.hpp"
#include "models/optical/weight_quantizer.hpp"
#include "sim/hardware/optical_linear_executor.hpp"
#include "tests/run_support.hpp"
#include "tests/shared_setups.hpp"
#include "workloads/videomamba/random_weights.hpp"
#include "workloads/videomamba/videomamba_model.hpp"

using namespace oasim;
using namespace oasim::optical;

namespace {

config::HardwareConfig quiet_device() { return test::shot_noise_only_device(); }

struct Moments {
  double mean = 0, var = 0;
};
Moments moments(const MatrixRM& col) {
  Moments m;
  m.mean = col.mean();
  m.var = (col.array() - m.mean).square().sum() / double(col.size() - 1);
  return m;
}

// Runs n copies of the vector x through a 1-output "layer" with weight row w, without the ADC,
// and returns the analog outputs in accumulator units (scales are 1 by construction).
MatrixRM analog_outputs(const config::HardwareConfig& hw, const RowVectorF& w, const RowVectorF& x, long n, uint64_t seed) {
  MatrixRM W = w;
  OpticalLinearPlan plan = make_plan("test", W, VectorF(), hw);
  plan.dac_scale = 1.0f;
  OpticalMvm mvm(hw);
  MatrixRM X = x.replicate(n, 1), y;
  NoiseStream noise(seed);
  energy::ActionCounts counts;
  MvmMode mode;
  mode.adc = false;
  mvm.run(plan, X, y, noise, counts, mode);
  // y = S * dac_scale * weight_scale: undo the weight scale to get accumulator units.
  return y / plan.weights.scales(0, 0);
}

}  // namespace

TEST_CASE("detector: noise formulas are the textbook ones", "[optical][noise]") {
  config::HardwareConfig hw;
  hw.modulator.symbol_rate_ghz = 10;  // B = 5 GHz
  const hw::DetectorNoise d = hw::DetectorNoise::from_config(hw);
  CHECK(d.bandwidth_hz == Approx(5e9));
  CHECK(d.shot_a2(1e-3) == Approx(2 * 1.602176634e-19 * 1e-3 * 5e9));
  // Johnson noise of R_f = 10 kOhm plus the amplifier's 20 pA/rtHz over 5 GHz (1.41 uA rms).
  CHECK(d.thermal_a2 == Approx(4 * 1.380649e-23 * 300 * 5e9 / 1e4 + 400e-24 * 5e9));
  CHECK(std::sqrt(d.thermal_a2) == Approx(1.417e-6).epsilon(0.01));
  CHECK(d.dark_a2 == Approx(2 * 2 * 1.602176634e-19 * 1e-9 * 5e9));  // both diodes of the pair
  CHECK(d.rin_a2(1e-3) == Approx(std::pow(10.0, -15.0) * 1e-6 * 5e9));
}

TEST_CASE("detector: simulated shot noise matches 2qIB over 1e5 samples", "[optical][noise]") {
  config::HardwareConfig hw = quiet_device();
  hw.laser.power_mw = 1e-2;  // few photons: shot noise dominates and is large
  const int levels = max_code(hw.modulator.dac_bits), wl = max_code(hw.weight_plane.weight_bits);
  RowVectorF w = RowVectorF::Constant(64, float(wl));         // full transmission
  RowVectorF x = RowVectorF::Constant(64, float(levels));     // full-scale inputs
  MatrixRM y = analog_outputs(hw, w, x, 100000, 11);
  const hw::DetectorNoise d = hw::DetectorNoise::from_config(hw);
  const hw::LightBudget b = hw::light_budget(hw);
  const double signal = 64.0 * levels * wl;                   // accumulator units
  // All light on the pair: both rails of every input (the idle rail at the modulator's floor) through both
  // pixels (the dark one at the display's floor).
  const double light = 64.0 * (levels + 2 * b.input_floor) * (wl + 2 * b.weight_floor);
  const double expected_var_acc = d.shot_a2(light * d.unit_current_a) / (d.unit_current_a * d.unit_current_a);
  Moments m = moments(y);
  CHECK(m.mean == Approx(signal).margin(5 * std::sqrt(expected_var_acc / 100000)));  // 5 standard errors
  CHECK(m.var == Approx(expected_var_acc).epsilon(0.03));
  // Variance of the current itself: 2 q I B.
  CHECK(m.var * d.unit_current_a * d.unit_current_a ==
        Approx(2 * hw::kElectronCharge * light * d.unit_current_a * d.bandwidth_hz).epsilon(0.03));
}

TEST_CASE("detector: thermal noise does not depend on the signal", "[optical][noise]") {
  config::HardwareConfig hw = quiet_device();
  hw.detector.tia_feedback_kohm = 0.01;  // strong thermal noise
  hw.detector.temperature_k = 300;
  hw.laser.power_mw = 1e-9;  // negligible shot noise
  const int levels = max_code(hw.modulator.dac_bits), wl = max_code(hw.weight_plane.weight_bits);
  RowVectorF w = RowVectorF::Constant(2, float(wl));
  RowVectorF zero_signal(2), big_signal(2);
  zero_signal << float(levels), -float(levels);  // same light, signal cancels
  big_signal << float(levels), float(levels);
  Moments a = moments(analog_outputs(hw, w, zero_signal, 100000, 3));
  Moments b = moments(analog_outputs(hw, w, big_signal, 100000, 4));
  const hw::DetectorNoise d = hw::DetectorNoise::from_config(hw);
  const double thermal_acc = d.thermal_a2 / (d.unit_current_a * d.unit_current_a);
  const double mean_tolerance = 5 * std::sqrt(thermal_acc / 100000);  // 5 standard errors
  CHECK(a.mean == Approx(0).margin(mean_tolerance));
  CHECK(b.mean == Approx(2.0 * levels * wl).margin(mean_tolerance));
  CHECK(a.var == Approx(thermal_acc).epsilon(0.03));
  CHECK(b.var == Approx(thermal_acc).epsilon(0.03));
}

TEST_CASE("ADC: uniform codes over the range, saturation beyond it", "[optical][adc]") {
  const int levels = max_code(6);  // 31
  hw::AdcStats st;
  std::vector<int> hist(2 * levels + 1, 0);
  const int n = 2 * levels * 1000;
  for (int i = 0; i < n; ++i) {
    float v = -1.0f + 2.0f * (float(i) + 0.5f) / float(n);  // uniform over [-1, 1]
    float q = hw::adc_convert(v, 1.0f, levels, st);
    hist[int(std::lround(q * levels)) + levels]++;
  }
  CHECK(st.saturated == 0);
  // Inner codes each cover one step: equal counts; the two end codes cover half a step.
  for (int c = 1; c < 2 * levels; ++c) CHECK(hist[c] == Approx(1000).epsilon(0.01));
  CHECK(hist[0] == Approx(500).epsilon(0.02));
  hw::AdcStats sat;
  CHECK(hw::adc_convert(3.0f, 1.0f, levels, sat) == 1.0f);
  CHECK(hw::adc_convert(-3.0f, 1.0f, levels, sat) == -1.0f);
  CHECK(sat.saturated == 2);
  // Walden energy counts ENOB steps: 8 bits with a 1.4-bit loss is 22 fJ x 2^6.6 = 2.19 pJ (the ISSCC 2025
  // 10 GS/s design: 21.9 mW / 10 GS/s).
  config::HardwareConfig hw;
  CHECK(hw::adc_energy_j(hw) == Approx(22e-15 * std::pow(2.0, 6.6)));
  CHECK(hw::adc_energy_j(hw) == Approx(21.9e-3 / 10e9).epsilon(0.03));
  // 16 bits: the thermal-noise (Schreier) regime dominates, about 4x energy per added bit.
  hw.adc.bits = 16;
  const double sndr = 6.02 * 14.6 + 1.76;
  CHECK(hw::adc_energy_j(hw) == Approx(0.5 * std::pow(10.0, (sndr - 170) / 10)));
  hw.adc.bits = 15;
  const double e15 = hw::adc_energy_j(hw);
  hw.adc.bits = 16;
  CHECK(hw::adc_energy_j(hw) / e15 == Approx(4.0).epsilon(0.01));
}

TEST_CASE("weights: RTN Int4 codes and scales", "[optical][weights]") {
  MatrixRM w(2, 4);
  w << 0.7f, -0.35f, 0.1f, 0.0f, -2.0f, 1.0f, 0.5f, 0.25f;
  QuantizedWeights q = quantize_weights_rtn(w, 4, 0);
  CHECK(q.scales(0, 0) == Approx(0.1f));
  CHECK(q.codes(0, 0) == 7);
  CHECK(q.codes(0, 1) == Approx(-4));  // -3.5 rounds away from zero
  CHECK(q.codes(1, 0) == -7);
  CHECK(q.codes.cwiseAbs().maxCoeff() <= 7);
  QuantizedWeights g = quantize_weights_rtn(w, 4, 2);
  CHECK(g.groups() == 2);
  CHECK(g.scales(1, 1) == Approx(0.5f / 7));
  // Round to nearest: no element is further than half a step of its own group from the original.
  CHECK((g.dequantized() - w).cwiseAbs().maxCoeff() <= g.scales.maxCoeff() / 2 + 1e-6f);
}

TEST_CASE("hardware path: noise off and 16-bit converters reproduce the fp32 model", "[optical]") {
  using namespace videomamba;
  ModelConfig c;
  c.variant = Variant::Stream;
  c.embed_dim = 32;
  c.depth = 2;
  c.dt_rank = 2;
  c.patch_size = 8;
  c.img_size = 32;
  c.num_frames = 3;
  c.num_classes = 10;
  VideoMambaModel model(random_weights(c, 5));
  config::HardwareConfig hw = test::exact_hardware();
  hw.weight_plane.weight_bits = 8;  // the weight grid is the remaining error source
  hw.weight_plane.rows = hw.weight_plane.cols = 16;  // force tiling: K-split and several row tiles
  hw.modulator.channels = 16;
  Video v(3, 3, 32, 32);
  NormalSampler s(9);
  s.fill(v.data.data(), long(v.data.size()));
  MatrixRM fp = model.forward(v);
  hardware::OpticalLinearExecutor opt(model.weights(), hw, 1);
  ForwardOptions fo;
  fo.linear = &opt;
  MatrixRM hwl = model.forward(v, fo);
  const double rel = (hwl - fp).cwiseAbs().maxCoeff() / fp.cwiseAbs().maxCoeff();
  INFO("relative logit error " << rel);
  CHECK(rel < 2e-2);  // 8-bit weights dominate; with 16-bit weights too the bound tightens (below)
  hw.weight_plane.weight_bits = 16;
  hardware::OpticalLinearExecutor exact(model.weights(), hw, 1);
  fo.linear = &exact;
  MatrixRM hw16 = model.forward(v, fo);
  const double rel16 = (hw16 - fp).cwiseAbs().maxCoeff() / fp.cwiseAbs().maxCoeff();
  INFO("relative logit error at 16 bits " << rel16);
  CHECK(rel16 < 1e-3);
  for (auto& [name, st] : exact.site_stats()) {
    INFO(name);
    CHECK(st.sqnr_db() > 60);
  }
}
