#pragma once
// Photodetectors + TIAs: one balanced photodiode pair and one TIA per plane row. Signals are in
// accumulator units: one unit is the net photocurrent of a product code 1 x 1 (DAC code x weight code), so
// the optics' exact integer dot product and its noise share one scale and the ADC sees both. The unit
// current follows from the light budget (light_budget.hpp).
// Noise per output sample, bandwidth B = symbol rate / 2, light current I_L on the pair, net signal I_S:
//   shot 2 q I_L B (all light on both diodes, not only the net signal), dark 2 x 2 q I_d B (two diodes),
//   Johnson 4 k T B / R_f, amplifier i_n^2 B (input-referred density), laser RIN 10^(RIN/10) I_S^2 B.
// Variants of the noise model, chosen by name (detector.noise_model): physical | gaussian | off.
#include <memory>
#include <string>

#include "models/components/component.hpp"
#include "models/components/units.hpp"
#include "sim/common/noise_stream.hpp"
#include "sim/common/tensor.hpp"

namespace oasim::config {
enum class NoiseModel { Physical, Gaussian, Off };
struct DetectorConfig {
  NoiseModel noise_model = NoiseModel::Physical;
  double sigma_rel = 0.01;          // gaussian model: noise std as a fraction of the ADC full scale
  double noise_scale = 1.0;         // multiplies the noise std of either model (2 = "2x noise" studies)
  double responsivity_a_per_w = 0.9;
  double dark_current_na = 1.0;
  double rin_db_per_hz = -150.0;
  double tia_feedback_kohm = 10.0;
  double tia_noise_pa_rthz = 20.0;  // amplifier input-referred noise current density
  double temperature_k = 300.0;
  double tia_power_mw = 3.0;        // per TIA while awake
  int power_gating = 1;
  double wake_up_us = 1.0;
  double area_mm2_per_row = 0.01;
};
}  // namespace oasim::config

namespace oasim::hw {

// The detector's noise terms for one config, in amperes and accumulator units.
struct DetectorNoise {
  double unit_current_a = 0;   // photocurrent of one accumulator unit (light budget)
  double bandwidth_hz = 0;
  double thermal_a2 = 0;       // Johnson (4kTB/R_f) + amplifier (i_n^2 B)
  double dark_a2 = 0;          // both diodes of the pair
  double rin_per_hz = 0;       // 10^(RIN/10)
  double shot_a2(double light_current_a) const { return 2 * kElectronCharge * light_current_a * bandwidth_hz; }
  double rin_a2(double signal_current_a) const { return rin_per_hz * signal_current_a * signal_current_a * bandwidth_hz; }
  // Variance in accumulator units^2 for light `light` and net signal `signal` (both in units).
  double variance_units(double light, double signal) const;
  static DetectorNoise from_config(const config::HardwareConfig& hw);
};

// What one noise variant adds to the signals s [L x M] of one pass. light: all light on each output's
// pair (units); full_scale(t, m): the ADC full scale the output is read over (gaussian model).
struct NoiseInputs {
  const MatrixRM* light = nullptr;
  const RowVectorF* static_full_scale = nullptr;  // per output row; 0 = dynamic
  const std::vector<int>* range_bounds = nullptr; // ADC range groups over the outputs
};
class NoiseVariant {
 public:
  virtual ~NoiseVariant() = default;
  virtual bool needs_light() const { return false; }
  virtual void add(MatrixRM& s, const NoiseInputs& in, NoiseStream& rng, MatrixRM& scratch) const = 0;
};
// The variant named by the config (detector.noise_model), with its parameters bound.
std::unique_ptr<NoiseVariant> make_noise_variant(const config::HardwareConfig& hw, bool noise_on);

class Detector : public Component {
 public:
  Replication replication() const override { return Replication::PerOpticalCore; }
  std::string name() const override { return "detector+TIA"; }
  std::string section() const override { return "detector"; }
  std::vector<config::ParamSpec> params() const override;
  std::vector<ActionEnergy> actions(const energy::ActionCounts&, const config::HardwareConfig&) const override { return {}; }
  std::vector<PowerState> power(const config::HardwareConfig& hw) const override;
  double area_mm2(const config::HardwareConfig& hw) const override;
  std::vector<LightStage> light_stages(const config::HardwareConfig& hw) const override;
};

}  // namespace oasim::hw
