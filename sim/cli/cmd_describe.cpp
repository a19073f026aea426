// `oasim describe`: every hardware config key with unit, default, range and meaning, generated from the
// same declarations the parser uses (so it cannot go stale). --json prints the same table machine-readably
// (with the validation messages' "expected ..." text): the PyTorch side validates configs against it
// (workloads/python/oasim/hardware_config.py), so both sides accept the same files with the same messages.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "sim/cli/commands.hpp"
#include "sim/config/hardware_config_io.hpp"
#include "sim/config/hardware_params.hpp"

namespace oasim::cli {
namespace {

struct DescribeOptions {
  std::string hw_path;
  bool json = false;
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
    keys.push_back(std::move(k));
  }
  nlohmann::ordered_json out;
  out["format"] = "oasim-hardware-keys";
  out["keys"] = std::move(keys);
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
  }
}

}  // namespace

void register_describe(CLI::App& app) {
  auto o = std::make_shared<DescribeOptions>();
  auto* sub = app.add_subcommand("describe", "List every hardware config key: unit, default, range, meaning");
  sub->add_option("--hw", o->hw_path, "also show the values of this hardware config");
  sub->add_flag("--json", o->json, "print the key table as JSON (key, unit, type, range, choices, default, "
                                   "value, expected, meaning)");
  sub->callback([o] { run_describe(*o); });
}

}  // namespace oasim::cli
