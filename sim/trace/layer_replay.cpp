#include "sim/trace/layer_replay.hpp"

#include <cmath>

#include "models/optical/optical_mvm.hpp"
#include "sim/common/rng.hpp"
#include "sim/hardware/optical_linear_executor.hpp"

namespace oasim::hardware {

LayerReplayResult replay_layer(const trace::LayerActivations& l, const config::HardwareConfig& hw, uint64_t seed) {
  LayerReplayResult r;
  r.name = l.name;
  r.rows = l.rows;
  r.in = l.in;
  r.out = l.out;
  const MatrixRM x = Eigen::Map<const MatrixRM>(l.input.data(), l.rows, l.in);
  const MatrixRM w = Eigen::Map<const MatrixRM>(l.weight.data(), l.out, l.in);
  VectorF b = l.bias.empty() ? VectorF::Zero(l.out) : VectorF(Eigen::Map<const VectorF>(l.bias.data(), l.out));
  MatrixRM exact = x * w.transpose();
  exact.rowwise() += b.transpose();
  if (!l.output.empty()) {
    const MatrixRM captured = Eigen::Map<const MatrixRM>(l.output.data(), l.rows, l.out);
    const double den = exact.cwiseAbs().maxCoeff();
    r.reference_mismatch = den > 0 ? (captured - exact).cwiseAbs().maxCoeff() / den : 0.0;
  }

  optical::OpticalLinearPlan plan = optical::make_plan(l.name, w, b, hw);
  optical::OpticalMvm mvm(hw);
  NoiseStream noise(stream_seed(seed, l.name + "/detector_noise"));
  // Static scales from the captured rows themselves, noise off (as `oasim run` calibrates on its
  // calibration clips); dynamic scales need nothing.
  if (hw.modulator.scale == config::ActivationScale::Static) {
    std::vector<float> a(x.data(), x.data() + x.size());
    for (auto& v : a) v = std::abs(v);
    const float p = percentile(a, hw.modulator.static_percentile);
    plan.dac_scale = p > 0 ? p / float(mvm.dac_levels()) : 1.0f;
  }
  if (hw.adc.range == config::AdcRange::Static) {
    optical::CalibrationSamples calib;
    MatrixRM discard;
    energy::ActionCounts ignore;
    mvm.run(plan, x, discard, noise, ignore, optical::MvmMode{false, false, &calib});
    const float p = percentile(calib.adc_abs, hw.adc.calibration_percentile);
    plan.adc_full_scale = p > 0 ? p : 1.0f;
  }
  MatrixRM y;
  mvm.run(plan, x, y, noise, r.counts, optical::MvmMode{});
  const double err = (y - exact).squaredNorm();
  r.sqnr_db = err > 0 ? 10.0 * std::log10(exact.squaredNorm() / err) : 300.0;
  r.adc_saturation = r.counts.adc_samples > 0 ? r.counts.adc_saturations / r.counts.adc_samples : 0.0;
  return r;
}

}  // namespace oasim::hardware
