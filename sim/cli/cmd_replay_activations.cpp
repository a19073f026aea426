// `oasim replay-activations ACT.h5`: captured Linear layers (oasim run --trace-activations, or the PyTorch
// hook script workloads/python/capture_activations.py) through the optical numerics of a hardware config.
#include <fmt/format.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "sim/cli/cli_checks.hpp"
#include "sim/cli/commands.hpp"
#include "sim/common/error.hpp"
#include "sim/common/shipped_paths.hpp"
#include "models/components/hardware_config_io.hpp"
#include "models/components/param_table.hpp"
#include "sim/trace/layer_replay.hpp"

namespace oasim::cli {
namespace {

struct ActCli {
  std::string path;
  std::string hw_path = "configs/hw/default.yaml";
  std::vector<std::string> sets;
  uint64_t seed = 1;
  std::string json_out;
};

void run_act(ActCli& c) {
  auto layers = trace::read_activations(c.path);
  const std::string hw_path = resolve_shipped(c.hw_path);
  config::HardwareConfig hw = config::load_hardware_config(hw_path);
  config::apply_sets(hw, c.sets);
  config::validate(hw, hw_path + " with --set overrides");
  fmt::print("oasim replay-activations: {} layers from {} on '{}' (W{} DAC {} ADC {} bits, noise {})\n", layers.size(),
             c.path, hw.name, hw.weight_plane.weight_bits, hw.modulator.dac_bits, hw.adc.bits,
             config::find_param("detector.noise_model")->get(hw));
  fmt::print("{:<36} {:>6} {:>6} {:>6} {:>9} {:>9} {:>10}\n", "layer", "rows", "in", "out", "SQNR dB", "ADC clip",
             "ref check");
  nlohmann::json out = nlohmann::json::array();
  double sum = 0;
  for (auto& l : layers) {
    auto r = hardware::replay_layer(l, hw, c.seed);
    sum += r.sqnr_db;
    fmt::print("{:<36} {:>6} {:>6} {:>6} {:>9.2f} {:>8.3f}% {:>10.1e}\n", r.name, r.rows, r.in, r.out, r.sqnr_db,
               100 * r.adc_saturation, r.reference_mismatch);
    out.push_back({{"layer", r.name}, {"rows", r.rows}, {"in", r.in}, {"out", r.out}, {"sqnr_db", r.sqnr_db},
                   {"adc_saturation", r.adc_saturation}, {"reference_mismatch", r.reference_mismatch}});
  }
  fmt::print("mean SQNR {:.2f} dB over {} layers ('ref check': captured fp32 output vs x W^T + b)\n",
             sum / double(layers.size()), layers.size());
  if (!c.json_out.empty()) {
    std::ofstream(c.json_out) << out.dump(1) << "\n";
    fmt::print("wrote {}\n", c.json_out);
  }
}

}  // namespace

void register_replay_activations(CLI::App& app) {
  auto c = std::make_shared<ActCli>();
  auto* sub = app.add_subcommand("replay-activations",
                                 "Run captured Linear layers (weights + inputs) through the optical numerics");
  sub->add_option("activations", c->path, "activation trace (.h5): oasim-activations or an oasim trace")->required();
  sub->add_option("--hw", c->hw_path, "hardware config")->capture_default_str();
  sub->add_option("--set", c->sets, "override a hardware key, KEY=VALUE (repeatable)");
  sub->add_option("--seed", c->seed, "noise seed")->check(seed_validator())->capture_default_str();
  sub->add_option("--json", c->json_out, "also write per-layer results as JSON");
  sub->callback([c] { run_act(*c); });
}

}  // namespace oasim::cli
