#include "sim/cli/hardware_setup.hpp"

#include "sim/common/error.hpp"
#include "sim/common/shipped_paths.hpp"
#include "models/components/hardware_config_io.hpp"
#include "sim/hardware/device_state_export.hpp"
#include "sim/run/hardware_run.hpp"
#include "workloads/quant/residual_rotation.hpp"

namespace oasim::cli {

void HardwareOptions::check_consistent() const {
  if (!enabled() && (!recipe_path.empty() || !sets.empty() || !device_out.empty()))
    fail_input("--recipe, --set and --device-out need --hw CONFIG");
}

void add_hardware_options(CLI::App* sub, HardwareOptions& o) {
  sub->add_option("--hw", o.hw_path, "run through the simulated optical hardware of this config (YAML)");
  sub->add_option("--recipe", o.recipe_path, "--hw: quantization recipe (YAML, configs/recipes/)");
  sub->add_option("--set", o.sets, "--hw: override a hardware key, KEY=VALUE (repeatable)");
  sub->add_option("--seed", o.seed, "--hw: run seed of the detector-noise streams")->capture_default_str();
  sub->add_option("--calibration-data", o.calibration_data,
                  "--hw: clips for static scales and recipe statistics: random | mfm:train | FILE.h5")
      ->capture_default_str();
  sub->add_option("--calibration-clips", o.calibration_clips, "--hw: number of calibration clips")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  sub->add_option("--device-out", o.device_out,
                  "--hw: write the calibrated device state (codes, fixed pattern, scales) to this HDF5 file for the "
                  "PyTorch OpticalLinear (docs/pytorch-hardware.md)");
}

std::unique_ptr<HardwareSetup> setup_hardware(const HardwareOptions& o, const videomamba::VideoMambaModel& model,
                                              int frames) {
  auto h = std::make_unique<HardwareSetup>();
  h->hw = config::load_hardware_config(resolve_shipped(o.hw_path));  // as `run`: shipped configs from anywhere
  if (!o.recipe_path.empty()) {
    const std::string path = resolve_shipped(o.recipe_path);
    h->recipe = quant::load_recipe(path);
    // The recipe's precision preset overrides the config; --set overrides both (as in `oasim run`).
    for (auto& [k, v] : h->recipe.hardware) config::set_hardware_param(h->hw, k, v, path + ": hardware");
  }
  config::apply_sets(h->hw, o.sets);
  config::validate(h->hw, o.hw_path);
  h->transformed = quant::offline_model(model, h->recipe);
  const videomamba::VideoMambaModel& hw_model = h->model(model);
  h->optical = std::make_unique<hardware::OpticalLinearExecutor>(hw_model.weights(), h->hw, o.seed, h->recipe);
  // infer and eval report no per-layer SQNR: its fp32 reference of every Linear would cost about half the
  // simulated frame again (`oasim infer` of a 1,000-frame Ti stream: 126 s with it, 79 s without).
  h->optical->set_measure_sqnr(false);
  run::RunOptions ro;
  ro.data_spec = o.calibration_data;
  ro.calibration_clips = o.calibration_clips;
  ro.frames = frames;
  ro.seed = o.seed;
  ro.recipe = h->recipe;
  run::calibrate(*h->optical, hw_model, ro);
  if (!o.device_out.empty()) hardware::write_device_state(o.device_out, *h->optical, h->hw, h->transformed != nullptr);
  return h;
}

}  // namespace oasim::cli
