#pragma once
// On-chip SRAM (activations, recurrent state) and off-chip DRAM (spills, weight reloads): priced per bit
// moved, static leakage / background power, area (SRAM per MiB at the node; DRAM: the PHY on the die).
#include "models/components/component.hpp"

namespace oasim::config {
struct SramConfig {
  double capacity_kib = 4096.0;
  double bandwidth_gbps = 1024.0;   // gigabytes per second
  double energy_pj_per_bit = 0.08;
  double leakage_mw_per_mib = 10.0;
  double area_mm2_per_mib = 0.5;
};
struct DramConfig {
  double bandwidth_gbps = 64.0;
  double energy_pj_per_bit = 3.9;
  double background_mw = 50.0;
  double phy_area_mm2 = 2.0;
};
}  // namespace oasim::config

namespace oasim::hw {
class Sram : public Component {
 public:
  std::string name() const override { return "SRAM"; }
  std::string section() const override { return "sram"; }
  std::vector<config::ParamSpec> params() const override;
  std::vector<ActionEnergy> actions(const energy::ActionCounts& a, const config::HardwareConfig& hw) const override;
  std::vector<PowerState> power(const config::HardwareConfig& hw) const override;
  double area_mm2(const config::HardwareConfig& hw) const override;
};
class Dram : public Component {
 public:
  std::string name() const override { return "DRAM"; }
  std::string section() const override { return "dram"; }
  std::vector<config::ParamSpec> params() const override;
  std::vector<ActionEnergy> actions(const energy::ActionCounts& a, const config::HardwareConfig& hw) const override;
  std::vector<PowerState> power(const config::HardwareConfig& hw) const override;
  double area_mm2(const config::HardwareConfig& hw) const override;
};
}  // namespace oasim::hw
