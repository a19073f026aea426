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
#include "sim/run/report_writer.hpp"
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
  fmt::print("latency per frame {:.3f} us   {:.1f} frames/s   (recorded: {:.1f} frames/s, x{:.3f})\n",
             cost.frame_latency_s * 1e6, cost.frames_per_s, rec_fps, rec_fps > 0 ? cost.frames_per_s / rec_fps : 0.0);
  const double e = cost.at_input_fps.total_j();
  fmt::print("energy per frame at {:g} frames/s {:.3f} uJ   (recorded: {:.3f} uJ, x{:.3f})\n", c.fps, e * 1e6,
             t.energy_per_frame_j * 1e6, t.energy_per_frame_j > 0 ? e / t.energy_per_frame_j : 0.0);
  run::print_cost(cost);
  const auto& s = cost.step;
  auto util = [&](double busy) { return s.total_s > 0 ? 100 * busy / s.total_s : 0.0; };
  fmt::print("utilisation: modulators {:.1f}%  ADCs {:.1f}%  digital {:.1f}%  SRAM {:.1f}%  DRAM {:.1f}%\n",
             util(s.modulator_busy_s), util(s.adc_busy_s), util(s.digital_busy_s), util(s.sram_busy_s),
             util(s.dram_busy_s));
  fmt::print("replay wall time {:.4f} s (no numerics)\n", r.wall_s);
  if (!c.json_out.empty()) {
    nlohmann::json j = {{"trace", c.trace_path},
                        {"hw_name", hw.name},
                        {"retiled", r.retiled},
                        {"frame_latency_s", cost.frame_latency_s},
                        {"frames_per_s", cost.frames_per_s},
                        {"energy_per_frame_j", e},
                        {"macs_per_frame", cost.macs_per_frame},
                        {"wall_s", r.wall_s}};
    nlohmann::json comps = nlohmann::json::object();
    for (auto& [comp, jj] : cost.at_input_fps.by_component()) comps[comp] = jj;
    j["energy_per_frame_by_component_j"] = comps;
    j["energy_per_frame"] = run::cost_json(cost);
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
