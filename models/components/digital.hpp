#pragma once
// Digital vector unit (scan, nonlinearities, norms, rescale and accumulation of optical partial sums) and
// the controller (sequencing, host link). Digital energies default to a 7 nm node (Horowitz 45 nm x a stated
// factor; configs/hw/default-45nm.yaml keeps the 45 nm figures).
#include "models/components/component.hpp"

namespace oasim::config {
enum class StatePrecision { Fp32, Fp16, Bf16, Int8 };
struct DigitalConfig {
  double clock_ghz = 1.0;
  int lanes = 256;                  // elementwise ops per cycle
  double energy_pj_per_add = 0.1;
  double energy_pj_per_mul = 0.28;
  double energy_pj_per_nonlinear = 1.0;   // exp / SiLU / softplus / rsqrt
  StatePrecision state_precision = StatePrecision::Fp32;
  double leakage_mw = 20.0;
  double area_mm2_per_lane = 0.005;
};
struct ControllerConfig {
  double static_mw = 300.0;         // sequencer + host link, always on
  double area_mm2 = 2.0;
  // Recalibration against drift (long streams): every N frames and/or when a monitor photodiode sees any
  // path's gain move by more than the threshold since the last calibration; 0 = never. Each costs
  // recalibration_frames frames of optical work (time and energy), during which no camera frame is scored.
  int recalibrate_every_frames = 0;
  double recalibrate_threshold_pct = 0;
  int recalibration_frames = 8;
};
}  // namespace oasim::config

namespace oasim::hw {
class Digital : public Component {
 public:
  Replication replication() const override { return Replication::PerDigitalUnit; }
  std::string name() const override { return "digital"; }
  std::string section() const override { return "digital"; }
  std::vector<config::ParamSpec> params() const override;
  std::vector<ActionEnergy> actions(const energy::ActionCounts& a, const config::HardwareConfig& hw) const override;
  std::vector<PowerState> power(const config::HardwareConfig& hw) const override;
  double area_mm2(const config::HardwareConfig& hw) const override;
};
class Controller : public Component {
 public:
  std::string name() const override { return "controller"; }
  std::string section() const override { return "controller"; }
  std::vector<config::ParamSpec> params() const override;
  std::vector<ActionEnergy> actions(const energy::ActionCounts&, const config::HardwareConfig&) const override { return {}; }
  std::vector<PowerState> power(const config::HardwareConfig& hw) const override;
  double area_mm2(const config::HardwareConfig& hw) const override;
};
}  // namespace oasim::hw
