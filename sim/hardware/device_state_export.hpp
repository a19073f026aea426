#pragma once
// Writes the calibrated state of a simulated device to HDF5, so that another implementation of the same
// numerics (the PyTorch OpticalLinear, workloads/python/oasim/optical.py) computes with the very same
// arrays: per Linear site the Int-N codes and scales (RTN, clip search or GPTQ), the device's
// fixed-pattern draw and the fixed-pattern-applied codes, the static DAC scales and ADC ranges from
// calibration, the scale groups and the recipe's input transform. Layout: docs/pytorch-hardware.md.
#include <string>

#include "models/components/hardware_config.hpp"
#include "sim/hardware/optical_linear_executor.hpp"

namespace oasim::hardware {

// `residual_rotation`: the executor runs the recipe's offline-rotated copy of the model (recorded so a
// reader that only has the original weights can refuse).
void write_device_state(const std::string& path, const OpticalLinearExecutor& exec, const config::HardwareConfig& hw,
                        bool residual_rotation);

}  // namespace oasim::hardware
