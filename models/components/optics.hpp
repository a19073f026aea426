#pragma once
// Passive free-space optics: the fan-out that spreads each modulated beam over a plane column (its excess
// loss beyond the ideal 1:N split) and the lens/coupling loss onto the detectors. No power, no die area.
#include "models/components/component.hpp"

namespace oasim::config {
struct OpticsConfig {
  double fanout_excess_loss_db = 1.0;
  double coupling_loss_db = 1.0;
};
}  // namespace oasim::config

namespace oasim::hw {
class Optics : public Component {
 public:
  Replication replication() const override { return Replication::PerOpticalCore; }
  std::string name() const override { return "optics"; }
  std::string section() const override { return "optics"; }
  std::vector<config::ParamSpec> params() const override;
  std::vector<ActionEnergy> actions(const energy::ActionCounts&, const config::HardwareConfig&) const override { return {}; }
  std::vector<PowerState> power(const config::HardwareConfig&) const override { return {}; }
  double area_mm2(const config::HardwareConfig&) const override { return 0; }
  std::vector<LightStage> light_stages(const config::HardwareConfig& hw) const override;
};
}  // namespace oasim::hw
