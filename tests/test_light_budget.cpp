// The light budget (issue: conserve energy from laser to detector): energy conservation for any inputs and
// weights and every signed encoding, the unit current and the photons / SNR of a synthetic layer against
// closed forms computed here from the keys alone.
#include <catch2/catch.hpp>

#include <cmath>
#include <random>

#include "models/components/detector.hpp"
#include "models/components/laser.hpp"
#include "models/components/light_budget.hpp"
#include "models/optical/optical_mvm.hpp"
#include "models/optical/quantizer.hpp"

using namespace oasim;
using namespace oasim::optical;

namespace {

double db(double loss_db) { return std::pow(10.0, -loss_db / 10.0); }

// Runs `vectors` random input vectors through one plane-sized layer (rows x cols) with random Int4 codes
// and returns the mean optical power on all detectors (W) while the pass streams.
double detector_power_w(const config::HardwareConfig& hw, MatrixRM x_codes, MatrixRM w_codes) {
  QuantizedWeights q;
  q.codes = w_codes;
  q.scales = MatrixRM::Ones(w_codes.rows(), 1);
  q.group_size = 0;
  OpticalLinearPlan plan = make_plan("conservation", q, VectorF(), hw);
  plan.dac_scale = 1.0f;
  plan.adc_full_scale = 1e9f;
  OpticalMvm mvm(hw);
  MatrixRM y;
  NoiseStream noise(1);
  energy::ActionCounts counts;
  MvmMode mode;
  mode.noise = false;
  mode.adc = false;
  mode.count_light = true;
  mvm.run(plan, x_codes, y, noise, counts, mode);
  return counts.detector_light / double(x_codes.rows()) * mvm.light_budget().unit_power_w;
}

config::HardwareConfig small_plane(config::SignedEncoding enc, config::DifferentialRails rails) {
  config::HardwareConfig hw;
  hw.weight_plane.rows = hw.weight_plane.cols = hw.modulator.channels = 64;
  hw.weight_plane.fixed_pattern_sigma = 0;
  hw.weight_plane.crosstalk = 0;
  hw.modulator.scale = config::ActivationScale::Static;
  hw.modulator.signed_encoding = enc;
  hw.modulator.differential_rails = rails;
  return hw;
}

}  // namespace

TEST_CASE("light budget: detectors never receive more than the lasers emit", "[light]") {
  using config::DifferentialRails;
  using config::SignedEncoding;
  std::mt19937 rng(7);
  for (auto [enc, rails] : {std::pair{SignedEncoding::Differential, DifferentialRails::Split},
                            std::pair{SignedEncoding::Differential, DifferentialRails::TwoSources},
                            std::pair{SignedEncoding::Offset, DifferentialRails::Split}}) {
    config::HardwareConfig hw = small_plane(enc, rails);
    for (auto addressing : {config::PlaneAddressing::Stacked, config::PlaneAddressing::SideBySide}) {
      hw.weight_plane.addressing = addressing;
      const int L = max_code(hw.modulator.dac_bits), Lw = max_code(hw.weight_plane.weight_bits);
      const double emitted = hw::laser_sources(hw) * hw.laser.power_mw * 1e-3;
      for (int trial = 0; trial < 5; ++trial) {
        std::uniform_int_distribution<int> xd(-L, L), wd(-Lw, Lw);
        MatrixRM x(16, 64), w(64, 64);
        for (long i = 0; i < x.size(); ++i) x.data()[i] = float(xd(rng));
        for (long i = 0; i < w.size(); ++i) w.data()[i] = float(wd(rng));
        CHECK(detector_power_w(hw, x, w) <= emitted);
      }
      // Everything at full scale, everything open: the detectors get exactly the emitted power times the
      // losses of the path (physically: rail+ at full transmission, rail- at 1/extinction; the open pixel
      // of each pair at t, the dark one at t/contrast; half of each beam goes to each pixel of the pair).
      MatrixRM x = MatrixRM::Constant(1, 64, float(L)), w = MatrixRM::Constant(64, 64, float(Lw));
      const double eps = db(hw.modulator.extinction_ratio_db), delta = db(hw.weight_plane.contrast_db);
      const double path = addressing == config::PlaneAddressing::Stacked
                              ? db(hw.weight_plane.pass_loss_db * (hw.weight_plane.planes - 1))
                              : db(hw.weight_plane.steering_loss_db);
      double rails_light = 0;  // modulator output per source, as a fraction of the source's power
      if (enc == SignedEncoding::Offset)
        rails_light = (2.0 * L * (1 - eps) / (2.0 * L) + eps);  // x + L = 2L: full transmission on one rail
      else
        rails_light = (rails == DifferentialRails::Split ? 0.5 : 1.0) * (1 + eps) /
                      (rails == DifferentialRails::Split ? 1.0 : 2.0);  // per source
      const double expected = emitted * rails_light * db(hw.modulator.insertion_loss_db) *
                              db(hw.optics.fanout_excess_loss_db) * path * hw.weight_plane.transmission *
                              (1 + delta) / 2 * db(hw.optics.coupling_loss_db);
      CHECK(detector_power_w(hw, x, w) == Approx(expected).epsilon(1e-4));
    }
  }
}

TEST_CASE("light budget: photons per output and detector SNR of a layer match the closed form", "[light]") {
  const config::HardwareConfig hw;  // the default design
  // Closed form from the keys: one source's power to one pixel at full scale, per code of input and weight.
  const double P = hw.laser.power_mw * 1e-3;
  const double L = 127, Lw = 7, rows = hw.weight_plane.rows;
  const double eps = db(hw.modulator.extinction_ratio_db), delta = db(hw.weight_plane.contrast_db);
  const double per_unit_w = P * 0.5 /* split rails */ * db(hw.modulator.insertion_loss_db) * (1 - eps) /
                            (2 * rows) * db(hw.optics.fanout_excess_loss_db) *
                            db(hw.weight_plane.pass_loss_db * (hw.weight_plane.planes - 1)) *
                            hw.weight_plane.transmission * (1 - delta) * db(hw.optics.coupling_loss_db) / (L * Lw);
  const double R = hw.detector.responsivity_a_per_w, q = 1.602176634e-19, kB = 1.380649e-23;
  const hw::LightBudget b = hw::light_budget(hw);
  CHECK(b.unit_power_w == Approx(per_unit_w).epsilon(1e-9));
  CHECK(b.unit_current_a == Approx(per_unit_w * R).epsilon(1e-9));

  // A 256-term layer: inputs at code 63, weights at +3.
  const double K = 256, xc = 63, wc = 3;
  const double fx = L * eps / (1 - eps), fw = Lw * delta / (1 - delta);   // light floors in code units
  const double light = K * (xc + 2 * fx) * (wc + 2 * fw), signal = K * xc * wc;
  const double B = hw.modulator.symbol_rate_ghz * 1e9 / 2, T = 1 / (hw.modulator.symbol_rate_ghz * 1e9);
  const double photons = light * per_unit_w * R * T / q;
  CHECK(hw::photoelectrons(hw, b, light) == Approx(photons).epsilon(1e-9));
  const double i_s = signal * per_unit_w * R, i_l = light * per_unit_w * R;
  const double var = 2 * q * i_l * B + 4 * kB * hw.detector.temperature_k * B / (hw.detector.tia_feedback_kohm * 1e3) +
                     std::pow(hw.detector.tia_noise_pa_rthz * 1e-12, 2) * B +
                     2 * 2 * q * hw.detector.dark_current_na * 1e-9 * B +
                     std::pow(10, hw.detector.rin_db_per_hz / 10) * i_s * i_s * B;
  const double snr = i_s * i_s / var;
  const hw::DetectorNoise n = hw::DetectorNoise::from_config(hw);
  CHECK(signal * signal / n.variance_units(light, signal) == Approx(snr).epsilon(1e-9));

  // The numerics draw that noise: sampled variance of 20,000 passes within 3 % of the closed form.
  config::HardwareConfig dev = hw;
  dev.weight_plane.fixed_pattern_sigma = 0;
  dev.weight_plane.crosstalk = 0;
  dev.modulator.scale = config::ActivationScale::Static;
  QuantizedWeights qw;
  qw.codes = MatrixRM::Constant(1, 256, float(wc));
  qw.scales = MatrixRM::Ones(1, 1);
  OpticalLinearPlan plan = make_plan("snr", qw, VectorF(), dev);
  plan.dac_scale = 1.0f;
  OpticalMvm mvm(dev);
  MatrixRM X = MatrixRM::Constant(20000, 256, float(xc)), y;
  NoiseStream rng(5);
  energy::ActionCounts counts;
  MvmMode mode;
  mode.adc = false;
  mvm.run(plan, X, y, rng, counts, mode);
  const double mean = y.mean();
  const double sampled = (y.array() - mean).square().sum() / double(y.size() - 1);
  CHECK(mean == Approx(signal).epsilon(1e-3));
  CHECK(signal * signal / sampled == Approx(snr).epsilon(0.03));
  INFO("photons per output " << photons << ", SNR " << 10 * std::log10(snr) << " dB");
  CHECK(photons > 1e3);  // the default design sits above a few thousand photons per output
}
