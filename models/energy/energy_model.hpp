#pragma once
// Energy = counted actions x energy per action (Timeloop/Accelergy style). The per-action table comes
// from the hardware config; the counts come from the compiled program (data-independent) or from a run.
#include <string>
#include <vector>

#include "models/energy/action_counts.hpp"
#include "sim/config/hardware_config.hpp"
#include "workloads/compiler/program.hpp"

namespace oasim::energy {

struct EnergyEntry {
  std::string component;  // "ADC", "laser", ...
  std::string action;     // "sample", "channel-symbol", ...
  double count = 0;
  double joules_per_action = 0;
  double joules() const { return count * joules_per_action; }
};

struct EnergyBreakdown {
  std::vector<EnergyEntry> entries;
  double total_j() const;
  double component_j(const std::string& component) const;
  std::vector<std::pair<std::string, double>> by_component() const;  // largest first
};

// Actions of one schedule step of the program (one frame when streaming).
ActionCounts program_actions(const compiler::Program& p, const config::HardwareConfig& hw);

// Counts of one schedule step spread over the frames it covers (a clip program covers several).
ActionCounts per_frame(const ActionCounts& step, int frames_per_step);

EnergyBreakdown energy_of(const ActionCounts& a, const config::HardwareConfig& hw);

}  // namespace oasim::energy
