#pragma once
// Shared set-ups for tests that run the hardware simulation: a tiny `oasim run` and converters that are exact.
#include <cstdint>

#include "models/components/hardware_config.hpp"
#include "sim/run/hardware_run.hpp"
#include "tests/test_support.hpp"

namespace oasim::test {

// `oasim run` on the tiny golden stream model and random clips, quiet.
inline run::RunOptions tiny_run_options(long clips, int frames, uint64_t seed) {
  run::RunOptions o;
  o.model_path = fixture("tiny_stream.h5");
  o.data_spec = "random";
  o.clips = clips;
  o.frames = frames;
  o.calibration_clips = 2;
  o.seed = seed;
  o.progress = false;
  return o;
}

// Hardware whose results equal fp32 to about 1e-5: no noise, no device error, 16-bit weights and
// converters, a dynamic ADC range.
inline config::HardwareConfig exact_hardware() {
  config::HardwareConfig hw;
  hw.detector.noise_model = config::NoiseModel::Off;
  hw.weight_plane.fixed_pattern_sigma = 0;
  hw.weight_plane.crosstalk = 0;
  hw.weight_plane.weight_bits = 16;
  hw.modulator.dac_bits = 16;
  hw.adc.bits = 16;
  hw.adc.range = config::AdcRange::Dynamic;
  return hw;
}

}  // namespace oasim::test
