// `oasim replay TRACE.h5 --hw OTHER.yaml`: re-times and re-costs a recorded pass stream on another
// hardware config without recomputing any numerics.
#include <fmt/format.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "sim/cli/commands.hpp"
#include "sim/common/error.hpp"
#include "sim/common/output_paths.hpp"
#include "sim/common/shipped_paths.hpp"
#include "models/components/hardware_config_io.hpp"
#include "sim/run/config_resolution.hpp"
#include "sim/run/provenance_json.hpp"
#include "sim/run/report_writer.hpp"
#include "sim/run/si_units.hpp"
#include "sim/run/utilisation.hpp"
#include "sim/trace/replay.hpp"

namespace oasim::cli {
namespace {

struct ReplayCli {
  std::string trace_path;
  std::string hw_path;
  std::vector<std::string> sets;
  bool retile = false;
  std::string json_out;
  double fps = 30.0;
};

void run_replay(ReplayCli& c) {
  if (!c.json_out.empty()) check_output_file(c.json_out, "--json");
  trace::TimingTrace t = trace::read_trace(c.trace_path);
  // No recipe preset here: the recorded config already holds it, and --hw replaces it as a whole.
  run::ConfigSources src;
  src.base = &t.hw;
  src.base_origin = c.trace_path + " (recorded config)";
  if (!c.hw_path.empty()) src.hw_path = resolve_shipped(c.hw_path);
  src.set_args = c.sets;
  const config::HardwareConfig hw = run::resolve_hardware_config(src);
  trace::ReplayResult r = trace::replay(t, hw, c.retile, c.fps);
  const auto& cost = r.cost;

  const double rec_fps = t.step.total_s > 0 ? t.program.frames_per_step / t.step.total_s : 0;
  fmt::print("oasim replay: {} ({} passes, recorded on '{}') on '{}'{}\n", c.trace_path, t.program.ops.size(),
             t.hw.name, hw.name, r.retiled ? " -- re-tiled" : "");
  fmt::print("latency per frame {}   {:.1f} frames/s   (recorded: {:.1f} frames/s, x{:.3f})\n",
             run::si_time(cost.frame_latency_s), cost.frames_per_s, rec_fps,
             rec_fps > 0 ? cost.frames_per_s / rec_fps : 0.0);
  const double e = cost.at_input_fps.total_j();
  fmt::print("energy per frame at {:g} frames/s {}   (recorded: {}, x{:.3f})\n", c.fps, run::si_energy(e),
             run::si_energy(t.energy_per_frame_j), t.energy_per_frame_j > 0 ? e / t.energy_per_frame_j : 0.0);
  run::print_cost(cost);
  const auto use = run::utilisation(cost.step);  // the same keys as `oasim run` and report.json
  fmt::print("{}\n{}\n", run::utilisation_line(use), run::bound_by_line(use));
  fmt::print("replay wall time {:.4f} s (no numerics)\n", r.wall_s);
  if (!c.json_out.empty()) {
    // The run report's schema (docs/report-format.md): no accuracy or layers (replay runs no numerics).
    run::ProvenanceInputs prov;
    prov.device_seed = hw.seed;
    prov.hw_path = src.hw_path;  // "" = the recorded config, which the hashed trace holds
    prov.extra_files = {{"trace", c.trace_path}};
    nlohmann::json j;
    j["oasim_report_version"] = run::kReportVersion;
    j["provenance"] = run::provenance_json(prov);
    j["run"] = {{"hw", src.hw_path.empty() ? nlohmann::json(nullptr) : nlohmann::json(src.hw_path)},
                {"hw_name", hw.name}, {"model", t.model_path}, {"recipe", t.recipe_path}};
    j["replay"] = {{"trace", c.trace_path}, {"recorded_hw_name", t.hw.name}, {"retiled", r.retiled},
                   {"recorded_frames_per_s", rec_fps}, {"recorded_energy_per_frame_j", t.energy_per_frame_j}};
    j["energy_per_frame"] = run::cost_json(cost);
    j["throughput"] = run::throughput_json(cost, r.program);
    j["mapping"] = run::mapping_json(r.program);
    j["wall_s"] = {{"replay", r.wall_s}};
    j["hardware_config"] = config::to_yaml(hw);
    std::ofstream out(c.json_out);
    out << j.dump(1) << "\n";
    if (!out.flush()) fail_input("--json '{}': cannot write the file", c.json_out);
    fmt::print("wrote {}\n", c.json_out);
  }
}

}  // namespace

void register_replay(CLI::App& app) {
  auto c = std::make_shared<ReplayCli>();
  auto* sub = app.add_subcommand("replay", "Re-time a recorded trace (oasim run --record-trace) on another hardware config");
  sub->add_option("trace", c->trace_path, "trace file (.h5) from `oasim run --record-trace`")->required();
  sub->add_option("--hw", c->hw_path, "hardware config to replay on (default: the recorded one)");
  sub->add_option("--set", c->sets, "override a hardware key, KEY=VALUE (repeatable)");
  sub->add_flag("--retile", c->retile, "recompile the mapping when the new config changes it (plane size, SRAM...)");
  sub->add_option("--json", c->json_out, "also write the result as JSON");
  sub->add_option("--fps", c->fps, "input frame rate the energy per frame is priced at (static power over 1/fps)")
      ->check(CLI::Range(1e-6, 1e6))->capture_default_str();
  sub->callback([c] { run_replay(*c); });
}

}  // namespace oasim::cli
