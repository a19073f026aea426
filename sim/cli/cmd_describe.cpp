// `oasim describe`: every hardware config key with unit, default, range, meaning and the source of its default,
// generated from the same declarations the parser uses (so it cannot go stale).
#include <fmt/format.h>

#include <cmath>

#include "sim/cli/commands.hpp"
#include "models/components/hardware_config_io.hpp"
#include "models/components/light_budget.hpp"
#include "models/components/param_table.hpp"
#include "sim/costing/program_cost.hpp"

namespace oasim::cli {
namespace {

void run_describe(const std::string& hw_path) {
  config::HardwareConfig defaults;
  config::HardwareConfig current = hw_path.empty() ? defaults : config::load_hardware_config(hw_path);
  fmt::print("{:<42} {:<7} {:<14} {:<24}{} {}\n", "key", "unit", "default", "allowed", hw_path.empty() ? "" : " value",
             "meaning");
  for (auto& p : config::hardware_params()) {
    std::string allowed = p.type == "choice" ? fmt::format("{}", fmt::join(p.choices, "|"))
                          : p.type == "string" ? "text"
                                               : fmt::format("[{:g}, {:g}]", p.min, p.max);
    std::string value = hw_path.empty() ? "" : fmt::format(" {:<12}", p.get(current));
    fmt::print("{:<42} {:<7} {:<14} {:<24}{} {}\n", p.key, p.unit.empty() ? "-" : p.unit, p.get(defaults), allowed,
               value, p.meaning);
    if (!p.source.empty()) fmt::print("{:<42} source: {}\n", "", p.source);
  }
}

// The light budget of a design, stage by stage, and what it gives at a detector.
void run_light_budget(const std::string& hw_path) {
  const config::HardwareConfig hw = hw_path.empty() ? config::HardwareConfig() : config::load_hardware_config(hw_path);
  const hw::LightBudget b = hw::light_budget(hw);
  fmt::print("light budget of '{}': one source to one detector, full-scale input through a fully open pixel\n", hw.name);
  fmt::print("| stage | factor | loss dB | key |\n|---|---|---|---|\n");
  for (auto& s : b.stages)
    fmt::print("| {} | {:.4g} | {:.2f} | `{}` |\n", s.stage, s.factor, 0.0 - 10 * std::log10(s.factor) + 0.0, s.source);
  fmt::print("| **total** | {:.4g} | {:.2f} | |\n", b.path_factor, -10 * std::log10(b.path_factor));
  fmt::print("\nper source {:g} mW emitted -> {:.4g} uW at one detector per open pixel at full scale; one accumulator unit "
             "(input code x weight code) = {:.4g} W = {:.4g} A = {:.4g} photoelectrons per symbol\n",
             hw.laser.power_mw, b.source_power_w * b.path_factor * 1e6, b.unit_power_w, b.unit_current_a,
             hw::photoelectrons(hw, b, 1.0));
  fmt::print("light floors: {:.3g} input codes (modulator extinction), {:.3g} weight codes (pixel contrast)\n",
             b.input_floor, b.weight_floor);
  const hw::DetectorNoise n = hw::DetectorNoise::from_config(hw);
  fmt::print("receiver noise {:.3g} A rms ({:.3g} accumulator units) over {:g} GHz\n", std::sqrt(n.thermal_a2 + n.dark_a2),
             std::sqrt(n.thermal_a2 + n.dark_a2) / n.unit_current_a, n.bandwidth_hz * 1e-9);
  double total = 0;
  std::string area;
  for (auto& a : costing::area_of(hw)) total += a.mm2;
  fmt::print("always-on static power {:.3f} W; area {:.1f} mm2\n", energy::ungated_static_power_w(hw), total);
}

}  // namespace

void register_describe(CLI::App& app) {
  auto hw = std::make_shared<std::string>();
  auto budget = std::make_shared<bool>(false);
  auto* sub = app.add_subcommand("describe", "List every hardware config key: unit, default, range, meaning, source");
  sub->add_option("--hw", *hw, "also show the values of this hardware config");
  sub->add_flag("--light-budget", *budget, "print the design's light budget, laser to detector, stage by stage");
  sub->callback([hw, budget] { *budget ? run_light_budget(*hw) : run_describe(*hw); });
}

}  // namespace oasim::cli
