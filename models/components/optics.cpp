#include "models/components/optics.hpp"

#include "models/components/param_rows.hpp"
#include "models/components/units.hpp"

namespace oasim::hw {

std::vector<config::ParamSpec> Optics::params() const {
  return {
      OASIM_NUMBER("optics.fanout_excess_loss_db", "dB", 0, 60,
                   "loss of the fan-out optics beyond the ideal 1:N split of a beam over a plane column",
                   "assumed: diffractive / lenslet fan-out about 80 % efficient", optics.fanout_excess_loss_db),
      OASIM_NUMBER("optics.coupling_loss_db", "dB", 0, 60, "lens and coupling loss from the plane onto the detectors",
                   "assumed: imaging lens + detector fill factor", optics.coupling_loss_db),
  };
}

std::vector<LightStage> Optics::light_stages(const config::HardwareConfig& hw) const {
  return {{"fan-out excess loss", db_loss_factor(hw.optics.fanout_excess_loss_db), "optics.fanout_excess_loss_db"},
          {"lens / coupling onto the detectors", db_loss_factor(hw.optics.coupling_loss_db), "optics.coupling_loss_db"}};
}

}  // namespace oasim::hw
