#pragma once
// The hardware key table, assembled from the components' own rows (plus the design's name and device
// seed): one table drives parsing, validation, `oasim describe`, command-line overrides and sweep axes.
#include <string>
#include <vector>

#include "models/components/component.hpp"
#include "models/components/hardware_config.hpp"

namespace oasim::config {

const std::vector<ParamSpec>& hardware_params();
const ParamSpec* find_param(const std::string& key);
// A key of an older config that this version replaced: the message naming what replaced it, or nullptr.
const char* replaced_key(const std::string& key);
std::vector<std::string> replaced_keys();

}  // namespace oasim::config
