// `oasim describe`: every hardware config key with unit, default, range, meaning and the source of its default,
// generated from the same declarations the parser uses (so it cannot go stale). --json prints the same table
// machine-readably (with the validation messages' "expected ..." text): the PyTorch side validates configs
// against it (workloads/python/oasim/hardware_config.py), so both sides accept the same files with the same
// messages. --light-budget prints the design's light budget, laser to detector.
#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "sim/cli/commands.hpp"
#include "models/components/hardware_config_io.hpp"
#include "models/components/light_budget.hpp"
#include "models/components/param_table.hpp"
#include "sim/costing/program_cost.hpp"

namespace oasim::cli {
namespace {

struct DescribeOptions {
  std::string hw_path;
  bool json = false;
  bool light_budget = false;
};

void print_json(const config::HardwareConfig& defaults, const config::HardwareConfig* current) {
  nlohmann::ordered_json keys = nlohmann::ordered_json::array();
  for (auto& p : config::hardware_params()) {
    nlohmann::ordered_json k;
    k["key"] = p.key;
    k["unit"] = p.unit;
    k["type"] = p.type;
    if (p.type == "integer" || p.type == "number") {
      k["min"] = p.min;
      k["max"] = p.max;
    }
    if (p.type == "choice") k["choices"] = p.choices;
    k["default"] = p.get(defaults);
    if (current) k["value"] = p.get(*current);
    k["expected"] = p.expected();
    k["meaning"] = p.meaning;
    k["source"] = p.source;
    keys.push_back(std::move(k));
  }
  nlohmann::ordered_json out;
  out["format"] = "oasim-hardware-keys";
  out["keys"] = std::move(keys);
  nlohmann::ordered_json replaced = nlohmann::ordered_json::object();
  for (const std::string& k : config::replaced_keys()) replaced[k] = config::replaced_key(k);
  out["replaced"] = std::move(replaced);
  fmt::print("{}\n", out.dump(1));
}

void run_describe(const DescribeOptions& o) {
  config::HardwareConfig defaults;
  config::HardwareConfig current = o.hw_path.empty() ? defaults : config::load_hardware_config(o.hw_path);
  if (o.json) return print_json(defaults, o.hw_path.empty() ? nullptr : &current);
  const bool show = !o.hw_path.empty();
  fmt::print("{:<42} {:<7} {:<14} {:<24}{} {}\n", "key", "unit", "default", "allowed", show ? " value" : "",
             "meaning");
  for (auto& p : config::hardware_params()) {
    std::string allowed = p.type == "choice" ? fmt::format("{}", fmt::join(p.choices, "|"))
                          : p.type == "string" ? "text"
                                               : fmt::format("[{:g}, {:g}]", p.min, p.max);
    std::string value = show ? fmt::format(" {:<12}", p.get(current)) : "";
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
  fmt::print("always-on static power {:.3f} W; area {:.1f} mm2\n", energy::ungated_static_power_w(hw),
             costing::total_mm2(costing::area_of(hw)));
}

}  // namespace

void register_describe(CLI::App& app) {
  auto o = std::make_shared<DescribeOptions>();
  auto* sub = app.add_subcommand("describe", "List every hardware config key: unit, default, range, meaning, source");
  sub->add_option("--hw", o->hw_path, "also show the values of this hardware config");
  sub->add_flag("--json", o->json, "print the key table as JSON (key, unit, type, range, choices, default, "
                                   "value, expected, meaning, source)");
  sub->add_flag("--light-budget", o->light_budget, "print the design's light budget, laser to detector, stage by stage");
  sub->callback([o] { o->light_budget ? run_light_budget(o->hw_path) : run_describe(*o); });
}

}  // namespace oasim::cli
