#include "sim/analysis/analyze.hpp"

#include "sim/common/python_tool.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <map>

#include "sim/common/error.hpp"
#include "sim/common/h5_file.hpp"
#include "sim/common/progress.hpp"
#include "workloads/data/clip_source.hpp"
#include "workloads/videomamba/model_file.hpp"
#include "workloads/videomamba/videomamba_model.hpp"

namespace oasim::analysis {
namespace {

using Clock = std::chrono::steady_clock;

int argmax(const Eigen::Ref<const RowVectorF>& r) {
  Eigen::Index i;
  r.maxCoeff(&i);
  return int(i);
}

}  // namespace

AnalyzeResult run_analysis(const AnalyzeOptions& opt) {
  using namespace videomamba;
  const auto t0 = Clock::now();
  AnalyzeResult r;
  r.options = opt;
  VideoMambaModel model(load_model(opt.model_path));
  const ModelConfig& mc = model.config();
  for (int l : opt.layers)
    if (l < 0 || l >= mc.depth) fail_input("--layers: layer {} does not exist (the model has {} blocks, 0..{})", l,
                                           mc.depth, mc.depth - 1);
  if (!(opt.outlier_k > 1)) fail_input("--outlier-k must be > 1 (got {})", opt.outlier_k);
  r.model_variant = variant_name(mc.variant);
  r.frames = opt.frames > 0 ? opt.frames : mc.num_frames;
  if (!mc.is_stream() && r.frames % mc.tubelet_size)
    fail_input("--frames {} is not a multiple of the model's tubelet size {}", r.frames, mc.tubelet_size);
  auto source = data::open_clip_source(opt.data_spec, mc, r.frames, opt.clips, opt.seed);
  r.data_description = source->describe();
  r.clips = source->size();
  const long n = mc.patches_per_frame();

  ActivationStatsOptions so;
  so.outlier_k = opt.outlier_k;
  so.layers = opt.layers;
  ActivationStats stats(so);
  ForwardOptions fo;
  fo.observer = &stats;
  fo.parallel_branches = false;  // the observer is locked anyway; one thread keeps the order fixed

  ProgressBar bar("analyze clips", r.clips, opt.progress && stderr_is_terminal());
  long step = 0;
  for (long i = 0; i < r.clips; ++i) {
    data::LabeledClip clip = source->get(i);
    if (mc.is_stream()) {
      // Frame by frame, so the carried state is seen after every frame: frame t's tokens are
      // [n patches, readout] (workloads/videomamba/videomamba_model.cpp, embed_stream).
      r.steps_per_clip = clip.video.frames;
      r.tokens_per_step = n + 1;
      r.readout_position = n;
      StreamState state = model.initial_state();
      for (int f = 0; f < clip.video.frames; ++f) {
        stats.begin_pass(PassLayout::single_step(n + 1, step));
        MatrixRM logits = model.forward_stream(clip.video.slice(f, 1), state, fo);
        if (!clip.labels.empty()) {
          const int label = clip.labels[std::min<size_t>(size_t(f), clip.labels.size() - 1)];
          r.correct += argmax(logits.row(0)) == label;
          ++r.scored;
        }
        r.step_clip.push_back(i);
        r.step_frame.push_back(f);
        ++step;
      }
    } else {
      // Official order: [cls, frame-major patches of T' time steps]; the cls token has no time step.
      const long steps = clip.video.frames / mc.tubelet_size;
      r.steps_per_clip = steps;
      PassLayout l;
      l.step_of_row.push_back(-1);
      for (long t = 0; t < steps; ++t)
        for (long p = 0; p < n; ++p) l.step_of_row.push_back(step + t);
      l.backward_segment = long(l.step_of_row.size());
      for (long t = 0; t < steps; ++t) {
        l.steps.push_back(step + t);
        r.step_clip.push_back(i);
        r.step_frame.push_back(t);
      }
      stats.begin_pass(std::move(l));
      MatrixRM logits = model.forward(clip.video, fo);
      if (!clip.labels.empty()) {
        r.correct += argmax(logits.row(0)) == clip.labels[0];
        ++r.scored;
      }
      step += steps;
    }
    bar.update(i + 1);
  }
  bar.finish();
  r.tensors = stats.finish();
  r.wall_s = std::chrono::duration<double>(Clock::now() - t0).count();
  return r;
}

void write_analysis_h5(const AnalyzeResult& r, const std::string& path) {
  h5::Writer w(path);
  w.attribute("oasim_format", std::string("oasim-analysis"));
  w.attribute("model", r.options.model_path);
  w.attribute("model_variant", r.model_variant);
  w.attribute("data", r.options.data_spec);
  w.attribute("data_description", r.data_description);
  w.attribute("clips", r.clips);
  w.attribute("frames", long(r.frames));
  w.attribute("steps_per_clip", r.steps_per_clip);
  w.attribute("tokens_per_step", r.tokens_per_step);
  w.attribute("readout_position", r.readout_position);
  w.attribute("outlier_k", r.options.outlier_k);
  w.attribute("seed", long(r.options.seed));
  w.attribute("fp32_top1", r.scored ? double(r.correct) / double(r.scored) : -1.0);
  w.attribute("hist_bins_per_octave", long(kHistBinsPerOctave));
  w.attribute("hist_min_exp", long(kHistMinExp));
  auto ints = [&](const std::string& name, const std::vector<long>& v) {
    std::vector<int64_t> x(v.begin(), v.end());
    w.ints(name, {hsize_t(x.size())}, x.data());
  };
  auto dbl = [&](const std::string& name, const std::vector<double>& v) { w.doubles(name, {hsize_t(v.size())}, v.data()); };
  auto flt = [&](const std::string& name, const std::vector<float>& v) { w.floats(name, {hsize_t(v.size())}, v.data()); };
  ints("step_clip", r.step_clip);
  ints("step_frame", r.step_frame);
  std::vector<double> edges(kHistBins + 1);
  for (int b = 0; b < kHistBins; ++b) edges[size_t(b)] = hist_bin_low(b);
  edges[kHistBins] = std::ldexp(1.0, kHistMinExp + kHistBins / kHistBinsPerOctave);
  dbl("hist_edges", edges);

  // One row per tensor: the summary table.
  std::vector<std::string> names, kinds, dirs;
  std::vector<long> layers, channels, samples, persistent;
  std::vector<double> mx, p99, p999, p9999, p99999, kurt, kurt_mean, sd_med, sd_p90, max_persist;
  for (const TensorStats& t : r.tensors) {
    names.push_back(t.name);
    kinds.push_back(t.kind);
    dirs.push_back(t.direction);
    layers.push_back(t.layer);
    channels.push_back(t.channels);
    samples.push_back(t.samples);
    mx.push_back(t.max);
    p99.push_back(t.p99);
    p999.push_back(t.p999);
    p9999.push_back(t.p9999);
    p99999.push_back(t.p99999);
    kurt.push_back(t.kurtosis);
    kurt_mean.push_back(t.kurtosis_mean);
    sd_med.push_back(t.static_dynamic_median);
    sd_p90.push_back(t.static_dynamic_p90);
    long np = 0;
    double pm = 0;
    for (double p : t.persistence) {
      np += p >= 0.5;
      pm = std::max(pm, p);
    }
    persistent.push_back(np);
    max_persist.push_back(pm);

    const std::string g = "tensors/" + t.name + "/";
    const hsize_t C = hsize_t(t.channels), S = hsize_t(t.step_index.size());
    flt(g + "channel_max", t.channel_max);
    flt(g + "channel_p99", t.channel_p99);
    flt(g + "channel_p999", t.channel_p999);
    dbl(g + "channel_mean", t.channel_mean);
    dbl(g + "channel_std", t.channel_std);
    dbl(g + "channel_kurtosis", t.channel_kurtosis);
    dbl(g + "persistence", t.persistence);
    flt(g + "outlier_peak_ratio", t.outlier_peak_ratio);
    ints(g + "step_index", t.step_index);
    w.floats(g + "step_max", {S, C}, t.step_max.data());
    flt(g + "step_median", t.step_median);
    ints(g + "step_outliers", t.step_outliers);
    flt(g + "token_max", t.token_max);
    std::vector<int64_t> h(t.hist.begin(), t.hist.end());
    w.ints(g + "hist", {hsize_t(h.size())}, h.data());
    ints(g + "rows_per_step", {t.rows_per_step});
  }
  w.strings("summary/name", names);
  w.strings("summary/kind", kinds);
  w.strings("summary/direction", dirs);
  ints("summary/layer", layers);
  ints("summary/channels", channels);
  ints("summary/samples", samples);
  dbl("summary/max", mx);
  dbl("summary/p99", p99);
  dbl("summary/p99_9", p999);
  dbl("summary/p99_99", p9999);
  dbl("summary/p99_999", p99999);
  dbl("summary/kurtosis", kurt);
  dbl("summary/kurtosis_channel_mean", kurt_mean);
  dbl("summary/static_dynamic_median", sd_med);
  dbl("summary/static_dynamic_p90", sd_p90);
  ints("summary/persistent_outliers", persistent);
  dbl("summary/max_persistence", max_persist);
}

void print_analysis_summary(const AnalyzeResult& r) {
  fmt::print("activation outliers: {} ({}), {} clips x {} frames = {} time steps, {} tensors, {:.1f} s\n",
             r.options.model_path, r.model_variant, r.clips, r.frames, r.step_clip.size(), r.tensors.size(), r.wall_s);
  fmt::print("data: {}; fp32 top-1 on these frames: {}\n", r.data_description,
             r.scored ? fmt::format("{:.3f} ({} scored)", double(r.correct) / double(r.scored), r.scored) : "-");
  fmt::print("outlier: channel max at a time step > {} x the median channel max of that step; persist = fraction of steps\n"
             "static/dyn: tensor max / token max (median, p90) = range a static per-tensor scale wastes on a typical token\n\n",
             r.options.outlier_k);
  fmt::print("{:<34} {:>5} {:>9} {:>9} {:>9} {:>7} {:>7} {:>5}  {:<34} {:>13}\n", "tensor", "ch", "max", "p99.9",
             "p99.999", "kurt", "kurt/ch", "n>50%", "top outlier channels (persist,peak)", "static/dyn");
  for (const TensorStats& t : r.tensors) {
    std::string top;
    auto oc = t.outlier_channels();
    long np = 0;
    for (double p : t.persistence) np += p >= 0.5;
    for (size_t k = 0; k < std::min<size_t>(3, oc.size()); ++k)
      top += fmt::format("{}{}({:.0f}%,{:.0f}x)", k ? " " : "", oc[k], 100 * t.persistence[size_t(oc[k])],
                         t.outlier_peak_ratio[size_t(oc[k])]);
    if (top.empty()) top = "-";
    std::string name = t.name;
    if (name.rfind("layers.", 0) == 0) name = name.substr(7);
    fmt::print("{:<34} {:>5} {:>9.3g} {:>9.3g} {:>9.3g} {:>7.1f} {:>7.1f} {:>5}  {:<34} {:>6.1f} {:>6.1f}\n", name,
               t.channels, t.max, t.p999, t.p99999, t.kurtosis, t.kurtosis_mean, np, top, t.static_dynamic_median,
               t.static_dynamic_p90);
  }
  // Per kind over layers: how common persistent outlier channels are.
  struct Agg {
    long tensors = 0, with_outliers = 0, persistent = 0, channels = 0;
    double max_ratio = 0, sd_med = 0, kurt = 0;
  };
  std::map<std::string, Agg> agg;
  for (const TensorStats& t : r.tensors) {
    Agg& a = agg[t.kind + (t.direction == "backward" ? " (bwd)" : "")];
    ++a.tensors;
    long np = 0;
    float pr = 0;
    for (size_t c = 0; c < t.persistence.size(); ++c) {
      np += t.persistence[c] >= 0.5;
      pr = std::max(pr, t.outlier_peak_ratio[c]);
    }
    a.with_outliers += np > 0;
    a.persistent += np;
    a.channels += t.channels;
    a.max_ratio = std::max(a.max_ratio, double(pr));
    a.sd_med += t.static_dynamic_median;
    a.kurt += std::isfinite(t.kurtosis) ? t.kurtosis : 0;
  }
  fmt::print("\nper kind (over layers): tensors with a channel that is an outlier in >= 50 % of steps\n");
  fmt::print("{:<20} {:>7} {:>12} {:>18} {:>14} {:>12} {:>10}\n", "kind", "tensors", "with >=50%", "such channels",
             "max peak/med", "static/dyn", "kurt mean");
  for (const auto& [k, a] : agg)
    fmt::print("{:<20} {:>7} {:>12} {:>9} ({:>5.2f}%) {:>14.1f} {:>12.1f} {:>10.1f}\n", k, a.tensors, a.with_outliers,
               a.persistent, 100.0 * double(a.persistent) / double(std::max(1L, a.channels)), a.max_ratio,
               a.sd_med / double(a.tensors), a.kurt / double(a.tensors));
}

bool plot_analysis(const std::string& h5path, const std::string& out_dir) {
  const PythonRun plot = run_python_tool("workloads/python/plot_outliers.py", {h5path, "--out", out_dir});
  if (!plot.ok()) {
    fmt::print(stderr, "oasim: warning: the plots were not made ({}); the data is in {}\n", plot.last_error, h5path);
    return false;
  }
  return true;
}

}  // namespace oasim::analysis
