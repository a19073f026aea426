#include "models/components/detector.hpp"

#include <cmath>

#include "models/components/light_budget.hpp"
#include "models/components/param_rows.hpp"
#include "models/components/units.hpp"

namespace oasim::hw {

DetectorNoise DetectorNoise::from_config(const config::HardwareConfig& hw) {
  const auto& d = hw.detector;
  DetectorNoise n;
  n.unit_current_a = light_budget(hw).unit_current_a;
  n.bandwidth_hz = hw.modulator.symbol_rate_ghz * 1e9 / 2.0;
  const double johnson = 4 * kBoltzmann * d.temperature_k * n.bandwidth_hz / (d.tia_feedback_kohm * 1e3);
  const double amplifier = std::pow(d.tia_noise_pa_rthz * 1e-12, 2) * n.bandwidth_hz;
  n.thermal_a2 = johnson + amplifier;
  n.dark_a2 = 2 * (2 * kElectronCharge * d.dark_current_na * 1e-9 * n.bandwidth_hz);  // both diodes of the pair
  n.rin_per_hz = std::pow(10.0, d.rin_db_per_hz / 10.0);
  return n;
}

double DetectorNoise::variance_units(double light, double signal) const {
  const double u = unit_current_a;
  return (shot_a2(light * u) + thermal_a2 + dark_a2 + rin_a2(signal * u)) / (u * u);
}

namespace {

// Shot noise from all the light on the pair, receiver noise, dark current and laser RIN (physical).
class PhysicalNoise : public NoiseVariant {
 public:
  PhysicalNoise(const DetectorNoise& n, double scale)
      : scale_(float(scale)),
        fixed_(float((n.thermal_a2 + n.dark_a2) / (n.unit_current_a * n.unit_current_a))),
        shot_(float(2 * kElectronCharge * n.bandwidth_hz / n.unit_current_a)),
        rin_(float(n.rin_per_hz * n.bandwidth_hz)) {}
  bool needs_light() const override { return true; }
  void add(MatrixRM& s, const NoiseInputs& in, NoiseStream& rng, MatrixRM& z) const override {
    z.resize(s.rows(), s.cols());
    rng.fill(z.data(), z.size());
    // Float is ample for a noise std (the variance terms are O(1e2..1e6) units^2) and twice as fast.
    s.array() += z.array() * (scale_ * (fixed_ + shot_ * in.light->array() + rin_ * s.array().square()).sqrt());
  }

 private:
  float scale_;
  float fixed_, shot_, rin_;
};

// N(0, (sigma_rel * ADC full scale)^2): the model many ML papers use.
class GaussianNoise : public NoiseVariant {
 public:
  explicit GaussianNoise(double sigma) : sigma_(float(sigma)) {}
  void add(MatrixRM& s, const NoiseInputs& in, NoiseStream& rng, MatrixRM& z) const override {
    z.resize(s.rows(), s.cols());
    rng.fill(z.data(), z.size());
    const auto& ab = *in.range_bounds;
    const RowVectorF& fs_static = *in.static_full_scale;
    for (long t = 0; t < s.rows(); ++t)
      for (size_t g = 0; g + 1 < ab.size(); ++g) {
        const long m0 = ab[g], w = ab[g + 1] - ab[g];
        const float fs = fs_static.size() && fs_static[m0] > 0 ? fs_static[m0] : s.row(t).segment(m0, w).cwiseAbs().maxCoeff();
        s.row(t).segment(m0, w) += sigma_ * fs * z.row(t).segment(m0, w);
      }
  }

 private:
  float sigma_;
};

class NoNoise : public NoiseVariant {
 public:
  void add(MatrixRM&, const NoiseInputs&, NoiseStream&, MatrixRM&) const override {}
};

}  // namespace

std::unique_ptr<NoiseVariant> make_noise_variant(const config::HardwareConfig& hw, bool noise_on) {
  const auto& d = hw.detector;
  if (!noise_on) return std::make_unique<NoNoise>();
  switch (d.noise_model) {
    case config::NoiseModel::Physical: return std::make_unique<PhysicalNoise>(DetectorNoise::from_config(hw), d.noise_scale);
    case config::NoiseModel::Gaussian: return std::make_unique<GaussianNoise>(d.sigma_rel * d.noise_scale);
    case config::NoiseModel::Off: break;
  }
  return std::make_unique<NoNoise>();
}

std::vector<config::ParamSpec> Detector::params() const {
  using config::NoiseModel;
  return {
      OASIM_CHOICE("detector.noise_model", NoiseModel, (std::vector<std::string>{"physical", "gaussian", "off"}),
                   "physical = shot + receiver + RIN + dark from the light budget; gaussian = N(0, (sigma_rel * ADC "
                   "full scale)^2); off = noiseless",
                   "physical (optical-hardware.md)", detector.noise_model),
      OASIM_NUMBER("detector.sigma_rel", "", 0, 1, "gaussian model: noise std / ADC full scale", "assumed",
                   detector.sigma_rel),
      OASIM_NUMBER("detector.noise_scale", "", 0, 100,
                   "multiplies the detector noise std of either model (1 = as modelled; 2 = twice the noise)",
                   "1 = as modelled", detector.noise_scale),
      OASIM_NUMBER("detector.responsivity_a_per_w", "A/W", 1e-3, 2, "photodetector responsivity",
                   "InGaAs/Ge at 1310/1550 nm: 0.8-1.0 A/W (optical-hardware.md)", detector.responsivity_a_per_w),
      OASIM_NUMBER("detector.dark_current_na", "nA", 0, 1e6, "dark current per photodiode (two per balanced pair)",
                   "nA-scale for InGaAs/Ge (optical-hardware.md)", detector.dark_current_na),
      OASIM_NUMBER("detector.rin_db_per_hz", "dB/Hz", -200, -80, "laser relative intensity noise",
                   "DFB lasers -140..-160 dB/Hz (optical-hardware.md)", detector.rin_db_per_hz),
      OASIM_NUMBER("detector.tia_feedback_kohm", "kOhm", 1e-3, 1e6, "TIA feedback resistor (Johnson noise 4kTB/R)",
                   "assumed", detector.tia_feedback_kohm),
      OASIM_NUMBER("detector.tia_noise_pa_rthz", "pA/rtHz", 0, 1e6,
                   "TIA input-referred noise current density of the amplifier (beside the resistor's Johnson noise)",
                   "10 Gb/s TIAs: 1-2 uA rms input-referred (Saeckinger, Broadband Circuits for Optical Fiber "
                   "Communication, 2005): 20 pA/rtHz over 5 GHz = 1.4 uA",
                   detector.tia_noise_pa_rthz),
      OASIM_NUMBER("detector.temperature_k", "K", 1, 500, "temperature for Johnson noise", "room temperature",
                   detector.temperature_k),
      OASIM_NUMBER("detector.tia_power_mw", "mW", 0, 1e4, "power per TIA while awake",
                   "a TIA about 3 mW in 14 nm (SimPhony device library)", detector.tia_power_mw),
      OASIM_GATING("detector", "the TIAs", detector.power_gating),
      OASIM_NUMBER("detector.wake_up_us", "us", 0, 1e6, "TIA wake-up time per frame when gated", "assumed",
                   detector.wake_up_us),
      OASIM_NUMBER("detector.area_mm2_per_row", "mm2", 0, 1e3, "area of a photodiode pair + TIA", "assumed",
                   detector.area_mm2_per_row),
  };
}

std::vector<PowerState> Detector::power(const config::HardwareConfig& hw) const {
  const auto& d = hw.detector;
  return {{"TIA bias", hw.weight_plane.rows * d.tia_power_mw * 1e-3, d.power_gating == 1, d.wake_up_us * 1e-6}};
}

double Detector::area_mm2(const config::HardwareConfig& hw) const {
  return hw.weight_plane.rows * hw.detector.area_mm2_per_row;
}

std::vector<LightStage> Detector::light_stages(const config::HardwareConfig& hw) const {
  return {{fmt::format("photodiode: {:g} A/W", hw.detector.responsivity_a_per_w), 1.0, "detector.responsivity_a_per_w"}};
}

}  // namespace oasim::hw
