#include "sim/run/utilisation.hpp"

#include <fmt/format.h>

namespace oasim::run {

std::vector<ResourceUse> utilisation(const timing::StepTiming& s) {
  auto f = [&](double busy) { return s.total_s > 0 ? busy / s.total_s : 0.0; };
  std::vector<ResourceUse> u{{"modulators", f(s.modulator_busy_s)}, {"adcs", f(s.adc_busy_s)},
                             {"digital", f(s.digital_busy_s)},       {"sram", f(s.sram_busy_s)},
                             {"dram", f(s.dram_busy_s)},             {"plane_programming", f(s.reload_s)}};
  if (s.scan_busy_s > 0) u.push_back({"scan_engine", f(s.scan_busy_s)});  // only designs with one
  if (s.interconnect_busy_s > 0) u.push_back({"interconnect", f(s.interconnect_busy_s)});  // several cores
  return u;
}

ResourceUse bound_by(const std::vector<ResourceUse>& u) {
  ResourceUse best;
  for (const auto& r : u)
    if (best.key.empty() || r.fraction > best.fraction) best = r;
  return best;
}

std::string utilisation_line(const std::vector<ResourceUse>& u) {
  std::string s = "utilisation:";
  for (const auto& r : u) s += fmt::format("  {} {:.1f}%", r.key, 100 * r.fraction);
  return s;
}

std::string bound_by_line(const std::vector<ResourceUse>& u) {
  const ResourceUse b = bound_by(u);
  return fmt::format("bound by: {} {:.0f} %", b.key, 100 * b.fraction);
}

nlohmann::json utilisation_json(const std::vector<ResourceUse>& u) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& r : u) j[r.key] = r.fraction;
  return j;
}

nlohmann::json bound_by_json(const std::vector<ResourceUse>& u) {
  const ResourceUse b = bound_by(u);
  return {{"resource", b.key}, {"utilisation", b.fraction}};
}

}  // namespace oasim::run
