#pragma once
// The one way a command arrives at the hardware config it simulates, in this order of precedence:
// the hardware file (or a config already parsed: a trace's recorded one) < the quantization recipe's
// hardware preset (e.g. W4A8) < the --set / sweep overrides, then the cross-key checks. Used by run (and its
// video stream), replay, compile and sweep, so the same inputs give the same config everywhere.
#include <string>
#include <utility>
#include <vector>

#include "models/components/hardware_config.hpp"
#include "workloads/quant/recipe.hpp"

namespace oasim::run {

struct ConfigSources {
  std::string hw_path;                        // resolved path of the hardware file; "" = use `base`
  const config::HardwareConfig* base = nullptr;
  std::string base_origin;                    // names `base` in messages ("TRACE (recorded config)")
  const quant::Recipe* recipe = nullptr;      // its hardware preset applies; nullptr = none
  std::string recipe_origin;                  // the recipe's file, for messages
  std::vector<std::string> set_args;          // "KEY=VALUE" from the command line, in order
  std::vector<std::pair<std::string, std::string>> sets;  // (key, value) from a sweep, in order
  std::string sets_origin;                    // names the sweep point in messages
};

// InputError naming the source of the first bad value.
config::HardwareConfig resolve_hardware_config(const ConfigSources& s);

}  // namespace oasim::run
