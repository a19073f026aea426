#include "sim/sweep/sweep_results.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>

#include "sim/common/h5_file.hpp"

namespace oasim::sweep {
namespace {

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

double metric_of(const PointResult& r, const std::string& m) {
  auto it = r.metrics.find(m);
  return it == r.metrics.end() ? std::numeric_limits<double>::quiet_NaN() : it->second;
}

}  // namespace

std::vector<std::string> measured_metrics(const std::vector<std::string>& metrics, const std::vector<PointResult>& rows) {
  bool any_ok = false;
  for (auto& r : rows) any_ok |= r.ok;
  if (!any_ok) return metrics;  // nothing ran: no evidence either way, keep the requested columns
  std::vector<std::string> kept;
  for (auto& m : metrics) {
    bool measured = false;
    for (auto& r : rows) measured |= r.ok && !std::isnan(metric_of(r, m));
    if (measured) kept.push_back(m);
  }
  return kept;
}

std::vector<Objective> default_objectives(const std::vector<std::string>& metrics) {
  auto has = [&](const char* m) { return std::find(metrics.begin(), metrics.end(), m) != metrics.end(); };
  std::vector<Objective> o;
  if (has("optical_top1")) o.push_back({"optical_top1", true});
  if (has("energy_per_frame_uj")) o.push_back({"energy_per_frame_uj", false});
  if (has("frames_per_s")) o.push_back({"frames_per_s", true});
  // Area is the cost of speed: without it every front says "more lanes" (they cost no energy per frame).
  if (has("area_mm2")) o.push_back({"area_mm2", false});
  return o;
}

std::vector<bool> pareto_designs(const std::vector<PointResult>& rows, long designs,
                                 const std::vector<Objective>& objectives) {
  const size_t k = objectives.size();
  std::vector<std::vector<double>> sum(size_t(designs), std::vector<double>(k, 0.0));
  std::vector<long> n(size_t(designs), 0);
  std::vector<bool> failed(size_t(designs), false);
  for (auto& r : rows) {
    if (r.design < 0 || r.design >= designs) continue;
    if (!r.ok) {
      failed[size_t(r.design)] = true;
      continue;
    }
    for (size_t i = 0; i < k; ++i) sum[size_t(r.design)][i] += metric_of(r, objectives[i].metric);
    ++n[size_t(r.design)];
  }
  // Scores oriented so that larger is better in every objective.
  std::vector<std::vector<double>> score(static_cast<size_t>(designs), std::vector<double>(k));
  std::vector<bool> valid(static_cast<size_t>(designs));
  for (size_t d = 0; d < size_t(designs); ++d) {
    valid[d] = n[d] > 0 && !failed[d];
    for (size_t i = 0; i < k && valid[d]; ++i) {
      const double mean = sum[d][i] / double(n[d]);
      if (std::isnan(mean)) valid[d] = false;
      score[d][i] = objectives[i].maximise ? mean : -mean;
    }
  }
  std::vector<bool> front(size_t(designs), false);
  if (k == 0) return front;
  for (size_t d = 0; d < size_t(designs); ++d) {
    if (!valid[d]) continue;
    bool dominated = false;
    for (size_t e = 0; e < size_t(designs) && !dominated; ++e) {
      if (e == d || !valid[e]) continue;
      bool all_ge = true, one_gt = false;
      for (size_t i = 0; i < k; ++i) {
        all_ge &= score[e][i] >= score[d][i];
        one_gt |= score[e][i] > score[d][i];
      }
      dominated = all_ge && one_gt;
    }
    front[d] = !dominated;
  }
  return front;
}

ResultTable make_table(const SweepSpec& spec, const std::string& fingerprint, std::vector<PointResult> rows,
                       long designs) {
  ResultTable t;
  t.sweep_name = spec.name;
  t.sweep_file = spec.path;
  t.fingerprint = fingerprint;
  for (auto& a : spec.axes) t.axis_keys.push_back(a.key);
  std::sort(rows.begin(), rows.end(), [](auto& a, auto& b) { return a.index < b.index; });
  t.rows = std::move(rows);
  t.metrics = measured_metrics(spec.metrics, t.rows);
  if (spec.objectives.empty()) {
    t.objectives = default_objectives(t.metrics);
  } else {  // the sweep's own; one whose metric was not measured cannot rank anything and is left out
    for (auto& [m, up] : spec.objectives)
      if (std::find(t.metrics.begin(), t.metrics.end(), m) != t.metrics.end()) t.objectives.push_back({m, up});
  }
  if (!t.objectives.empty()) {
    auto front = pareto_designs(t.rows, designs, t.objectives);
    for (auto& r : t.rows) t.pareto.push_back(r.design >= 0 && r.design < designs && front[size_t(r.design)]);
  }
  return t;
}

void write_csv(const ResultTable& t, const std::string& path) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream f(tmp);
    f << "point,design,seed";
    for (auto& k : t.axis_keys) f << "," << csv_field(k);
    f << ",status";
    for (auto& m : t.metrics) f << "," << m;
    if (!t.pareto.empty()) f << ",pareto";
    f << ",error\n";
    for (size_t i = 0; i < t.rows.size(); ++i) {
      const auto& r = t.rows[i];
      f << r.index << "," << r.design << "," << r.seed;
      for (auto& k : t.axis_keys) {
        std::string v;
        for (auto& [key, val] : r.values)
          if (key == k) v = val;
        f << "," << csv_field(v);
      }
      f << "," << (r.ok ? "ok" : "failed");
      for (auto& m : t.metrics) {
        const double v = metric_of(r, m);
        f << ",";
        if (r.ok && !std::isnan(v)) f << fmt::format("{:.17g}", v);  // exact round trip
      }
      if (!t.pareto.empty()) f << "," << (t.pareto[i] ? 1 : 0);
      f << "," << csv_field(r.error) << "\n";
    }
    if (!f) throw std::runtime_error("cannot write " + tmp);
  }
  std::filesystem::rename(tmp, path);
}

void write_h5(const ResultTable& t, const std::string& path) {
  const std::string tmp = path + ".tmp";
  {
    h5::Writer w(tmp);
    w.attribute("oasim_format", std::string("oasim-sweep-results"));
    w.attribute("format_version", 1L);
    w.attribute("sweep_name", t.sweep_name);
    w.attribute("sweep_file", t.sweep_file);
    w.attribute("sweep_fingerprint", t.fingerprint);
    const hsize_t n = t.rows.size();
    std::vector<int64_t> index, design, seed, pareto;
    std::vector<std::string> status, error;
    for (size_t i = 0; i < t.rows.size(); ++i) {
      auto& r = t.rows[i];
      index.push_back(r.index);
      design.push_back(r.design);
      seed.push_back(int64_t(r.seed));
      status.push_back(r.ok ? "ok" : "failed");
      error.push_back(r.error);
      if (!t.pareto.empty()) pareto.push_back(t.pareto[i] ? 1 : 0);
    }
    w.ints("point", {n}, index.data());
    w.ints("design", {n}, design.data());
    w.ints("seed", {n}, seed.data());
    w.strings("status", status);
    w.strings("error", error);
    if (!pareto.empty()) w.ints("pareto", {n}, pareto.data());
    w.strings("axis_keys", t.axis_keys);
    for (size_t a = 0; a < t.axis_keys.size(); ++a) {
      std::vector<std::string> vals;
      for (auto& r : t.rows) vals.push_back(a < r.values.size() ? r.values[a].second : "");
      w.strings("axes/" + t.axis_keys[a], vals);
    }
    w.strings("metric_names", t.metrics);
    for (auto& m : t.metrics) {
      std::vector<double> vals;
      for (auto& r : t.rows) vals.push_back(r.ok ? metric_of(r, m) : std::numeric_limits<double>::quiet_NaN());
      w.doubles("metrics/" + m, {n}, vals.data());
    }
  }
  std::filesystem::rename(tmp, path);
}

}  // namespace oasim::sweep
