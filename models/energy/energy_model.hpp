#pragma once
// Energy of a frame = the components' (action x energy per action) table x counted actions
//                   + sum over components of static power x the time it is powered in one frame interval.
// A gated part is powered while the chip computes the frame plus one wake-up; an ungated part for the whole
// interval. At full throughput the interval equals the compute time.
#include <string>
#include <vector>

#include "models/components/hardware_config.hpp"
#include "models/energy/action_counts.hpp"

namespace oasim::energy {

struct EnergyEntry {
  std::string component;  // "ADC", "laser", ...
  std::string action;     // "sample", ...; static entries: the powered part ("TIA bias")
  double count = 0;       // actions per frame; static entries: seconds powered per frame
  double joules_per_action = 0;  // static entries: watts
  bool is_static = false;
  double joules() const { return count * joules_per_action; }
};

struct EnergyBreakdown {
  std::vector<EnergyEntry> entries;
  double interval_s = 0, compute_s = 0;
  double total_j() const;
  double static_j() const;
  double dynamic_j() const { return total_j() - static_j(); }
  double component_j(const std::string& component) const;
  double component_static_j(const std::string& component) const;
  std::vector<std::pair<std::string, double>> by_component() const;  // largest first
  double average_power_w() const { return interval_s > 0 ? total_j() / interval_s : 0; }
};

// Counts of one schedule step spread over the frames it covers (a clip program covers several).
ActionCounts per_frame(const ActionCounts& step, int frames_per_step);

// compute_s: the chip's time on one frame; interval_s: the frame interval (clamped to >= compute_s).
EnergyBreakdown frame_energy(const ActionCounts& per_frame, const config::HardwareConfig& hw, double compute_s,
                             double interval_s);

// Always-on static power of the design (W): what each extra second of frame interval costs.
double ungated_static_power_w(const config::HardwareConfig& hw);

}  // namespace oasim::energy
