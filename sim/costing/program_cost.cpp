#include "sim/costing/program_cost.hpp"

#include <algorithm>

#include "models/components/component.hpp"
#include "sim/common/error.hpp"
#include "sim/systemc/core_transfers.hpp"
#include "sim/systemc/timing_params.hpp"

namespace oasim::costing {

energy::ActionCounts program_actions(const compiler::Program& p, const config::HardwareConfig& hw) {
  energy::ActionCounts a;
  for (const auto& op : p.ops) {
    if (op.scan && hw.scan_engine.count > 0) {
      a.scan_adds += op.digital.adds;
      a.scan_muls += op.digital.muls;
      a.scan_nonlinear += op.digital.nonlinear;
    } else {
      a.digital_adds += op.digital.adds;
      a.digital_muls += op.digital.muls;
      a.digital_nonlinear += op.digital.nonlinear;
    }
    a.sram_bits_read += 8 * op.sram_bytes_read;
    a.sram_bits_written += 8 * op.sram_bytes_written;
    a.dram_bits += 8 * op.dram_bytes;
    a.plane_programs += op.planes_reloaded;
    if (op.kind != compiler::OpKind::Optical) continue;
    const auto& lm = p.linears[op.linear];
    for (int ti : lm.tiles) {
      const auto& t = p.tiles[ti];
      a.dac_conversions += double(op.vectors) * t.cols;
      a.modulator_symbols += double(op.vectors) * t.cols;
      a.detector_samples += double(op.vectors) * t.rows;
      a.adc_samples += double(op.vectors) * t.rows;
      a.macs += double(op.vectors) * t.rows * t.cols;
    }
  }
  // Activations read on another optical core than the one that produced them (none with one core).
  if (hw.structure.optical_cores > 1)
    a.interconnect_bits = 8 * timing::core_transfers(p, timing::TimingParams::from_config(hw)).total_bytes();
  return a;
}

double total_mm2(const std::vector<AreaEntry>& area) {
  double t = 0;
  for (auto& a : area) t += a.mm2;
  return t;
}

double ProgramCost::area_mm2() const { return total_mm2(area); }

double ProgramCost::pj_per_mac(const energy::EnergyBreakdown& e, double macs) {
  return macs > 0 ? e.total_j() / macs * 1e12 : 0;
}

double ProgramCost::tops_per_w(const energy::EnergyBreakdown& e, double macs) {
  // Two operations per MAC; TOPS/W = ops per joule / 1e12.
  return e.total_j() > 0 ? 2 * macs / e.total_j() / 1e12 : 0;
}

std::vector<AreaEntry> area_of(const config::HardwareConfig& hw) {
  std::vector<AreaEntry> v;
  for (const hw::Component* c : hw::components()) v.push_back({c->name(), c->area_mm2(hw) * hw::copies(*c, hw)});
  return v;
}

void price_at(ProgramCost& c, const config::HardwareConfig& hw, double input_fps) {
  if (!(input_fps > 0)) fail_input("the input frame rate must be positive, got {}", input_fps);
  c.input_fps = input_fps;
  const double interval = 1.0 / input_fps;
  c.keeps_up = c.frame_latency_s <= interval;
  c.at_input_fps = energy::frame_energy(c.actions_per_frame, hw, c.frame_latency_s, interval);
  c.at_full_rate = energy::frame_energy(c.actions_per_frame, hw, c.frame_latency_s, c.frame_latency_s);
}

ProgramCost cost_program(const compiler::Program& p, const config::HardwareConfig& hw, double input_fps) {
  ProgramCost c;
  c.step = timing::simulate(p, timing::TimingParams::from_config(hw));
  const int frames = std::max(1, p.frames_per_step);
  c.frame_latency_s = c.step.total_s / frames;
  c.frames_per_s = c.frame_latency_s > 0 ? 1.0 / c.frame_latency_s : 0;
  c.actions_per_frame = energy::per_frame(program_actions(p, hw), frames);
  c.macs_per_frame = c.actions_per_frame.macs;
  c.area = area_of(hw);
  price_at(c, hw, input_fps);
  return c;
}

}  // namespace oasim::costing
