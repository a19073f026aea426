#include "sim/run/report_writer.hpp"

#include <fmt/format.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "sim/common/h5_file.hpp"
#include "sim/config/hardware_config_io.hpp"

namespace oasim::run {
namespace {

std::string si_energy(double j) {
  if (j >= 1e-3) return fmt::format("{:.3f} mJ", j * 1e3);
  if (j >= 1e-6) return fmt::format("{:.3f} uJ", j * 1e6);
  if (j >= 1e-9) return fmt::format("{:.3f} nJ", j * 1e9);
  return fmt::format("{:.3f} pJ", j * 1e12);
}

std::string si_time(double s) {
  if (s >= 1e-3) return fmt::format("{:.3f} ms", s * 1e3);
  if (s >= 1e-6) return fmt::format("{:.3f} us", s * 1e6);
  return fmt::format("{:.3f} ns", s * 1e9);
}

double util(double busy, double total) { return total > 0 ? busy / total : 0; }

}  // namespace

void print_report(const RunReport& r) {
  const auto& p = r.program;
  fmt::print("\noasim run: {} on '{}' ({})\n", r.model_variant, r.hw.name,
             r.hw.source_file.empty() ? "built-in defaults" : r.hw.source_file);
  fmt::print("data: {}, {} frames per clip\n", r.data_description, r.frames_per_clip);
  fmt::print("\n-- mapping --\n");
  fmt::print("linears {}  tiles {}  planes used {} of {}  plane utilisation {:.1f}%  reloads per {} {}\n",
             p.linears.size(), p.tiles.size(), p.planes_used, p.planes_available, 100 * p.plane_utilisation,
             p.frames_per_step == 1 ? "frame" : "clip", p.reloads_per_step);
  fmt::print("buffers: state {:.1f} KiB + activations {:.1f} KiB of {:.0f} KiB SRAM{}\n", p.buffers.state_bytes / 1024,
             p.buffers.activation_bytes / 1024, p.buffers.capacity_bytes / 1024,
             p.buffers.fits() ? "" : fmt::format(" -> {:.1f} KiB spilled to DRAM per step", p.buffers.spill_bytes_per_step / 1024));

  fmt::print("\n-- accuracy ({} {}) --\n", r.scored_frames, r.model_variant == "videomamba-stream" ? "scored frames" : "clips");
  if (r.labelled)
    fmt::print("top-1 fp32 {:.2f}%   optical {:.2f}%   (delta {:+.2f} points)\n", 100 * r.fp32_top1, 100 * r.hw_top1,
               100 * (r.hw_top1 - r.fp32_top1));
  else
    fmt::print("no labels: top-1 not available\n");
  if (!r.options.fp32_only) {
    fmt::print("agreement with fp32 {:.2f}%   mean logit cosine {:.5f}   mean per-layer SQNR {:.1f} dB\n",
               100 * r.agreement, r.logit_cosine, r.mean_sqnr_db);
    auto worst = r.sites;
    std::sort(worst.begin(), worst.end(), [](auto& a, auto& b) { return a.sqnr_db < b.sqnr_db; });
    std::string w;
    for (size_t i = 0; i < std::min<size_t>(3, worst.size()); ++i)
      w += fmt::format("{}{} {:.1f} dB", i ? ", " : "", worst[i].name, worst[i].sqnr_db);
    fmt::print("lowest SQNR: {}\n", w);
  }

  const double e = r.energy_per_frame.total_j();
  fmt::print("\n-- energy per frame: {} ({:.3f} pJ/MAC, {:.2f} TOPS/W, {:.3g} MACs) --\n", si_energy(e), r.pj_per_mac(),
             r.tops_per_w(), r.macs_per_frame);
  for (auto& [comp, j] : r.energy_per_frame.by_component()) {
    std::string actions;
    for (auto& en : r.energy_per_frame.entries)
      if (en.component == comp && en.count > 0)
        actions += fmt::format("  {:.3g} x {} @ {}", en.count, en.action, si_energy(en.joules_per_action));
    fmt::print("  {:<14} {:>12} {:>6.1f}%{}\n", comp, si_energy(j), e > 0 ? 100 * j / e : 0, actions);
  }

  const auto& s = r.step;
  fmt::print("\n-- throughput (SystemC) --\n");
  fmt::print("latency per frame {}   {:.1f} frames/s   step {} ({} frame(s))\n", si_time(r.frame_latency_s),
             r.frames_per_s, si_time(s.total_s), p.frames_per_step);
  fmt::print("utilisation: modulators {:.1f}%  ADCs {:.1f}%  digital {:.1f}%  SRAM {:.1f}%  DRAM {:.1f}%  plane reloads {:.1f}%\n",
             100 * util(s.modulator_busy_s, s.total_s), 100 * util(s.adc_busy_s, s.total_s),
             100 * util(s.digital_busy_s, s.total_s), 100 * util(s.sram_busy_s, s.total_s),
             100 * util(s.dram_busy_s, s.total_s), 100 * util(s.reload_s, s.total_s));
  const double total_wall = r.wall_fp32_s + r.wall_hw_s + r.wall_systemc_s + r.wall_calibration_s;
  fmt::print("\nsimulator wall time: fp32 {:.2f} s, optical numerics {:.2f} s ({:.2f}x fp32), calibration {:.2f} s, "
             "SystemC {:.3f} s ({:.1f}% of the run)\n",
             r.wall_fp32_s, r.wall_hw_s, r.wall_fp32_s > 0 ? r.wall_hw_s / r.wall_fp32_s : 0, r.wall_calibration_s,
             r.wall_systemc_s, total_wall > 0 ? 100 * r.wall_systemc_s / total_wall : 0);
}

void write_report_json(const RunReport& r, const std::string& path) {
  using nlohmann::json;
  json j;
  j["oasim_report_version"] = 1;
  j["run"] = {{"model", r.options.model_path}, {"model_variant", r.model_variant}, {"hw", r.options.hw_path},
              {"hw_name", r.hw.name}, {"data", r.options.data_spec}, {"data_description", r.data_description},
              {"clips", r.clips}, {"frames_per_clip", r.frames_per_clip}, {"seed", r.options.seed}, {"data_seed", r.options.clip_seed()},
              {"skip_frames", r.options.skip_frames}};
  j["accuracy"] = {{"labelled", r.labelled}, {"scored", r.scored_frames}, {"fp32_top1", r.fp32_top1},
                   {"optical_top1", r.hw_top1}, {"agreement", r.agreement}, {"logit_cosine", r.logit_cosine},
                   {"mean_sqnr_db", r.mean_sqnr_db}};
  json sites = json::array();
  for (auto& s : r.sites) sites.push_back({{"name", s.name}, {"sqnr_db", s.sqnr_db}, {"adc_saturation", s.adc_saturation}});
  j["layers"] = sites;
  json energy = json::array();
  for (auto& e : r.energy_per_frame.entries)
    energy.push_back({{"component", e.component}, {"action", e.action}, {"count", e.count},
                      {"joules_per_action", e.joules_per_action}, {"joules", e.joules()}});
  j["energy_per_frame"] = {{"total_j", r.energy_per_frame.total_j()}, {"pj_per_mac", r.pj_per_mac()},
                           {"tops_per_w", r.tops_per_w()}, {"macs", r.macs_per_frame}, {"entries", energy}};
  const auto& s = r.step;
  j["throughput"] = {{"frame_latency_s", r.frame_latency_s}, {"frames_per_s", r.frames_per_s},
                     {"step_s", s.total_s}, {"frames_per_step", r.program.frames_per_step},
                     {"utilisation", {{"modulators", util(s.modulator_busy_s, s.total_s)},
                                      {"adcs", util(s.adc_busy_s, s.total_s)},
                                      {"digital", util(s.digital_busy_s, s.total_s)},
                                      {"sram", util(s.sram_busy_s, s.total_s)},
                                      {"dram", util(s.dram_busy_s, s.total_s)},
                                      {"planes", r.program.plane_utilisation}}}};
  const auto& p = r.program;
  j["mapping"] = {{"linears", p.linears.size()}, {"tiles", p.tiles.size()}, {"planes_used", p.planes_used},
                  {"planes_available", p.planes_available}, {"reloads_per_step", p.reloads_per_step},
                  {"state_bytes", p.buffers.state_bytes}, {"activation_bytes", p.buffers.activation_bytes},
                  {"sram_bytes", p.buffers.capacity_bytes}, {"spill_bytes_per_step", p.buffers.spill_bytes_per_step}};
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
  const double acc[] = {r.fp32_top1, r.hw_top1, r.agreement, r.logit_cosine, r.mean_sqnr_db};
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
  for (auto& e : r.energy_per_frame.entries) {
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
  const double thr[] = {r.frame_latency_s, r.frames_per_s, r.step.total_s};
  w.doubles("throughput/values", {3}, thr);
  w.strings("throughput/names", {"frame_latency_s", "frames_per_s", "step_s"});
  std::vector<double> starts, ends;
  std::vector<std::string> opnames;
  for (size_t i = 0; i < r.step.ops.size(); ++i) {
    starts.push_back(r.step.ops[i].start_s);
    ends.push_back(r.step.ops[i].end_s);
    opnames.push_back(r.program.ops[i].name);
  }
  w.strings("schedule/op", opnames);
  w.doubles("schedule/start_s", {hsize_t(starts.size())}, starts.data());
  w.doubles("schedule/end_s", {hsize_t(ends.size())}, ends.data());
}

}  // namespace oasim::run
