#pragma once
// Set-ups several test files share: the shipped model's shape and a device whose only noise is shot noise.
#include <string>

#include "models/components/hardware_config.hpp"
#include "sim/common/h5_file.hpp"
#include "workloads/videomamba/model_file.hpp"

namespace oasim::test {

// The shipped model's configuration (shapes only; the weights are not read).
inline videomamba::ModelConfig shipped_model_config() {
  return videomamba::read_model_config(h5::Reader(std::string(OASIM_SOURCE_DIR) + "/models/videomamba-stream-mfm.h5"));
}

// A device whose only noise is the shot noise of its light: no fixed-pattern error or crosstalk, static
// converter ranges, and the receiver's thermal noise, RIN and dark current switched off.
inline config::HardwareConfig shot_noise_only_device() {
  config::HardwareConfig hw;
  hw.weight_plane.fixed_pattern_sigma = 0;
  hw.weight_plane.crosstalk = 0;
  hw.modulator.scale = config::ActivationScale::Static;
  hw.adc.range = config::AdcRange::Static;
  hw.detector.dark_current_na = 0;
  hw.detector.rin_db_per_hz = -200;
  hw.detector.tia_feedback_kohm = 1e6;  // receiver noise negligible
  hw.detector.tia_noise_pa_rthz = 0;
  hw.detector.temperature_k = 1;
  return hw;
}

}  // namespace oasim::test
