#pragma once
// The one costing pipeline (compile -> simulate -> count -> price) shared by run, video stream, replay,
// compile and sweeps: SystemC timing of one schedule step, the program's actions per frame, and the frame's
// energy at the camera's frame rate (static power over the whole frame interval) and at full throughput.
#include <string>
#include <vector>

#include "models/components/hardware_config.hpp"
#include "models/energy/energy_model.hpp"
#include "sim/systemc/timing_engine.hpp"
#include "workloads/compiler/program.hpp"

namespace oasim::costing {

// Actions of one schedule step of the program (one frame when streaming), counted from its ops.
energy::ActionCounts program_actions(const compiler::Program& p, const config::HardwareConfig& hw);

struct AreaEntry {
  std::string component;
  double mm2 = 0;
};

struct ProgramCost {
  timing::StepTiming step;            // one schedule step (a frame when streaming, a clip otherwise)
  double frame_latency_s = 0, frames_per_s = 0;
  double input_fps = 0;               // the camera's frame rate the energy is priced at
  bool keeps_up = true;               // the hardware computes a frame within the frame interval
  energy::ActionCounts actions_per_frame;
  energy::EnergyBreakdown at_input_fps;     // dynamic + static over max(1/fps, latency)
  energy::EnergyBreakdown at_full_rate;     // dynamic + static over the latency
  double macs_per_frame = 0;
  std::vector<AreaEntry> area;        // per component, in registry order
  double area_mm2() const;
  static double pj_per_mac(const energy::EnergyBreakdown& e, double macs);
  static double tops_per_w(const energy::EnergyBreakdown& e, double macs);
};

// Area of every component of a design, and their sum.
std::vector<AreaEntry> area_of(const config::HardwareConfig& hw);
double total_mm2(const std::vector<AreaEntry>& area);

ProgramCost cost_program(const compiler::Program& p, const config::HardwareConfig& hw, double input_fps);

// Re-prices an already timed step at another frame rate (no new simulation).
void price_at(ProgramCost& c, const config::HardwareConfig& hw, double input_fps);

}  // namespace oasim::costing
