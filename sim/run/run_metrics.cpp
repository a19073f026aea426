#include "sim/run/run_metrics.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>

namespace oasim::run {
namespace {

double number_at(const nlohmann::json& j, const std::vector<const char*>& path) {
  const nlohmann::json* cur = &j;
  for (const char* k : path) {
    if (!cur->is_object() || !cur->contains(k)) throw std::runtime_error(std::string("no '") + k + "'");
    cur = &(*cur)[k];
  }
  if (cur->is_null()) return std::numeric_limits<double>::quiet_NaN();  // not measured (e.g. --fp32-only)
  if (!cur->is_number()) throw std::runtime_error("not a number");
  return cur->get<double>();
}

}  // namespace

const std::vector<MetricSpec>& run_metrics() {
  static const std::vector<MetricSpec> table = {
      {"fp32_top1", "top-1 accuracy of the fp32 model", "report", {"accuracy", "fp32_top1"}, 1},
      {"optical_top1", "top-1 accuracy on the simulated optical hardware", "report", {"accuracy", "optical_top1"}, 1},
      {"agreement", "fraction of predictions equal to fp32's", "report", {"accuracy", "agreement"}, 1},
      {"logit_cosine", "mean cosine of optical and fp32 logits", "report", {"accuracy", "logit_cosine"}, 1},
      {"mean_sqnr_db", "mean per-layer SQNR (dB)", "report", {"accuracy", "mean_sqnr_db"}, 1},
      {"min_sqnr_db", "lowest per-layer SQNR (dB)", "report", {}, 1},
      {"energy_per_frame_uj", "energy per frame (uJ)", "report", {"energy_per_frame", "total_j"}, 1e6},
      {"dynamic_energy_per_frame_uj", "dynamic energy per frame (uJ): the work, without static power",
       "report", {"energy_per_frame", "dynamic_j"}, 1e6},
      {"full_rate_energy_per_frame_uj", "energy per frame at full throughput (uJ)", "report",
       {"energy_per_frame", "at_full_rate", "total_j"}, 1e6},
      {"pj_per_mac", "energy per multiply-accumulate (pJ)", "report", {"energy_per_frame", "pj_per_mac"}, 1},
      {"tops_per_w", "TOPS/W", "report", {"energy_per_frame", "tops_per_w"}, 1},
      {"average_power_w", "average power at the input frame rate (W)", "report",
       {"energy_per_frame", "average_power_w"}, 1},
      {"area_mm2", "total area of the hardware components (mm2)", "report",
       {"energy_per_frame", "area_mm2", "total"}, 1},
      {"frame_latency_us", "latency per frame (us)", "report", {"throughput", "frame_latency_s"}, 1e6},
      {"frames_per_s", "frames per second", "report", {"throughput", "frames_per_s"}, 1},
      {"planes_used", "weight planes used", "report", {"mapping", "planes_used"}, 1},
      {"reloads_per_step", "plane reloads per step", "report", {"mapping", "reloads_per_step"}, 1},
      {"spill_kib_per_step", "SRAM spill to DRAM per step (KiB)", "report", {"mapping", "spill_bytes_per_step"},
       1.0 / 1024},
      // With --stream-frames: the long stream's first and last accuracy windows and state error.
      {"stream_first_fp32_top1", "long stream: fp32 top-1 of the first window", "long_stream",
       {"first_window_fp32_top1"}, 1},
      {"stream_first_optical_top1", "long stream: optical top-1 of the first window", "long_stream",
       {"first_window_optical_top1"}, 1},
      {"stream_last_fp32_top1", "long stream: fp32 top-1 of the last window", "long_stream",
       {"last_window_fp32_top1"}, 1},
      {"stream_last_optical_top1", "long stream: optical top-1 of the last window", "long_stream",
       {"last_window_optical_top1"}, 1},
      {"stream_first_state_error", "long stream: state error vs fp32 over the first window", "long_stream",
       {"first_window_state_error"}, 1},
      {"stream_last_state_error", "long stream: state error vs fp32 over the last window", "long_stream",
       {"last_window_state_error"}, 1},
  };
  return table;
}

std::vector<std::string> run_metric_names() {
  std::vector<std::string> n;
  for (auto& m : run_metrics()) n.push_back(m.name);
  return n;
}

std::map<std::string, double> metrics_from_reports(const nlohmann::json& report, const nlohmann::json* long_stream) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  std::map<std::string, double> all;
  for (auto& m : run_metrics()) {
    const std::string name = m.name;
    if (name == "min_sqnr_db") {  // the lowest of the per-layer list
      double min_sqnr = nan;
      for (auto& l : report.at("layers"))
        if (std::isnan(min_sqnr) || l.at("sqnr_db").get<double>() < min_sqnr) min_sqnr = l.at("sqnr_db").get<double>();
      all[name] = min_sqnr;
    } else if (std::string(m.file) == "long_stream") {
      all[name] = long_stream ? number_at(*long_stream, m.path) * m.scale : nan;
    } else {
      all[name] = number_at(report, m.path) * m.scale;
    }
  }
  return all;
}

void add_flat_metrics(nlohmann::json& report) {
  nlohmann::json flat = nlohmann::json::object();
  for (auto& [k, v] : metrics_from_reports(report, nullptr))
    if (!std::isnan(v)) flat[k] = v;
    else flat[k] = nullptr;
  report["metrics"] = flat;
}

}  // namespace oasim::run
