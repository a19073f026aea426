#pragma once
// Laser bank: one continuous-wave source per modulator channel (two with modulator.differential_rails:
// two_sources). Emitted optical power is the top of the light budget; electrical power = optical / wall-plug
// efficiency. Gated lasers are on while the optical core streams (priced per source-symbol); continuous
// lasers burn their electrical power all the time (static). The thermal control of the bank is static.
#include "models/components/component.hpp"

namespace oasim::config {
enum class LaserGating { Gated, Continuous };
struct LaserConfig {
  double power_mw = 300.0;           // emitted optical power per source
  double wall_plug_efficiency = 0.2;
  LaserGating gating = LaserGating::Gated;
  double thermal_control_mw = 500.0; // TEC / wavelength lock of the bank
  double area_mm2_per_source = 0.1;
  // Emitted-power drift with temperature (drift.hpp); 0 = none (every clip-level number).
  double drift_walk_pct_per_sqrt_min = 0;
  double drift_swing_pct = 0;
  double drift_period_s = 300;
};
}  // namespace oasim::config

namespace oasim::hw {
// Sources in the bank (modulator channels x sources per channel).
int laser_sources(const config::HardwareConfig& hw);
class Laser : public Component {
 public:
  Replication replication() const override { return Replication::PerOpticalCore; }
  std::string name() const override { return "laser"; }
  std::string section() const override { return "laser"; }
  std::vector<config::ParamSpec> params() const override;
  std::vector<ActionEnergy> actions(const energy::ActionCounts& a, const config::HardwareConfig& hw) const override;
  std::vector<PowerState> power(const config::HardwareConfig& hw) const override;
  double area_mm2(const config::HardwareConfig& hw) const override;
  std::vector<LightStage> light_stages(const config::HardwareConfig& hw) const override;
};
}  // namespace oasim::hw
