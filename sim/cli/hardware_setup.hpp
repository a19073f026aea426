#pragma once
// The --hw options shared by `oasim infer` and `oasim eval`: a model run through the simulated optical
// hardware (config, recipe preset, --set overrides), calibrated like `oasim run` calibrates (on clips that
// are never evaluated), optionally exporting the calibrated device state for PyTorch (--device-out).
#include <CLI/CLI.hpp>
#include <memory>
#include <string>
#include <vector>

#include "models/components/hardware_config.hpp"
#include "sim/hardware/optical_linear_executor.hpp"
#include "workloads/quant/recipe.hpp"
#include "workloads/videomamba/videomamba_model.hpp"

namespace oasim::cli {

struct HardwareOptions {
  std::string hw_path, recipe_path, calibration_data = "random", device_out;
  std::vector<std::string> sets;
  uint64_t seed = 1;
  int calibration_clips = 4;
  bool enabled() const { return !hw_path.empty(); }
  // InputError when a hardware-only option is given without --hw.
  void check_consistent() const;
};

void add_hardware_options(CLI::App* sub, HardwareOptions& o);

struct HardwareSetup {
  config::HardwareConfig hw;
  quant::Recipe recipe;
  std::unique_ptr<videomamba::VideoMambaModel> transformed;  // the recipe's offline-rotated model, if any
  std::unique_ptr<hardware::OpticalLinearExecutor> optical;
  // The model the hardware runs: the recipe's transformed copy, or `original`.
  const videomamba::VideoMambaModel& model(const videomamba::VideoMambaModel& original) const {
    return transformed ? *transformed : original;
  }
};

// Builds and calibrates the executor; calibration clips have `frames` frames.
std::unique_ptr<HardwareSetup> setup_hardware(const HardwareOptions& o, const videomamba::VideoMambaModel& model,
                                              int frames);

}  // namespace oasim::cli
