#include "sim/run/config_resolution.hpp"

#include "sim/common/error.hpp"
#include "models/components/hardware_config_io.hpp"

namespace oasim::run {

config::HardwareConfig resolve_hardware_config(const ConfigSources& s) {
  if (s.hw_path.empty() && !s.base) throw std::logic_error("resolve_hardware_config: no hardware file or base config");
  config::HardwareConfig hw = s.hw_path.empty() ? *s.base : config::load_hardware_config(s.hw_path);
  std::string origin = s.hw_path.empty() ? s.base_origin : s.hw_path;
  if (s.recipe) {
    for (auto& [k, v] : s.recipe->hardware) config::set_hardware_param(hw, k, v, s.recipe_origin + ": hardware");
    origin += " with recipe " + s.recipe_origin;
  }
  config::apply_sets(hw, s.set_args);
  for (auto& [k, v] : s.sets) config::set_hardware_param(hw, k, v, s.sets_origin);
  if (!s.set_args.empty()) origin += " with --set overrides";
  config::validate(hw, s.sets_origin.empty() ? origin : s.sets_origin);
  return hw;
}

}  // namespace oasim::run
