#pragma once
// The card's structure: how many optical cores (each with its own laser bank, modulators + DACs, optics,
// weight-plane stack, detectors + TIAs and ADC bank), how many digital vector units, and how many SRAM
// banks (each a bandwidth-limited port of sram.bandwidth_gbps). The other components describe one copy;
// copies() here multiplies their static power and area. The defaults (one of each) are the single-core
// design every earlier number was computed on.
#include "models/components/component.hpp"

namespace oasim::config {
struct StructureConfig {
  int optical_cores = 1;
  int digital_units = 1;
  int sram_banks = 1;
  int pipelining = 0;  // 0 off: op after op (every earlier number); 1 token_blocks: block-level dataflow
};
}  // namespace oasim::config

namespace oasim::hw {

// Upper bound of every count above: the SystemC engine elaborates this many modules once per process.
constexpr int kMaxStructureCount = 16;

class Structure : public Component {
 public:
  std::string name() const override { return "structure"; }
  std::string section() const override { return "cores"; }
  std::vector<config::ParamSpec> params() const override;
  std::vector<ActionEnergy> actions(const energy::ActionCounts&, const config::HardwareConfig&) const override { return {}; }
  std::vector<PowerState> power(const config::HardwareConfig&) const override { return {}; }
  double area_mm2(const config::HardwareConfig&) const override { return 0; }
};

}  // namespace oasim::hw
