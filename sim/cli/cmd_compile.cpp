// `oasim compile`: how a model maps onto the hardware: tiles per layer, planes, utilisation, buffers,
// reloads, and the per-frame schedule's time by op kind.
#include <fmt/format.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "sim/cli/commands.hpp"
#include "sim/common/shipped_paths.hpp"
#include "models/components/hardware_config_io.hpp"
#include "sim/common/error.hpp"
#include "sim/common/output_paths.hpp"
#include "sim/run/config_resolution.hpp"
#include "sim/run/provenance_json.hpp"
#include "sim/run/report_writer.hpp"
#include "sim/systemc/timing_engine.hpp"
#include "workloads/compiler/compiler.hpp"
#include "workloads/videomamba/model_file.hpp"

namespace oasim::cli {
namespace {

struct CompileCli {
  std::string hw = "configs/hw/default.yaml", model = "models/videomamba-stream-mfm.h5";
  bool ops = false;
  std::string recipe;
  std::vector<std::string> sets;
  std::string json;
};

void run_compile(const CompileCli& c) {
  if (!c.json.empty()) check_output_file(c.json, "--json");
  run::ConfigSources src;
  src.hw_path = resolve_shipped(c.hw);
  quant::Recipe recipe;
  if (!c.recipe.empty()) {
    src.recipe_origin = resolve_shipped(c.recipe);
    recipe = quant::load_recipe(src.recipe_origin);
    src.recipe = &recipe;
  }
  src.set_args = c.sets;
  const config::HardwareConfig hw = run::resolve_hardware_config(src);
  // The whole file is checked (shapes, finite weights, checksums) as `oasim run` does, not only its attributes:
  // a mapping of a model that cannot run would mislead.
  const videomamba::ModelConfig mc = videomamba::load_model(resolve_shipped(c.model)).config;
  auto p = compiler::compile(mc, hw, mc.is_stream() ? 1 : mc.num_frames, src.recipe);
  fmt::print("model {} ({}), hardware '{}': planes {}x{} x {}\n", c.model, videomamba::variant_name(mc.variant), hw.name,
             hw.weight_plane.rows, hw.weight_plane.cols, hw.weight_plane.planes);
  fmt::print("columns: tiles = plane-sized pieces of the weight matrix; rows = row tiles (output blocks of <= plane\n"
             "rows); passes = optical passes per input vector (input chunks of <= plane columns, never across a\n"
             "scale group); vectors = input vectors per {}; planes = the planes its tiles sit on\n\n",
             mc.is_stream() ? "frame" : "clip");
  fmt::print("{:<32} {:>9} {:>6} {:>6} {:>6} {:>10} {:>8}\n", "linear", "out x in", "tiles", "rows", "passes", "vectors",
             "planes");
  for (auto& lm : p.linears) {
    std::map<int, int> planes;
    for (int t : lm.tiles) planes[p.tiles[t].plane]++;
    std::string pl;
    for (auto& [q, n] : planes) pl += (pl.empty() ? "" : ",") + std::to_string(q);
    fmt::print("{:<32} {:>9} {:>6} {:>6} {:>6} {:>10} {:>8}\n", lm.name, fmt::format("{}x{}", lm.out_features, lm.in_features),
               lm.tiles.size(), lm.row_tiles, lm.col_tiles, lm.vectors_per_frame, pl);
  }
  fmt::print("\ntiles {}: {}; plane fill {:.1f}% (weights / capacity of the planes used)\n", p.tiles.size(),
             run::planes_line(p), 100 * p.plane_utilisation);
  fmt::print("buffers: recurrent state {:.1f} KiB, activations {:.1f} KiB, outlier weight copy {:.1f} KiB, SRAM {:.0f} KiB{}\n",
             p.buffers.state_bytes / 1024, p.buffers.activation_bytes / 1024, p.buffers.weight_copy_bytes / 1024,
             p.buffers.capacity_bytes / 1024,
             p.buffers.fits() ? " (fits)" : fmt::format(" (spills {:.1f} KiB per step to DRAM)", p.buffers.spill_bytes_per_step / 1024));
  const auto st = timing::simulate(p, timing::TimingParams::from_config(hw));
  fmt::print("schedule: {} ops, {:.3f} us per step ({} frame(s))\n", p.ops.size(), st.total_s * 1e6, p.frames_per_step);
  if (c.ops)
    for (size_t i = 0; i < p.ops.size(); ++i)
      fmt::print("  {:>10.3f} {:>10.3f} us  {}\n", st.ops[i].start_s * 1e6, st.ops[i].end_s * 1e6, p.ops[i].name);
  if (!c.json.empty()) {
    // The mapping section of the run report's schema (docs/report-format.md), with its provenance.
    run::ProvenanceInputs prov;
    prov.device_seed = hw.seed;
    prov.hw_path = src.hw_path;
    prov.recipe_path = src.recipe_origin;
    prov.model_path = resolve_shipped(c.model);
    nlohmann::json j;
    j["oasim_report_version"] = run::kReportVersion;
    j["provenance"] = run::provenance_json(prov);
    j["run"] = {{"model", prov.model_path}, {"model_variant", videomamba::variant_name(mc.variant)},
                {"hw", src.hw_path}, {"hw_name", hw.name}};
    j["mapping"] = run::mapping_json(p);
    j["throughput"] = {{"step_s", st.total_s}, {"frames_per_step", p.frames_per_step}};
    j["hardware_config"] = config::to_yaml(hw);
    std::ofstream out(c.json);
    out << j.dump(2) << "\n";
    if (!out.flush()) fail_input("--json '{}': cannot write the file", c.json);
    fmt::print("wrote {}\n", c.json);
  }
}

}  // namespace

void register_compile(CLI::App& app) {
  auto c = std::make_shared<CompileCli>();
  auto* sub = app.add_subcommand("compile", "Show how a model maps onto the hardware (tiles, planes, buffers, schedule)");
  sub->add_option("--hw", c->hw, "hardware config (YAML)")->capture_default_str();
  sub->add_option("--model,-m", c->model, "oasim model file (.h5)")->capture_default_str();
  sub->add_option("--recipe", c->recipe, "quantization recipe (its hardware preset and online costs, as `oasim run`)");
  sub->add_option("--set", c->sets, "override a hardware key, KEY=VALUE (repeatable; see `oasim describe`)");
  sub->add_option("--json", c->json, "also write the mapping as JSON (the run report's mapping section, with provenance)");
  sub->add_flag("--ops", c->ops, "list every op of the schedule with its start and end time");
  sub->callback([c] { run_compile(*c); });
}

}  // namespace oasim::cli
