#include "sim/run/long_stream.hpp"

#include "sim/common/python_tool.hpp"

#include <fstream>
#include <nlohmann/json.hpp>

#include <fmt/format.h>

#include <limits>

#include <cmath>
#include <cstdlib>
#include <filesystem>

#include "sim/common/error.hpp"
#include "sim/common/h5_file.hpp"
#include "sim/common/progress.hpp"
#include "sim/hardware/optical_linear_executor.hpp"
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

}  // namespace

LongStreamResult run_long_stream(const RunOptions& opt, const config::HardwareConfig& hw, long frames, int window) {
  using namespace videomamba;
  if (opt.data_spec != "mfm:test" && opt.data_spec != "mfm:train")
    fail_input("--stream-frames needs Moving Fashion-MNIST data (--data mfm:test), got '{}'", opt.data_spec);
  VideoMambaModel model(load_model(opt.model_path));
  if (!model.config().is_stream()) fail_input("--stream-frames needs a videomamba-stream model");
  const auto transformed = quant::offline_model(model, opt.recipe);  // residual rotation, if any
  const VideoMambaModel& hw_model = transformed ? *transformed : model;
  hardware::OpticalLinearExecutor optical(hw_model.weights(), hw, opt.seed, opt.recipe);
  optical.set_measure_sqnr(false);
  if (!opt.fp32_only) calibrate(optical, hw_model, opt);

  const std::string split = opt.data_spec.substr(4);
  data::MfmClip stream = data::make_mfm_stream(split, opt.clip_seed(), 0, int(frames));
  StreamSession fp(model);
  ForwardOptions fo;
  fo.linear = &optical;
  StreamSession hws(hw_model, fo);

  LongStreamResult r;
  r.frames = frames;
  r.window = window;
  ProgressBar bar("stream frames", frames, opt.progress && stderr_is_terminal());
  for (long t = 0; t < frames; ++t) {
    Video frame = data::mfm_to_video(stream, int(t), 1, model.config().in_chans);
    r.labels.push_back(stream.labels[t]);
    r.fp32_pred.push_back(argmax(fp.feed(frame).row(0)));
    if (!opt.fp32_only) {
      r.optical_pred.push_back(argmax(hws.feed(frame).row(0)));
      r.state_rel_error.push_back(state_error(hws.state(), fp.state()));
    }
    bar.update(t + 1);
  }
  bar.finish();
  for (long w0 = 0; w0 < frames; w0 += window) {
    const long w1 = std::min(frames, w0 + window);
    double cf = 0, co = 0, se = 0;
    for (long t = w0; t < w1; ++t) {
      cf += r.fp32_pred[t] == r.labels[t];
      if (!opt.fp32_only) {
        co += r.optical_pred[t] == r.labels[t];
        se += r.state_rel_error[t];
      }
    }
    r.window_start.push_back(w0);
    r.window_fp32_top1.push_back(cf / double(w1 - w0));
    // --fp32-only: the optical path did not run; NaN (null in long_stream.json), never 0.
    const double nan = std::numeric_limits<double>::quiet_NaN();
    r.window_optical_top1.push_back(opt.fp32_only ? nan : co / double(w1 - w0));
    r.window_state_error.push_back(opt.fp32_only ? nan : se / double(w1 - w0));
  }
  return r;
}

void print_long_stream(const LongStreamResult& r) {
  fmt::print("\n-- long stream: {} frames, items switch every 20-60 frames (top-1 as a fraction, over all frames) --\n", r.frames);
  fmt::print("{:>14} {:>10} {:>10} {:>16}\n", "frames", "fp32", "optical", "state rel. error");
  for (size_t i = 0; i < r.window_start.size(); ++i)
    fmt::print("{:>14} {:>10.4f} {:>10} {:>16}\n",
               fmt::format("{}-{}", r.window_start[i], std::min<long>(r.frames, r.window_start[i] + r.window) - 1),
               r.window_fp32_top1[i],
               std::isnan(r.window_optical_top1[i]) ? "-" : fmt::format("{:.4f}", r.window_optical_top1[i]),
               std::isnan(r.window_state_error[i]) ? "-" : fmt::format("{:.3e}", r.window_state_error[i]));
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
  }
  {
    // A summary for sweeps and scripts: the first and last windows, and the state error at both ends.
    auto mean = [](const std::vector<double>& v, size_t a, size_t b) {
      double s = 0;
      for (size_t i = a; i < b; ++i) s += v[i];
      return b > a ? s / double(b - a) : std::numeric_limits<double>::quiet_NaN();  // null: not measured
    };
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const size_t nw = r.window_start.size(), nf = r.state_rel_error.size(), w = size_t(r.window);
    nlohmann::json j = {{"frames", r.frames},
                        {"window", r.window},
                        {"first_window_fp32_top1", nw ? r.window_fp32_top1.front() : nan},
                        {"first_window_optical_top1", nw ? r.window_optical_top1.front() : nan},
                        {"last_window_fp32_top1", nw ? r.window_fp32_top1.back() : nan},
                        {"last_window_optical_top1", nw ? r.window_optical_top1.back() : nan},
                        {"first_window_state_error", mean(r.state_rel_error, 0, std::min(w, nf))},
                        {"last_window_state_error", mean(r.state_rel_error, nf - std::min(w, nf), nf)}};
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
