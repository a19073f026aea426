#pragma once
// Photodetector + TIA noise (optical-hardware.md). Signals are in accumulator units: one unit is the
// photocurrent of a product code 1 x 1 (DAC code x weight code), so the optics' exact integer dot
// product and its noise share one scale and the ADC sees both.
//
// Per output sample, bandwidth B, photocurrent I (A):
//   shot 2 q I B,  thermal 4 k T B / R_f,  dark 2 q I_d B,  laser RIN 10^(RIN/10) I_signal^2 B.
// Shot noise grows with ALL light reaching the balanced pair (both rails), not only the net signal.
#include "sim/config/hardware_config.hpp"

namespace oasim::optical {

constexpr double kElectronCharge = 1.602176634e-19;  // C
constexpr double kBoltzmann = 1.380649e-23;           // J/K

struct DetectorModel {
  config::NoiseModel model = config::NoiseModel::Physical;
  double unit_current_a = 0;  // photocurrent of one accumulator unit
  double bandwidth_hz = 0;    // detector noise bandwidth = symbol rate / 2 (Nyquist)
  double sigma_rel = 0;       // gaussian model

  // dac_levels, weight_levels: largest codes, so a full-scale input through a fully transmitting pixel
  // is dac_levels * weight_levels accumulator units and carries the laser's per-channel power.
  static DetectorModel from_config(const config::HardwareConfig& c, int dac_levels, int weight_levels);

  double shot_variance_a2(double current_a) const { return 2 * kElectronCharge * current_a * bandwidth_hz; }
  double thermal_variance_a2() const;
  double dark_variance_a2() const;
  double rin_variance_a2(double signal_current_a) const;

  // Physical model: noise variance in accumulator units^2 for total light `light` and net signal `signal`.
  double variance_acc(double light, double signal) const;

  double temperature_k = 300, feedback_ohm = 1e4, dark_current_a = 0, rin_linear = 0;
};

}  // namespace oasim::optical
