#pragma once
// Reading hardware configs from YAML (once, at the edge) and overriding single keys.
#include <string>
#include <vector>

#include "models/components/hardware_config.hpp"

namespace oasim::config {

// Parses and validates a YAML file. Unknown keys, wrong types, out-of-range values and inconsistent
// combinations are InputErrors of the form "FILE:LINE: key 'a.b' = 'v': expected ...".
HardwareConfig load_hardware_config(const std::string& path);

// The same from YAML text (a config recorded in a trace or report); `origin` names it in errors.
HardwareConfig parse_hardware_config_text(const std::string& text, const std::string& origin);

// Sets one key from text (command-line `--set key=value`, sweep axes); InputError if unknown or invalid.
void set_hardware_param(HardwareConfig& c, const std::string& key, const std::string& value,
                        const std::string& origin = "--set");

// Applies command-line overrides "KEY=VALUE" in order; InputError for a malformed or invalid one.
void apply_sets(HardwareConfig& c, const std::vector<std::string>& sets);

// Cross-key consistency checks (each message names the keys involved).
void validate(const HardwareConfig& c, const std::string& origin);

// Designs no real part achieves (e.g. ADC resolution x rate beyond the jitter limit): flagged, not refused,
// so "what if" studies still run; every report prints and records them.
std::vector<std::string> realizability_warnings(const HardwareConfig& c);

// The whole config as YAML text (every key, in table order): for reports and for round trips.
std::string to_yaml(const HardwareConfig& c);

}  // namespace oasim::config
