#pragma once
// The declared keys of the hardware config: one table drives parsing, validation, `oasim describe`,
// command-line overrides and sweep axes, so they can never disagree.
#include <functional>
#include <string>
#include <vector>

#include "sim/config/hardware_config.hpp"

namespace oasim::config {

struct ParamSpec {
  std::string key;        // dotted path, e.g. "adc.bits"
  std::string unit;       // "" for unitless
  std::string type;       // "integer", "number", "choice", "string"
  std::string meaning;
  double min = 0, max = 0;              // inclusive range for integer/number
  std::vector<std::string> choices;     // for choice
  std::function<std::string(const HardwareConfig&)> get;
  // Parses and stores text; returns "" on success, else what was expected.
  std::function<std::string(HardwareConfig&, const std::string&)> set;
  std::string expected() const;         // "an integer in [1, 16]", "one of: a, b"
};

const std::vector<ParamSpec>& hardware_params();
const ParamSpec* find_param(const std::string& key);

}  // namespace oasim::config
