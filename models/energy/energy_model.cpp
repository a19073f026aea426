#include "models/energy/energy_model.hpp"

#include <algorithm>
#include <map>

#include "models/optical/adc.hpp"

namespace oasim::energy {

double EnergyBreakdown::total_j() const {
  double t = 0;
  for (auto& e : entries) t += e.joules();
  return t;
}

double EnergyBreakdown::component_j(const std::string& component) const {
  double t = 0;
  for (auto& e : entries)
    if (e.component == component) t += e.joules();
  return t;
}

std::vector<std::pair<std::string, double>> EnergyBreakdown::by_component() const {
  std::map<std::string, double> m;
  for (auto& e : entries) m[e.component] += e.joules();
  std::vector<std::pair<std::string, double>> v(m.begin(), m.end());
  std::sort(v.begin(), v.end(), [](auto& a, auto& b) { return a.second > b.second; });
  return v;
}

ActionCounts program_actions(const compiler::Program& p, const config::HardwareConfig& hw) {
  ActionCounts a;
  for (const auto& op : p.ops) {
    a.digital_adds += op.digital.adds;
    a.digital_muls += op.digital.muls;
    a.digital_nonlinear += op.digital.nonlinear;
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
  return a;
}

ActionCounts per_frame(const ActionCounts& step, int frames_per_step) {
  ActionCounts a = step;
  const double f = 1.0 / std::max(1, frames_per_step);
  for (double* v : {&a.dac_conversions, &a.modulator_symbols, &a.detector_samples, &a.adc_samples,
                    &a.adc_saturations, &a.digital_adds, &a.digital_muls, &a.digital_nonlinear, &a.sram_bits_read,
                    &a.sram_bits_written, &a.dram_bits, &a.plane_programs, &a.macs})
    *v *= f;
  return a;
}

EnergyBreakdown energy_of(const ActionCounts& a, const config::HardwareConfig& hw) {
  const double symbol_s = 1.0 / (hw.modulator.symbol_rate_ghz * 1e9);
  EnergyBreakdown b;
  auto add = [&](const char* comp, const char* action, double count, double j) {
    b.entries.push_back({comp, action, count, j});
  };
  add("DAC", "conversion", a.dac_conversions, optical::adc_energy_j(hw.modulator.dac_bits, hw.modulator.dac_fom_fj_per_step));
  add("modulator", "channel-symbol", a.modulator_symbols, hw.modulator.modulator_energy_fj_per_symbol * 1e-15);
  // Electrical laser energy: a channel's full-scale optical power for one symbol, over wall-plug efficiency.
  add("laser", "channel-symbol", a.modulator_symbols,
      hw.laser.power_per_channel_uw * 1e-6 * symbol_s / hw.laser.wall_plug_efficiency);
  add("detector+TIA", "sample", a.detector_samples, hw.detector.power_mw * 1e-3 * symbol_s);
  add("ADC", "sample", a.adc_samples, optical::adc_energy_j(hw.adc.bits, hw.adc.walden_fom_fj_per_step));
  add("SRAM", "bit read", a.sram_bits_read, hw.sram.energy_pj_per_bit * 1e-12);
  add("SRAM", "bit written", a.sram_bits_written, hw.sram.energy_pj_per_bit * 1e-12);
  add("DRAM", "bit", a.dram_bits, hw.dram.energy_pj_per_bit * 1e-12);
  add("digital", "add", a.digital_adds, hw.digital.energy_pj_per_add * 1e-12);
  add("digital", "multiply", a.digital_muls, hw.digital.energy_pj_per_mul * 1e-12);
  add("digital", "nonlinear", a.digital_nonlinear, hw.digital.energy_pj_per_nonlinear * 1e-12);
  add("weight planes", "plane program", a.plane_programs, hw.weight_plane.program_energy_nj * 1e-9);
  return b;
}

}  // namespace oasim::energy
