#pragma once
// Modulator array + DAC bank: encodes each input value as light. One DAC per channel; one modulator per
// channel and rail. Signed inputs: differential = two rails (x+ and x-) with balanced detection, the rails
// fed by splitting one source (-3 dB each) or by two sources (modulator.differential_rails); offset = one
// rail carrying x + bias. A modulator passes its insertion loss at full scale and 1/extinction at code 0.
// Numerics: the DAC quantizer (static or dynamic scales). Static: micro-ring heaters; DAC idle power.
#include "models/components/component.hpp"
#include "sim/common/tensor.hpp"

namespace oasim::config {
enum class SignedEncoding { Differential, Offset };
enum class DifferentialRails { Split, TwoSources };
enum class ActivationScale { Static, Dynamic };
struct ModulatorConfig {
  int channels = 256;               // inputs driven in parallel (= weight-plane columns used per pass)
  int dac_bits = 8;
  SignedEncoding signed_encoding = SignedEncoding::Differential;
  DifferentialRails differential_rails = DifferentialRails::Split;
  ActivationScale scale = ActivationScale::Dynamic;
  double static_percentile = 99.99;  // calibration percentile for static scales
  double symbol_rate_ghz = 10.0;
  double modulator_energy_fj_per_symbol = 10.0;
  double insertion_loss_db = 3.0;
  double extinction_ratio_db = 10.0;
  double heater_mw = 1.2;           // thermal tuning per modulator (always on)
  double dac_fom_fj_per_step = 36.0;
  double dac_enob_loss_bits = 1.4;
  double dac_idle_mw = 1.0;         // per DAC while awake (bias, clock)
  int power_gating = 1;             // 0 off, 1 on (DACs sleep between frames)
  double wake_up_us = 1.0;
  double modulator_area_mm2 = 0.002;
  double dac_area_mm2 = 0.05;
};
}  // namespace oasim::config

namespace oasim::hw {

int dac_levels(const config::HardwareConfig& hw);            // largest DAC code, 127 for 8 bits
int rails_per_channel(const config::HardwareConfig& hw);     // 2 differential, 1 offset
int sources_per_channel(const config::HardwareConfig& hw);   // 2 with two_sources, else 1
double rail_power_share(const config::HardwareConfig& hw);   // 0.5 when one source feeds two rails
// Light the modulator passes at code 0, in DAC code units (extinction ratio): floor = L / (ER - 1).
double input_light_floor(const config::HardwareConfig& hw);
double dac_energy_j(const config::HardwareConfig& hw);

// The DAC: x [L x K] to signed codes with one scale per (row, input group) in sx [L x G]; bounds are the
// group boundaries (0 = b0 < ... < bG = K).
void dac_quantize(const MatrixRM& x, const MatrixRM& sx, const std::vector<int>& bounds, int levels, MatrixRM& codes);

class Modulator : public Component {
 public:
  Replication replication() const override { return Replication::PerOpticalCore; }
  std::string name() const override { return "modulator+DAC"; }
  std::string section() const override { return "modulator"; }
  std::vector<config::ParamSpec> params() const override;
  std::vector<ActionEnergy> actions(const energy::ActionCounts& a, const config::HardwareConfig& hw) const override;
  std::vector<PowerState> power(const config::HardwareConfig& hw) const override;
  double area_mm2(const config::HardwareConfig& hw) const override;
  std::vector<LightStage> light_stages(const config::HardwareConfig& hw) const override;
  void check(const config::HardwareConfig& hw, Checks& c) const override;
};

}  // namespace oasim::hw
