// `oasim describe`: every hardware config key with unit, default, range, meaning and the source of its default,
// generated from the same declarations the parser uses (so it cannot go stale).
#include <fmt/format.h>

#include "sim/cli/commands.hpp"
#include "models/components/hardware_config_io.hpp"
#include "models/components/param_table.hpp"

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

}  // namespace

void register_describe(CLI::App& app) {
  auto hw = std::make_shared<std::string>();
  auto* sub = app.add_subcommand("describe", "List every hardware config key: unit, default, range, meaning");
  sub->add_option("--hw", *hw, "also show the values of this hardware config");
  sub->callback([hw] { run_describe(*hw); });
}

}  // namespace oasim::cli
