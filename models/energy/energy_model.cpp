#include "models/energy/energy_model.hpp"

#include <algorithm>
#include <map>

#include "models/components/component.hpp"

namespace oasim::energy {

double EnergyBreakdown::total_j() const {
  double t = 0;
  for (auto& e : entries) t += e.joules();
  return t;
}

double EnergyBreakdown::static_j() const {
  double t = 0;
  for (auto& e : entries)
    if (e.is_static) t += e.joules();
  return t;
}

double EnergyBreakdown::component_j(const std::string& component) const {
  double t = 0;
  for (auto& e : entries)
    if (e.component == component) t += e.joules();
  return t;
}

double EnergyBreakdown::component_static_j(const std::string& component) const {
  double t = 0;
  for (auto& e : entries)
    if (e.component == component && e.is_static) t += e.joules();
  return t;
}

std::vector<std::pair<std::string, double>> EnergyBreakdown::by_component() const {
  std::map<std::string, double> m;
  for (auto& e : entries) m[e.component] += e.joules();
  std::vector<std::pair<std::string, double>> v(m.begin(), m.end());
  std::stable_sort(v.begin(), v.end(), [](auto& a, auto& b) { return a.second > b.second; });
  return v;
}

ActionCounts per_frame(const ActionCounts& step, int frames_per_step) {
  ActionCounts a = step;
  const double f = 1.0 / std::max(1, frames_per_step);
  for (double* v : {&a.dac_conversions, &a.modulator_symbols, &a.detector_samples, &a.adc_samples,
                    &a.adc_saturations, &a.digital_adds, &a.digital_muls, &a.digital_nonlinear, &a.scan_adds,
                    &a.scan_muls, &a.scan_nonlinear, &a.sram_bits_read,
                    &a.sram_bits_written, &a.dram_bits, &a.interconnect_bits, &a.plane_programs, &a.macs, &a.detector_light})
    *v *= f;
  return a;
}

EnergyBreakdown frame_energy(const ActionCounts& a, const config::HardwareConfig& hw, double compute_s,
                             double interval_s) {
  EnergyBreakdown b;
  b.compute_s = compute_s;
  b.interval_s = std::max(interval_s, compute_s);
  for (const hw::Component* c : hw::components()) {
    for (auto& act : c->actions(a, hw)) b.entries.push_back({c->name(), act.action, act.count, act.joules_each, false});
    for (auto& p : c->power(hw)) {
      const double powered = p.gated ? std::min(b.interval_s, compute_s + p.wake_s) : b.interval_s;
      // Static power of every copy (one per optical core / digital unit where the structure has several).
      b.entries.push_back({c->name(), p.part + (p.gated ? " (static, gated)" : " (static)"), powered,
                           p.static_w * hw::copies(*c, hw), true});
    }
  }
  return b;
}

double ungated_static_power_w(const config::HardwareConfig& hw) {
  double w = 0;
  for (const hw::Component* c : hw::components())
    for (auto& p : c->power(hw))
      if (!p.gated) w += p.static_w * hw::copies(*c, hw);
  return w;
}

}  // namespace oasim::energy
