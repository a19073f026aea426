#include "models/components/laser.hpp"

#include "models/components/param_rows.hpp"

namespace oasim::hw {

int laser_sources(const config::HardwareConfig& hw) { return hw.modulator.channels * sources_per_channel(hw); }

std::vector<config::ParamSpec> Laser::params() const {
  return {
      OASIM_NUMBER("laser.power_mw", "mW", 1e-9, 1e4, "emitted optical power per source (the top of the light budget)",
                   "re-derived from the laser-power sweep with the light budget (docs/hardware-model.md): the knee "
                   "of top-1 and SQNR, with margin",
                   laser.power_mw),
      OASIM_NUMBER("laser.wall_plug_efficiency", "", 1e-4, 1, "optical power out / electrical power in",
                   "DFB lasers 10-30 %; SimPhony device library 0.2 (optical-hardware.md)", laser.wall_plug_efficiency),
      OASIM_CHOICE("laser.gating", config::LaserGating, (std::vector<std::string>{"gated", "continuous"}),
                   "gated: sources on only while the optical core streams (priced per source-symbol); continuous: "
                   "electrical power burned all the time (static)",
                   "assumed: gating at frame rate; continuous is the conservative CW-laser case", laser.gating),
      OASIM_NUMBER("laser.thermal_control_mw", "mW", 0, 1e6, "thermal control / wavelength lock of the laser bank (static)",
                   "assumed: one TEC-class controller for the bank (0.1-2 W class)", laser.thermal_control_mw),
      OASIM_NUMBER("laser.area_mm2_per_source", "mm2", 0, 1e3, "die area per laser source",
                   "assumed: a DFB chip is about 0.25 x 0.3 mm", laser.area_mm2_per_source),
      OASIM_NUMBER("laser.drift_walk_pct_per_sqrt_min", "%/sqrt(min)", 0, 100,
                   "emitted-power random walk with temperature: its standard deviation after one minute (long streams)",
                   "0: a power-controlled source (back-facet monitor loop, e.g. EXFO IQS-2400, Agilent 81600B "
                   "power-stability spec over 15 min-1 h); configs/hw/drifting.yaml sets an uncontrolled bank",
                   laser.drift_walk_pct_per_sqrt_min),
      OASIM_NUMBER("laser.drift_swing_pct", "%", 0, 100, "amplitude of the slow emitted-power oscillation (thermal cycle)",
                   "0: controlled source; see laser.drift_walk_pct_per_sqrt_min", laser.drift_swing_pct),
      OASIM_NUMBER("laser.drift_period_s", "s", 1, 1e6, "period of the emitted-power oscillation",
                   "assumed: a TEC / room-air thermal cycle of minutes", laser.drift_period_s),
  };
}

std::vector<ActionEnergy> Laser::actions(const energy::ActionCounts& a, const config::HardwareConfig& hw) const {
  if (hw.laser.gating == config::LaserGating::Continuous) return {};
  const double symbol_s = 1.0 / (hw.modulator.symbol_rate_ghz * 1e9);
  // Every channel-symbol of a pass lights its sources for one symbol.
  return {{"source-symbol", a.modulator_symbols * sources_per_channel(hw),
           hw.laser.power_mw * 1e-3 * symbol_s / hw.laser.wall_plug_efficiency}};
}

std::vector<PowerState> Laser::power(const config::HardwareConfig& hw) const {
  std::vector<PowerState> p{{"thermal control", hw.laser.thermal_control_mw * 1e-3, false, 0}};
  if (hw.laser.gating == config::LaserGating::Continuous)
    p.push_back({"continuous emission", laser_sources(hw) * hw.laser.power_mw * 1e-3 / hw.laser.wall_plug_efficiency,
                 false, 0});
  return p;
}

double Laser::area_mm2(const config::HardwareConfig& hw) const { return laser_sources(hw) * hw.laser.area_mm2_per_source; }

std::vector<LightStage> Laser::light_stages(const config::HardwareConfig& hw) const {
  return {{fmt::format("laser source: {:g} mW emitted", hw.laser.power_mw), 1.0, "laser.power_mw"}};
}

}  // namespace oasim::hw
