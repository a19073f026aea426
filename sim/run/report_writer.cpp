#include "sim/run/report_writer.hpp"

#include <fmt/format.h>

#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>

#include "sim/common/h5_file.hpp"
#include "sim/run/provenance_json.hpp"
#include "sim/run/si_units.hpp"
#include "sim/run/utilisation.hpp"
#include "models/components/hardware_config_io.hpp"

namespace oasim::run {
namespace {

nlohmann::json breakdown_json(const energy::EnergyBreakdown& e, double macs) {
  nlohmann::json entries = nlohmann::json::array();
  for (auto& x : e.entries)
    entries.push_back({{"component", x.component}, {"action", x.action}, {"static", x.is_static}, {"count", x.count},
                       {"joules_per_action", x.joules_per_action}, {"joules", x.joules()}});
  nlohmann::json comps = nlohmann::json::object();
  for (auto& [c, j] : e.by_component())
    comps[c] = {{"total_j", j}, {"static_j", e.component_static_j(c)}, {"dynamic_j", j - e.component_static_j(c)}};
  return {{"total_j", e.total_j()}, {"dynamic_j", e.dynamic_j()}, {"static_j", e.static_j()},
          {"interval_s", e.interval_s}, {"average_power_w", e.average_power_w()},
          {"pj_per_mac", costing::ProgramCost::pj_per_mac(e, macs)},
          {"tops_per_w", costing::ProgramCost::tops_per_w(e, macs)}, {"by_component", comps}, {"entries", entries}};
}

}  // namespace

void print_cost(const costing::ProgramCost& c) {
  const auto& e = c.at_input_fps;
  const double total = e.total_j();
  fmt::print("\n-- energy per frame at {:g} frames/s: {} = dynamic {} + static {}; average power {} --\n", c.input_fps,
             si_energy(total), si_energy(e.dynamic_j()), si_energy(e.static_j()), si_power(e.average_power_w()));
  if (!c.keeps_up)
    fmt::print("   the hardware needs {} per frame, longer than the {} frame interval: it cannot keep up\n",
               si_time(c.frame_latency_s), si_time(1.0 / c.input_fps));
  fmt::print("   {:.3f} pJ/MAC, {:.3g} TOPS/W, {:.3g} MACs per frame\n", costing::ProgramCost::pj_per_mac(e, c.macs_per_frame),
             costing::ProgramCost::tops_per_w(e, c.macs_per_frame), c.macs_per_frame);
  fmt::print("  {:<14} {:>12} {:>6}  {:>12} {:>12}  actions\n", "component", "energy", "share", "dynamic", "static");
  for (auto& [comp, j] : e.by_component()) {
    std::string actions;
    for (auto& en : e.entries)
      if (en.component == comp && !en.is_static && en.count > 0)
        actions += fmt::format("  {:.3g} x {} @ {}", en.count, en.action, si_energy(en.joules_per_action));
    const double st = e.component_static_j(comp);
    fmt::print("  {:<14} {:>12} {:>5.1f}%  {:>12} {:>12}{}\n", comp, si_energy(j), total > 0 ? 100 * j / total : 0,
               si_energy(j - st), si_energy(st), actions);
  }
  const auto& f = c.at_full_rate;
  fmt::print("at full throughput ({:.1f} frames/s): {} per frame = dynamic {} + static {}; {}; {:.3f} pJ/MAC, {:.3g} TOPS/W\n",
             c.frames_per_s, si_energy(f.total_j()), si_energy(f.dynamic_j()), si_energy(f.static_j()),
             si_power(f.average_power_w()), costing::ProgramCost::pj_per_mac(f, c.macs_per_frame),
             costing::ProgramCost::tops_per_w(f, c.macs_per_frame));
  std::string parts;
  for (auto& a : c.area)
    if (a.mm2 > 0) parts += fmt::format("{}{} {:.2f}", parts.empty() ? "" : ", ", a.component, a.mm2);
  fmt::print("area: {:.1f} mm2 ({})\n", c.area_mm2(), parts);
}

nlohmann::json cost_json(const costing::ProgramCost& c) {
  nlohmann::json j = breakdown_json(c.at_input_fps, c.macs_per_frame);
  j["input_fps"] = c.input_fps;
  j["keeps_up"] = c.keeps_up;
  j["macs"] = c.macs_per_frame;
  j["at_full_rate"] = breakdown_json(c.at_full_rate, c.macs_per_frame);
  nlohmann::json area = nlohmann::json::object();
  for (auto& a : c.area) area[a.component] = a.mm2;
  j["area_mm2"] = {{"total", c.area_mm2()}, {"by_component", area}};
  return j;
}

void print_report(const RunReport& r) {
  const auto& p = r.program;
  fmt::print("\noasim run: {} on '{}' ({})\n", r.model_variant, r.hw.name,
             r.hw.source_file.empty() ? "built-in defaults" : r.hw.source_file);
  fmt::print("data: {}, {} frames per clip\n", r.data_description, r.frames_per_clip);
  fmt::print("recipe: {}\n", r.options.recipe_path.empty() ? "none (RTN weights)" : r.options.recipe_path);
  for (auto& w : r.realizability_warnings) fmt::print("warning: not realizable: {}\n", w);
  fmt::print("\n-- mapping --\n");
  fmt::print("linears {}  tiles {}  plane fill {:.1f}% (weights / capacity of the planes used)\n", p.linears.size(),
             p.tiles.size(), 100 * p.plane_utilisation);
  fmt::print("{}\n", planes_line(p));
  fmt::print("buffers: state {:.1f} KiB + activations {:.1f} KiB{} of {:.0f} KiB SRAM{}\n", p.buffers.state_bytes / 1024,
             p.buffers.activation_bytes / 1024,
             p.buffers.weight_copy_bytes > 0
                 ? fmt::format(" + outlier weight copy {:.1f} KiB", p.buffers.weight_copy_bytes / 1024)
                 : "",
             p.buffers.capacity_bytes / 1024,
             p.buffers.fits() ? "" : fmt::format(" -> {:.1f} KiB spilled to DRAM per step", p.buffers.spill_bytes_per_step / 1024));

  fmt::print("\n-- accuracy ({} {}) --\n", r.scored_frames, r.model_variant == "videomamba-stream" ? "scored frames" : "clips");
  if (!r.labelled)
    fmt::print("no labels: top-1 not available\n");
  else if (r.options.fp32_only)  // the optical path did not run: no optical number is printed
    fmt::print("top-1 fp32 {:.4f}   (optical not simulated: --fp32-only)\n", r.fp32_top1);
  else
    // Accuracy is a fraction in [0, 1] on screen as in every file (docs/report-format.md).
    fmt::print("top-1 fp32 {:.4f}   optical {:.4f}   (delta {:+.4f})\n", r.fp32_top1, r.hw_top1, r.hw_top1 - r.fp32_top1);
  if (!r.options.fp32_only) {
    fmt::print("agreement with fp32 {:.4f}   mean logit cosine {:.5f}   mean per-layer SQNR {:.1f} dB\n",
               r.agreement, r.logit_cosine, r.mean_sqnr_db);
    auto worst = r.sites;
    std::sort(worst.begin(), worst.end(), [](auto& a, auto& b) { return a.sqnr_db < b.sqnr_db; });
    std::string w;
    for (size_t i = 0; i < std::min<size_t>(3, worst.size()); ++i)
      w += fmt::format("{}{} {:.1f} dB", i ? ", " : "", worst[i].name, worst[i].sqnr_db);
    fmt::print("lowest SQNR: {}\n", w);
    auto dim = r.sites;  // distance to physics: photons per output vs the 4^bits shot-noise limit
    std::sort(dim.begin(), dim.end(), [](auto& a, auto& b) { return a.photons_per_output < b.photons_per_output; });
    std::string d;
    for (size_t i = 0; i < std::min<size_t>(3, dim.size()); ++i)
      d += fmt::format("{}{} {:.3g} ({:.3g}x)", i ? ", " : "", dim[i].name, dim[i].photons_per_output, dim[i].shot_limit_ratio);
    fmt::print("fewest photons per output (x the 4^{} shot-noise limit of the ADC): {}\n", r.hw.adc.bits, d);
  }

  print_cost(r.cost);

  const auto& s = r.cost.step;
  fmt::print("\n-- throughput (SystemC) --\n");
  fmt::print("latency per frame {}   {:.1f} frames/s   step {} ({} frame(s))\n", si_time(r.cost.frame_latency_s),
             r.cost.frames_per_s, si_time(s.total_s), p.frames_per_step);
  const auto use = utilisation(s);
  fmt::print("{}\n{}\n", utilisation_line(use), bound_by_line(use));
  const double total_wall = r.wall_fp32_s + r.wall_hw_s + r.wall_systemc_s + r.wall_calibration_s;
  fmt::print("\nsimulator wall time: fp32 {:.2f} s, optical numerics {:.2f} s ({:.2f}x fp32), calibration {:.2f} s, "
             "SystemC {:.3f} s ({:.1f}% of the run)\n",
             r.wall_fp32_s, r.wall_hw_s, r.wall_fp32_s > 0 ? r.wall_hw_s / r.wall_fp32_s : 0, r.wall_calibration_s,
             r.wall_systemc_s, total_wall > 0 ? 100 * r.wall_systemc_s / total_wall : 0);
}

std::string planes_line(const compiler::Program& p) {
  const char* per = p.frames_per_step == 1 ? "frame" : "clip";
  if (p.reloads_per_step == 0)
    return fmt::format("{} planes needed, {} available: all resident, no reloads", p.planes_used, p.planes_available);
  return fmt::format("{} planes needed, {} available: {} reloads per {}", p.planes_used, p.planes_available,
                     p.reloads_per_step, per);
}

nlohmann::json throughput_json(const costing::ProgramCost& c, const compiler::Program& p) {
  const auto use = utilisation(c.step);
  return {{"frame_latency_s", c.frame_latency_s}, {"frames_per_s", c.frames_per_s}, {"step_s", c.step.total_s},
          {"frames_per_step", p.frames_per_step}, {"utilisation", utilisation_json(use)},
          {"bound_by", bound_by_json(use)}};
}

nlohmann::json mapping_json(const compiler::Program& p) {
  return {{"linears", p.linears.size()}, {"tiles", p.tiles.size()}, {"planes_used", p.planes_used},
          {"planes_available", p.planes_available}, {"plane_fill", p.plane_utilisation},
          {"reloads_per_step", p.reloads_per_step}, {"state_bytes", p.buffers.state_bytes},
          {"activation_bytes", p.buffers.activation_bytes}, {"sram_bytes", p.buffers.capacity_bytes},
          {"spill_bytes_per_step", p.buffers.spill_bytes_per_step},
          {"weight_copy_bytes", p.buffers.weight_copy_bytes}};
}

void write_report_json(const RunReport& r, const std::string& path) {
  using nlohmann::json;
  json j;
  j["oasim_report_version"] = kReportVersion;
  // Provenance: which oasim, which command, and the SHA-256 of every input file.
  ProvenanceInputs prov;
  prov.seed = r.options.seed;
  prov.data_seed = r.options.clip_seed();
  prov.device_seed = r.hw.seed;
  prov.hw_path = r.options.hw_path;
  prov.recipe_path = r.options.recipe_path;
  prov.model_path = r.options.model_path;
  j["provenance"] = provenance_json(prov);
  j["run"] = {{"model", r.options.model_path}, {"model_variant", r.model_variant}, {"hw", r.options.hw_path},
              {"hw_name", r.hw.name}, {"data", r.options.data_spec}, {"data_description", r.data_description},
              {"clips", r.clips}, {"frames_per_clip", r.frames_per_clip}, {"seed", r.options.seed}, {"data_seed", r.options.clip_seed()},
              {"skip_frames", r.options.skip_frames}};
  j["accuracy"] = {{"labelled", r.labelled}, {"scored", r.scored_frames}, {"fp32_top1", r.fp32_top1},
                   {"optical_top1", r.hw_top1}, {"agreement", r.agreement}, {"logit_cosine", r.logit_cosine},
                   {"mean_sqnr_db", r.mean_sqnr_db}};
  if (r.options.fp32_only)  // not simulated: null, never 0
    for (const char* k : {"optical_top1", "agreement", "logit_cosine", "mean_sqnr_db"}) j["accuracy"][k] = nullptr;
  if (!r.labelled)  // no labels: no top-1 was measured
    for (const char* k : {"fp32_top1", "optical_top1"}) j["accuracy"][k] = nullptr;
  json sites = json::array();
  for (auto& s : r.sites)
    sites.push_back({{"name", s.name}, {"sqnr_db", s.sqnr_db}, {"adc_saturation", s.adc_saturation},
                     {"photons_per_output", s.photons_per_output}, {"shot_limit_ratio", s.shot_limit_ratio}});
  j["layers"] = sites;
  j["energy_per_frame"] = cost_json(r.cost);
  j["realizability_warnings"] = r.realizability_warnings;
  j["throughput"] = throughput_json(r.cost, r.program);
  j["mapping"] = mapping_json(r.program);
  j["wall_s"] = {{"fp32", r.wall_fp32_s}, {"optical", r.wall_hw_s}, {"calibration", r.wall_calibration_s},
                 {"systemc", r.wall_systemc_s}};
  j["hardware_config"] = config::to_yaml(r.hw);
  std::ofstream(path) << j.dump(2) << "\n";
}

void write_report_h5(const RunReport& r, const std::string& path) {
  h5::Writer w(path);
  w.attribute("oasim_format", std::string("oasim-report"));
  w.attribute("format_version", 1L);
  w.attribute("model", r.options.model_path);
  w.attribute("hw_name", r.hw.name);
  w.attribute("hardware_config", config::to_yaml(r.hw));
  w.attribute("data", r.options.data_spec);
  w.attribute("seed", long(r.options.seed));
  w.attribute("data_seed", long(r.options.clip_seed()));
  // Not measured (--fp32-only: the optical numbers; no labels: top-1) is NaN, as null in report.json, never 0.
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const bool opt_run = !r.options.fp32_only;
  const double acc[] = {r.labelled ? r.fp32_top1 : nan, r.labelled && opt_run ? r.hw_top1 : nan,
                        opt_run ? r.agreement : nan, opt_run ? r.logit_cosine : nan, opt_run ? r.mean_sqnr_db : nan};
  w.doubles("accuracy/values", {5}, acc);
  w.strings("accuracy/names", {"fp32_top1", "optical_top1", "agreement", "logit_cosine", "mean_sqnr_db"});
  std::vector<std::string> names;
  std::vector<double> sqnr, sat;
  for (auto& s : r.sites) {
    names.push_back(s.name);
    sqnr.push_back(s.sqnr_db);
    sat.push_back(s.adc_saturation);
  }
  w.strings("layers/name", names);
  w.doubles("layers/sqnr_db", {hsize_t(sqnr.size())}, sqnr.data());
  w.doubles("layers/adc_saturation", {hsize_t(sat.size())}, sat.data());
  std::vector<std::string> comp, action;
  std::vector<double> count, jpa, joules;
  for (auto& e : r.cost.at_input_fps.entries) {
    comp.push_back(e.component);
    action.push_back(e.action);
    count.push_back(e.count);
    jpa.push_back(e.joules_per_action);
    joules.push_back(e.joules());
  }
  const hsize_t ne = comp.size();
  w.strings("energy_per_frame/component", comp);
  w.strings("energy_per_frame/action", action);
  w.doubles("energy_per_frame/count", {ne}, count.data());
  w.doubles("energy_per_frame/joules_per_action", {ne}, jpa.data());
  w.doubles("energy_per_frame/joules", {ne}, joules.data());
  const double thr[] = {r.cost.frame_latency_s, r.cost.frames_per_s, r.cost.step.total_s};
  w.doubles("throughput/values", {3}, thr);
  w.strings("throughput/names", {"frame_latency_s", "frames_per_s", "step_s"});
  std::vector<double> starts, ends;
  std::vector<std::string> opnames;
  for (size_t i = 0; i < r.cost.step.ops.size(); ++i) {
    starts.push_back(r.cost.step.ops[i].start_s);
    ends.push_back(r.cost.step.ops[i].end_s);
    opnames.push_back(r.program.ops[i].name);
  }
  w.strings("schedule/op", opnames);
  w.doubles("schedule/start_s", {hsize_t(starts.size())}, starts.data());
  w.doubles("schedule/end_s", {hsize_t(ends.size())}, ends.data());
}

}  // namespace oasim::run
