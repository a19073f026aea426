#include "models/optical/photodetector.hpp"

#include <cmath>

namespace oasim::optical {

DetectorModel DetectorModel::from_config(const config::HardwareConfig& c, int dac_levels, int weight_levels) {
  DetectorModel d;
  d.model = c.detector.noise_model;
  d.sigma_rel = c.detector.sigma_rel;
  // Current of one full-scale input through a fully transmitting pixel: P * efficiency * responsivity.
  const double full_current = c.laser.power_per_channel_uw * 1e-6 * c.laser.optical_efficiency *
                              c.detector.responsivity_a_per_w;
  d.unit_current_a = full_current / (double(dac_levels) * double(weight_levels));
  d.bandwidth_hz = c.modulator.symbol_rate_ghz * 1e9 / 2.0;
  d.temperature_k = c.detector.temperature_k;
  d.feedback_ohm = c.detector.tia_feedback_kohm * 1e3;
  d.dark_current_a = c.detector.dark_current_na * 1e-9;
  d.rin_linear = std::pow(10.0, c.detector.rin_db_per_hz / 10.0);
  return d;
}

double DetectorModel::thermal_variance_a2() const { return 4 * kBoltzmann * temperature_k * bandwidth_hz / feedback_ohm; }

double DetectorModel::dark_variance_a2() const { return 2 * kElectronCharge * dark_current_a * bandwidth_hz; }

double DetectorModel::rin_variance_a2(double signal_current_a) const {
  return rin_linear * signal_current_a * signal_current_a * bandwidth_hz;
}

double DetectorModel::variance_acc(double light, double signal) const {
  const double u = unit_current_a;
  const double var_a2 = shot_variance_a2(light * u) + thermal_variance_a2() + dark_variance_a2() +
                        rin_variance_a2(signal * u);
  return var_a2 / (u * u);
}

}  // namespace oasim::optical
