#pragma once
// The link between optical cores (cores.optical > 1): activations an op reads that were produced on another
// core cross it (sim/systemc/core_transfers.hpp says which). One shared link, a bandwidth-limited port that
// serves one transfer at a time, priced per bit moved. With one core nothing crosses it and it does not
// exist: no actions, no static power, no area, so every single-core number is unchanged.
#include "models/components/component.hpp"

namespace oasim::config {
struct InterconnectConfig {
  double bandwidth_gbps = 128.0;    // gigabytes per second
  double energy_pj_per_bit = 0.25;
  double static_mw = 20.0;
  double area_mm2 = 0.5;
};
}  // namespace oasim::config

namespace oasim::hw {
class Interconnect : public Component {
 public:
  std::string name() const override { return "interconnect"; }
  std::string section() const override { return "interconnect"; }
  std::vector<config::ParamSpec> params() const override;
  std::vector<ActionEnergy> actions(const energy::ActionCounts& a, const config::HardwareConfig& hw) const override;
  std::vector<PowerState> power(const config::HardwareConfig& hw) const override;
  double area_mm2(const config::HardwareConfig& hw) const override;
};
}  // namespace oasim::hw
