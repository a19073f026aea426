#include "models/components/scan_engine.hpp"

#include "models/components/param_rows.hpp"

namespace oasim::hw {

std::vector<config::ParamSpec> ScanEngine::params() const {
  return {
      OASIM_INTEGER("scan_engine.count", "", 0, kMaxScanEngines,
                    "dedicated SSM scan engines (0: the scans run on the digital units); scan direction d runs on "
                    "engine d % count",
                    "0: the default design has none", int, scan_engine.count),
      OASIM_INTEGER("scan_engine.lanes", "", 1, 1e6, "state-element operations per cycle of one engine",
                    "assumed: as wide as the digital unit", int, scan_engine.lanes),
      OASIM_NUMBER("scan_engine.clock_ghz", "GHz", 1e-3, 100, "scan engine clock", "assumed: as the digital unit",
                   scan_engine.clock_ghz),
      OASIM_NUMBER("scan_engine.state_kib", "KiB", 0, 1e7,
                   "local state memory of one engine: at least one layer-direction's state (d_inner x (d_state + "
                   "d_conv - 1) x state bytes); all of them removes the per-frame state traffic to SRAM",
                   "assumed; 0 only with count 0", scan_engine.state_kib),
      OASIM_NUMBER("scan_engine.energy_pj_per_add", "pJ", 0, 1e3, "energy of one add in the engine",
                   "assumed: the digital unit's 7 nm fp16 add (the saving is the state traffic, not the arithmetic)",
                   scan_engine.energy_pj_per_add),
      OASIM_NUMBER("scan_engine.energy_pj_per_mul", "pJ", 0, 1e3, "energy of one multiply in the engine",
                   "assumed: the digital unit's 7 nm fp16 multiply", scan_engine.energy_pj_per_mul),
      OASIM_NUMBER("scan_engine.energy_pj_per_nonlinear", "pJ", 0, 1e4, "energy of one exp/softplus/SiLU in the engine",
                   "assumed: the digital unit's", scan_engine.energy_pj_per_nonlinear),
      OASIM_NUMBER("scan_engine.leakage_mw", "mW", 0, 1e5, "leakage per engine (static)", "assumed: half the digital unit's",
                   scan_engine.leakage_mw),
      OASIM_NUMBER("scan_engine.area_mm2_per_lane", "mm2", 0, 1e3, "area per lane", "assumed: as the digital unit's",
                   scan_engine.area_mm2_per_lane),
  };
}

std::vector<ActionEnergy> ScanEngine::actions(const energy::ActionCounts& a, const config::HardwareConfig& hw) const {
  if (hw.scan_engine.count == 0) return {};
  const auto& s = hw.scan_engine;
  return {{"add", a.scan_adds, s.energy_pj_per_add * 1e-12},
          {"multiply", a.scan_muls, s.energy_pj_per_mul * 1e-12},
          {"nonlinear", a.scan_nonlinear, s.energy_pj_per_nonlinear * 1e-12}};
}

std::vector<PowerState> ScanEngine::power(const config::HardwareConfig& hw) const {
  if (hw.scan_engine.count == 0) return {};
  return {{"leakage", hw.scan_engine.count * hw.scan_engine.leakage_mw * 1e-3, false, 0}};
}

double ScanEngine::area_mm2(const config::HardwareConfig& hw) const {
  return hw.scan_engine.count * hw.scan_engine.lanes * hw.scan_engine.area_mm2_per_lane;
}

}  // namespace oasim::hw
