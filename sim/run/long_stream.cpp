#include "sim/run/long_stream.hpp"

#include "sim/common/python_tool.hpp"

#include <fstream>
#include <nlohmann/json.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <limits>

#include <cmath>
#include <cstdlib>
#include <filesystem>

#include "sim/common/error.hpp"
#include "sim/common/h5_file.hpp"
#include "sim/common/progress.hpp"
#include "sim/hardware/optical_linear_executor.hpp"
#include "models/components/drift.hpp"
#include "models/energy/energy_model.hpp"
#include "workloads/data/moving_fmnist.hpp"
#include "workloads/quant/residual_rotation.hpp"
#include "workloads/videomamba/model_file.hpp"
#include "workloads/videomamba/stream_session.hpp"

namespace oasim::run {
namespace {

int argmax(const Eigen::Ref<const RowVectorF>& r) {
  Eigen::Index i;
  r.maxCoeff(&i);
  return int(i);
}

double state_error(const videomamba::StreamState& a, const videomamba::StreamState& ref) {
  double num = 0, den = 0;
  for (size_t l = 0; l < ref.layers.size(); ++l) {
    num += (a.layers[l].ssm - ref.layers[l].ssm).squaredNorm();
    den += ref.layers[l].ssm.squaredNorm();
  }
  return den > 0 ? std::sqrt(num / den) : 0;
}

// The controller's policy (controller.recalibrate_*): on its schedule, or when the monitors see a gain move.
bool recalibration_due(const config::ControllerConfig& c, long t, long last, double deviation) {
  if (c.recalibrate_every_frames > 0 && t - last >= c.recalibrate_every_frames) return true;
  return c.recalibrate_threshold_pct > 0 && deviation * 100.0 > c.recalibrate_threshold_pct;
}

// Mean of v[a, b); NaN when empty (null in long_stream.json: not measured, never 0).
double mean_of(const std::vector<double>& v, size_t a, size_t b) {
  double s = 0;
  for (size_t i = a; i < b; ++i) s += v[i];
  return b > a ? s / double(b - a) : std::numeric_limits<double>::quiet_NaN();
}
// 1 where the prediction is the label, else 0: top-1 is their mean.
std::vector<double> hits(const std::vector<int>& pred, const std::vector<int>& labels) {
  std::vector<double> h(pred.size());
  for (size_t i = 0; i < pred.size(); ++i) h[i] = pred[i] == labels[i];
  return h;
}
double top1_of(const std::vector<int>& pred, const std::vector<int>& labels) {
  return mean_of(hits(pred, labels), 0, pred.size());
}
// Means over consecutive windows of `window` frames (the last may be shorter).
std::vector<double> window_means(const std::vector<double>& x, int window) {
  std::vector<double> v;
  for (size_t w0 = 0; w0 < x.size(); w0 += size_t(window)) v.push_back(mean_of(x, w0, std::min(x.size(), w0 + window)));
  return v;
}
double largest(const std::vector<double>& v) { return v.empty() ? 0 : *std::max_element(v.begin(), v.end()); }

}  // namespace

LongStreamResult run_long_stream(const RunOptions& opt, const config::HardwareConfig& hw, long frames, int window,
                                 const costing::ProgramCost& cost) {
  using namespace videomamba;
  if (opt.data_spec != "mfm:test" && opt.data_spec != "mfm:train")
    fail_input("--stream-frames needs Moving Fashion-MNIST data (--data mfm:test), got '{}'", opt.data_spec);
  VideoMambaModel model(load_model(opt.model_path));
  if (!model.config().is_stream()) fail_input("--stream-frames needs a videomamba-stream model");
  const auto transformed = quant::offline_model(model, opt.recipe);  // residual rotation, if any
  const VideoMambaModel& hw_model = transformed ? *transformed : model;
  hw::DeviceDrift drift(hw, opt.seed);
  const auto& ctl = hw.controller;
  const bool drifting = drift.active() && !opt.fp32_only;
  const bool compare = drifting && (ctl.recalibrate_every_frames > 0 || ctl.recalibrate_threshold_pct > 0);
  // The hardware as configured, and (compare) its twin that never recalibrates: same noise, same drift.
  auto make_executor = [&] {
    auto e = std::make_unique<hardware::OpticalLinearExecutor>(hw_model.weights(), hw, opt.seed, opt.recipe);
    e->set_measure_sqnr(false);
    if (!opt.fp32_only) calibrate(*e, hw_model, opt);
    return e;
  };
  auto optical = make_executor();
  std::unique_ptr<hardware::OpticalLinearExecutor> twin;
  if (compare) twin = make_executor();
  // Separate drift processes for the twin: each process must be queried in time order by one owner.
  hw::DeviceDrift twin_drift(hw, opt.seed);

  const std::string split = opt.data_spec.substr(4);
  data::MfmClip stream = data::make_mfm_stream(split, opt.clip_seed(), 0, int(frames));
  StreamSession fp(model);
  ForwardOptions fo, fo_twin;
  fo.linear = optical.get();
  fo_twin.linear = twin.get();
  StreamSession hws(hw_model, fo);
  std::unique_ptr<StreamSession> twin_session;
  if (compare) twin_session = std::make_unique<StreamSession>(hw_model, fo_twin);

  LongStreamResult r;
  r.frames = frames;
  r.window = window;
  r.fps = opt.fps;
  DriftOutcome& d = r.drift;
  d.active = drifting;
  d.compared = compare;
  long last_recalibration = 0;
  ProgressBar bar("stream frames", frames, opt.progress && stderr_is_terminal());
  for (long t = 0; t < frames; ++t) {
    Video frame = data::mfm_to_video(stream, int(t), 1, model.config().in_chans);
    r.labels.push_back(stream.labels[t]);
    r.fp32_pred.push_back(argmax(fp.feed(frame).row(0)));
    if (opt.fp32_only) {
      bar.update(t + 1);
      continue;
    }
    if (drifting) {
      const double now = double(t) / opt.fps;  // frame t arrives at t / fps
      optical->set_drift(drift, now, hw.structure.optical_cores);
      if (t > 0 && recalibration_due(ctl, t, last_recalibration, optical->max_gain_deviation())) {
        optical->recalibrate_gains();
        d.recalibrated_at.push_back(t);
        last_recalibration = t;
      }
      if (compare) twin->set_drift(twin_drift, now, hw.structure.optical_cores);
      // Max drift vs calibration time: what the twin (never recalibrated) sees.
      d.max_gain_drift.push_back(compare ? twin->max_gain_deviation() : optical->max_gain_deviation());
    }
    int pred = 0, twin_pred = 0;
#pragma omp parallel sections num_threads(2) if (compare)
    {
#pragma omp section
      pred = argmax(hws.feed(frame).row(0));
#pragma omp section
      if (compare) twin_pred = argmax(twin_session->feed(frame).row(0));
    }
    r.optical_pred.push_back(pred);
    r.state_rel_error.push_back(state_error(hws.state(), fp.state()));
    if (compare) {
      d.norecal_pred.push_back(twin_pred);
      d.norecal_state_error.push_back(state_error(twin_session->state(), fp.state()));
    }
    bar.update(t + 1);
  }
  bar.finish();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  r.window_fp32_top1 = window_means(hits(r.fp32_pred, r.labels), window);
  for (long w0 = 0; w0 < frames; w0 += window) r.window_start.push_back(w0);
  if (opt.fp32_only) {
    // --fp32-only: the optical path did not run; NaN (null in long_stream.json), never 0.
    r.window_optical_top1.assign(r.window_start.size(), nan);
    r.window_state_error.assign(r.window_start.size(), nan);
  } else {
    r.window_optical_top1 = window_means(hits(r.optical_pred, r.labels), window);
    r.window_state_error = window_means(r.state_rel_error, window);
  }
  if (compare) {
    d.window_norecal_top1 = window_means(hits(d.norecal_pred, r.labels), window);
    d.window_norecal_state_error = window_means(d.norecal_state_error, window);
  }
  if (drifting) {
    // Each recalibration runs recalibration_frames frames through the optical path: their compute time, and
    // their marginal energy (dynamic + the gated static power while busy; the always-on static power is
    // paid by the frame interval anyway).
    const double busy = ctl.recalibration_frames * cost.frame_latency_s;
    const double per_frame_j = cost.at_full_rate.total_j() - energy::ungated_static_power_w(hw) * cost.frame_latency_s;
    d.recalibration_busy_s = busy * double(d.recalibrated_at.size());
    d.recalibration_energy_j = ctl.recalibration_frames * per_frame_j * double(d.recalibrated_at.size());
    d.fits_in_frame_slack = busy <= 1.0 / opt.fps - cost.frame_latency_s;
  }
  return r;
}

namespace {
std::string fraction_or_dash(double v, const char* spec) {
  return std::isnan(v) ? "-" : fmt::format(fmt::runtime(spec), v);
}
}  // namespace

void print_long_stream(const LongStreamResult& r) {
  const DriftOutcome& d = r.drift;
  fmt::print("\n-- long stream: {} frames ({:.1f} s at {:g} fps), items switch every 20-60 frames (top-1 as a fraction) --\n",
             r.frames, double(r.frames) / r.fps, r.fps);
  fmt::print("{:>14} {:>10} {:>10} {:>16}", "frames", "fp32", "optical", "state rel. error");
  if (d.compared) fmt::print(" {:>18} {:>18}", "optical no-recal", "state err no-recal");
  fmt::print("\n");
  for (size_t i = 0; i < r.window_start.size(); ++i) {
    fmt::print("{:>14} {:>10.4f} {:>10} {:>16}",
               fmt::format("{}-{}", r.window_start[i], std::min<long>(r.frames, r.window_start[i] + r.window) - 1),
               r.window_fp32_top1[i], fraction_or_dash(r.window_optical_top1[i], "{:.4f}"),
               fraction_or_dash(r.window_state_error[i], "{:.3e}"));
    if (d.compared)
      fmt::print(" {:>18} {:>18}", fmt::format("{:.4f}", d.window_norecal_top1[i]),
                 fmt::format("{:.3e}", d.window_norecal_state_error[i]));
    fmt::print("\n");
  }
  if (!d.active) return;
  const double worst = largest(d.max_gain_drift);
  fmt::print("drift: largest path-gain change {:.2f} % of calibration; {} recalibrations", 100 * worst,
             d.recalibrated_at.size());
  if (!d.recalibrated_at.empty())
    fmt::print(" (busy {:.3g} s in all, {:.4f} % of the stream; {:.3g} uJ per stream frame{})",
               d.recalibration_busy_s, 100 * d.recalibration_busy_s * r.fps / double(r.frames),
               1e6 * d.recalibration_energy_j / double(r.frames),
               d.fits_in_frame_slack ? "" : "; one recalibration does NOT fit between two camera frames: frames queue");
  fmt::print("\n");
  fmt::print("top-1 over the stream: fp32 {:.4f}, optical {:.4f}", top1_of(r.fp32_pred, r.labels),
             top1_of(r.optical_pred, r.labels));
  if (d.compared) fmt::print(", optical never recalibrated {:.4f}", top1_of(d.norecal_pred, r.labels));
  fmt::print("\n");
}

void write_long_stream(const LongStreamResult& r, const std::string& out_dir) {
  namespace fs = std::filesystem;
  fs::create_directories(out_dir);
  const std::string h5path = (fs::path(out_dir) / "long_stream.h5").string();
  {
    h5::Writer w(h5path);
    w.attribute("oasim_format", std::string("oasim-long-stream"));
    w.attribute("window", long(r.window));
    auto ints = [&](const char* name, const std::vector<int>& v) {
      std::vector<int64_t> x(v.begin(), v.end());
      w.ints(name, {hsize_t(x.size())}, x.data());
    };
    ints("labels", r.labels);
    ints("fp32_pred", r.fp32_pred);
    ints("optical_pred", r.optical_pred);
    w.doubles("state_rel_error", {hsize_t(r.state_rel_error.size())}, r.state_rel_error.data());
    std::vector<int64_t> ws(r.window_start.begin(), r.window_start.end());
    w.ints("window_start", {hsize_t(ws.size())}, ws.data());
    w.doubles("window_fp32_top1", {hsize_t(ws.size())}, r.window_fp32_top1.data());
    w.doubles("window_optical_top1", {hsize_t(ws.size())}, r.window_optical_top1.data());
    w.attribute("fps", r.fps);
    const DriftOutcome& d = r.drift;
    if (d.active) {
      w.doubles("max_gain_drift", {hsize_t(d.max_gain_drift.size())}, d.max_gain_drift.data());
      std::vector<int64_t> at(d.recalibrated_at.begin(), d.recalibrated_at.end());
      w.ints("recalibrated_at", {hsize_t(at.size())}, at.data());
    }
    if (d.compared) {
      ints("norecal_pred", d.norecal_pred);
      w.doubles("norecal_state_error", {hsize_t(d.norecal_state_error.size())}, d.norecal_state_error.data());
      w.doubles("window_norecal_top1", {hsize_t(ws.size())}, d.window_norecal_top1.data());
    }
  }
  {
    // A summary for sweeps and scripts: the first and last windows, and the state error at both ends.
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const size_t nw = r.window_start.size(), nf = r.state_rel_error.size(), w = size_t(r.window);
    nlohmann::json j = {{"frames", r.frames},
                        {"window", r.window},
                        {"first_window_fp32_top1", nw ? r.window_fp32_top1.front() : nan},
                        {"first_window_optical_top1", nw ? r.window_optical_top1.front() : nan},
                        {"last_window_fp32_top1", nw ? r.window_fp32_top1.back() : nan},
                        {"last_window_optical_top1", nw ? r.window_optical_top1.back() : nan},
                        {"first_window_state_error", mean_of(r.state_rel_error, 0, std::min(w, nf))},
                        {"last_window_state_error", mean_of(r.state_rel_error, nf - std::min(w, nf), nf)},
                        {"fps", r.fps},
                        {"fp32_top1", top1_of(r.fp32_pred, r.labels)},
                        {"optical_top1", top1_of(r.optical_pred, r.labels)},
                        {"mean_state_error", mean_of(r.state_rel_error, 0, nf)}};
    const DriftOutcome& d = r.drift;
    if (d.active) {
      j["drift"] = {{"max_gain_drift", largest(d.max_gain_drift)},
                    {"recalibrations", d.recalibrated_at.size()},
                    {"recalibration_busy_s", d.recalibration_busy_s},
                    {"recalibration_energy_per_frame_j", d.recalibration_energy_j / double(std::max(1L, r.frames))},
                    {"recalibration_fits_in_frame_slack", d.fits_in_frame_slack}};
      if (d.compared) {
        j["drift"]["norecal_top1"] = top1_of(d.norecal_pred, r.labels);
        j["drift"]["norecal_mean_state_error"] = mean_of(d.norecal_state_error, 0, d.norecal_state_error.size());
        j["drift"]["norecal_last_window_top1"] = d.window_norecal_top1.empty() ? nan : d.window_norecal_top1.back();
      }
    }
    std::ofstream((fs::path(out_dir) / "long_stream.json").string()) << j.dump(1) << "\n";
  }
  if (std::getenv("OASIM_NO_PLOTS")) return;  // sweeps: thousands of points need no PNG each
  const std::string png = (fs::path(out_dir) / "long_stream.png").string();
  const PythonRun plot = run_python_tool("workloads/python/plot_long_stream.py", {h5path, png});
  if (!plot.ok())
    fmt::print(stderr, "oasim: warning: the plot was not made ({}); the data is in {}\n", plot.last_error, h5path);
  else
    fmt::print("wrote {} and {}\n", h5path, png);
}

}  // namespace oasim::run
