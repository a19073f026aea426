#include "models/components/light_budget.hpp"

#include "models/components/units.hpp"

namespace oasim::hw {

LightBudget light_budget(const config::HardwareConfig& hw) {
  LightBudget b;
  for (const Component* c : components())
    for (auto& s : c->light_stages(hw)) b.stages.push_back(s);
  b.path_factor = 1;
  for (auto& s : b.stages) b.path_factor *= s.factor;
  b.source_power_w = hw.laser.power_mw * 1e-3;
  b.input_full_scale = dac_levels(hw) * (rails_per_channel(hw) == 2 ? 1.0 : 2.0);
  b.weight_levels = weight_levels(hw);
  b.input_floor = input_light_floor(hw);
  b.weight_floor = weight_light_floor(hw);
  // path_factor carries a full-scale input through a fully open pixel; one unit is one code of each.
  b.unit_power_w = b.source_power_w * b.path_factor / (b.input_full_scale * b.weight_levels);
  b.unit_current_a = b.unit_power_w * hw.detector.responsivity_a_per_w;
  return b;
}

double photoelectrons(const config::HardwareConfig& hw, const LightBudget& b, double light_units) {
  const double symbol_s = 1.0 / (hw.modulator.symbol_rate_ghz * 1e9);
  return light_units * b.unit_current_a * symbol_s / kElectronCharge;
}

}  // namespace oasim::hw
