#pragma once
// Reading hardware configs from YAML (once, at the edge) and overriding single keys.
#include <string>
#include <vector>

#include "sim/config/hardware_config.hpp"

namespace oasim::config {

// Parses and validates a YAML file. Unknown keys, wrong types, out-of-range values and inconsistent
// combinations are InputErrors of the form "FILE:LINE: key 'a.b' = 'v': expected ...".
HardwareConfig load_hardware_config(const std::string& path);

// The same from YAML text (a config recorded in a trace or report); `origin` names it in errors.
HardwareConfig parse_hardware_config_text(const std::string& text, const std::string& origin);

// Sets one key from text (command-line `--set key=value`, sweep axes); InputError if unknown or invalid.
void set_hardware_param(HardwareConfig& c, const std::string& key, const std::string& value,
                        const std::string& origin = "--set");

// Cross-key consistency checks (each message names the keys involved).
void validate(const HardwareConfig& c, const std::string& origin);

// The whole config as YAML text (every key, in table order): for reports and for round trips.
std::string to_yaml(const HardwareConfig& c);

}  // namespace oasim::config
