#pragma once
// Dedicated SSM scan engine (optional; scan_engine.count: 0 = none, the scans run on the digital units as in
// every earlier number). A fixed-function datapath for the selective scan: it keeps the recurrent state in
// its own registers, so when its state memory holds every layer's and direction's state, the per-frame
// state traffic to SRAM disappears; its inputs (u, delta, B, C, z) still stream from SRAM. Scan direction d
// runs on engine d % count. The compiler refuses an engine smaller than one state (scan_engine.state_kib).
#include "models/components/component.hpp"

namespace oasim::config {
struct ScanEngineConfig {
  int count = 0;
  int lanes = 256;                  // state-element updates per cycle (a lane-cycle as the digital unit's)
  double clock_ghz = 1.0;
  double state_kib = 0;             // local state memory per engine; must hold one layer-direction's state
  double energy_pj_per_add = 0.1;
  double energy_pj_per_mul = 0.28;
  double energy_pj_per_nonlinear = 1.0;
  double leakage_mw = 10.0;
  double area_mm2_per_lane = 0.005;
};
}  // namespace oasim::config

namespace oasim::hw {
// Upper bound of scan_engine.count (the SystemC engine elaborates this many once per process).
constexpr int kMaxScanEngines = 16;
class ScanEngine : public Component {
 public:
  std::string name() const override { return "scan engine"; }
  std::string section() const override { return "scan_engine"; }
  std::vector<config::ParamSpec> params() const override;
  std::vector<ActionEnergy> actions(const energy::ActionCounts& a, const config::HardwareConfig& hw) const override;
  std::vector<PowerState> power(const config::HardwareConfig& hw) const override;
  double area_mm2(const config::HardwareConfig& hw) const override;
};
}  // namespace oasim::hw
