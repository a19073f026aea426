#include "sim/run/video_stream.hpp"

#include "sim/run/report_writer.hpp"
#include "sim/run/utilisation.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <fstream>

#include "sim/common/error.hpp"
#include "sim/common/progress.hpp"
#include "sim/hardware/optical_linear_executor.hpp"
#include "sim/systemc/timing_engine.hpp"
#include "workloads/compiler/compiler.hpp"
#include "workloads/data/video_decoder.hpp"
#include "workloads/data/video_views.hpp"
#include "workloads/quant/residual_rotation.hpp"
#include "workloads/videomamba/model_file.hpp"
#include "workloads/videomamba/stream_session.hpp"

namespace oasim::run {

data::SpatialViews stream_view(const videomamba::ModelConfig& mc) {
  data::SpatialViews s;
  s.short_side = mc.img_size;
  s.crop = mc.img_size;
  s.crops = 1;
  if (mc.in_chans == 1) {
    s.mean = {0.2860f, 0.2860f, 0.2860f};  // workloads/data/moving_fmnist.cpp kMean/kStd
    s.std = {0.3530f, 0.3530f, 0.3530f};
  }
  return s;
}

namespace {

using Clock = std::chrono::steady_clock;

std::pair<int, float> best(const Eigen::Ref<const RowVectorF>& logits) {
  Eigen::Index i;
  const float mx = logits.maxCoeff(&i);
  const double z = (logits.array() - mx).exp().sum();
  return {int(i), float(1.0 / z)};
}

}  // namespace

std::vector<FrameTiming> schedule_frames(const std::vector<double>& arrivals, double service_s) {
  std::vector<FrameTiming> out(arrivals.size());
  double busy_until = 0;
  for (size_t i = 0; i < arrivals.size(); ++i) {
    FrameTiming& f = out[i];
    f.arrival_s = arrivals[i];
    f.start_s = std::max(arrivals[i], i ? busy_until : arrivals[i]);
    f.finish_s = f.start_s + service_s;
    busy_until = f.finish_s;
    // Earlier frames not yet started when this one arrives are still in the input buffer.
    int waiting = 0;
    for (size_t j = i; j-- > 0;) {
      if (out[j].start_s > arrivals[i]) ++waiting;
      else break;
    }
    f.queued = waiting;
  }
  return out;
}

VideoStreamResult run_video_stream(const VideoStreamOptions& opt, const config::HardwareConfig& hw) {
  using namespace videomamba;
  const auto t_start = Clock::now();
  VideoStreamResult r;
  r.video = opt.video;
  const data::VideoInfo info = data::probe_video(opt.video);  // bad files fail here, before the model loads
  VideoMambaModel model(load_model(opt.model_path));
  const ModelConfig& mc = model.config();
  if (!mc.is_stream()) fail_input("--video --stream needs a videomamba-stream model; '{}' is a clip model", opt.model_path);
  r.model_variant = variant_name(mc.variant);
  r.class_names = model.weights().class_names;
  r.width = info.width;
  r.height = info.height;
  r.fps = info.fps;
  const data::SpatialViews view = stream_view(mc);
  r.frame_input_bytes = long(mc.in_chans) * mc.img_size * mc.img_size * long(sizeof(float));

  // Hardware time per frame: data-independent, one SystemC step of the one-frame program.
  r.program = compiler::compile(mc, hw, 1, &opt.recipe);
  const compiler::Program& program = r.program;
  r.buffers = program.buffers;
  // Energy is priced at the video's own frame rate (static power over each frame interval).
  r.cost = costing::cost_program(program, hw, r.fps > 0 ? r.fps : 30.0);
  r.frame_compute_s = r.cost.step.total_s;

  const auto transformed = quant::offline_model(model, opt.recipe);  // residual rotation, if any
  const VideoMambaModel& hw_model = transformed ? *transformed : model;
  hardware::OpticalLinearExecutor optical(hw_model.weights(), hw, opt.seed, opt.recipe);
  optical.set_measure_sqnr(false);
  if (!opt.fp32_only && (optical.needs_stats() || optical.needs_dac_calibration() || optical.needs_adc_calibration())) {
    // Static ranges from the video's first frames: a deployed stream has nothing else to calibrate on.
    data::VideoReader calib_reader(opt.video);
    data::RgbFrame f;
    std::vector<Video> frames;
    while (int(frames.size()) < opt.calib_frames && calib_reader.next(f)) frames.push_back(data::single_view(f, view, mc.in_chans));
    Video clip(mc.in_chans, int(frames.size()), mc.img_size, mc.img_size);
    for (int t = 0; t < clip.frames; ++t)
      for (int c = 0; c < mc.in_chans; ++c)
        std::copy_n(&frames[t].at(c, 0, 0, 0), size_t(mc.img_size) * mc.img_size, &clip.at(c, t, 0, 0));
    ForwardOptions fo;
    fo.linear = &optical;
    if (optical.needs_stats()) {  // recipe statistics first: they change the plans the scales belong to
      optical.set_mode(hardware::OpticalLinearExecutor::Mode::CollectStats);
      hw_model.forward(clip, fo);
      optical.finish_stats();
    }
    if (optical.needs_dac_calibration()) {
      optical.set_mode(hardware::OpticalLinearExecutor::Mode::CollectDac);
      hw_model.forward(clip, fo);
      optical.finish_dac_calibration();
    }
    if (optical.needs_adc_calibration()) {
      optical.set_mode(hardware::OpticalLinearExecutor::Mode::CollectAdc);
      hw_model.forward(clip, fo);
      optical.finish_adc_calibration();
    }
    optical.set_mode(hardware::OpticalLinearExecutor::Mode::Run);
  }

  StreamSession fp(model);
  ForwardOptions fo;
  fo.linear = &optical;
  StreamSession hws(hw_model, fo);
  data::VideoReader reader(opt.video);
  const long limit = opt.max_frames > 0 ? std::min(opt.max_frames, info.frame_count) : info.frame_count;
  ProgressBar bar("frames", limit, opt.progress && stderr_is_terminal());
  data::RgbFrame f;
  long agree = 0;
  double first_pts = 0;
  std::vector<double> arrivals;
  while (long(r.frames.size()) < limit && reader.next(f)) {
    VideoStreamFrame out;
    out.index = long(r.frames.size());
    if (out.index == 0) first_pts = f.pts_s;
    out.pts_s = f.pts_s - first_pts;
    arrivals.push_back(std::max(out.pts_s, arrivals.empty() ? 0.0 : arrivals.back()));
    const Video v = data::single_view(f, view, mc.in_chans);
    std::tie(out.fp32_pred, out.fp32_prob) = best(fp.feed(v).row(0));
    if (!opt.fp32_only) {
      std::tie(out.optical_pred, out.optical_prob) = best(hws.feed(v).row(0));
      agree += out.optical_pred == out.fp32_pred;
    }
    r.frames.push_back(out);
    bar.update(long(r.frames.size()));
  }
  bar.finish();
  if (r.frames.empty()) fail_input("video '{}': no decodable frame", opt.video);

  // The video's frame interval: the median timestamp step (robust to a missing or doubled timestamp).
  std::vector<double> steps;
  for (size_t i = 1; i < arrivals.size(); ++i) steps.push_back(arrivals[i] - arrivals[i - 1]);
  std::sort(steps.begin(), steps.end());
  r.frame_interval_s = !steps.empty() && steps[steps.size() / 2] > 0 ? steps[steps.size() / 2] : (r.fps > 0 ? 1 / r.fps : 0);
  if (r.frame_interval_s > 0 && r.fps <= 0) r.fps = 1 / r.frame_interval_s;

  const auto timings = schedule_frames(arrivals, r.frame_compute_s);
  double sum = 0;
  r.real_time = true;
  for (size_t i = 0; i < timings.size(); ++i) {
    r.frames[i].timing = timings[i];
    sum += timings[i].latency_s();
    r.max_latency_s = std::max(r.max_latency_s, timings[i].latency_s());
    r.max_queued = std::max(r.max_queued, timings[i].queued);
    if (i + 1 < timings.size() && timings[i].finish_s > arrivals[i + 1]) r.real_time = false;
  }
  r.mean_latency_s = sum / double(timings.size());
  r.agreement = opt.fp32_only ? 0 : double(agree) / double(r.frames.size());
  r.wall_s = std::chrono::duration<double>(Clock::now() - t_start).count();
  return r;
}

void print_video_stream(const VideoStreamResult& r, bool per_frame) {
  auto name = [&](int i) { return i >= 0 && i < int(r.class_names.size()) ? r.class_names[i] : fmt::format("class {}", i); };
  fmt::print("video {}: {}x{}, {:.3f} frames/s (interval {:.2f} ms), {} frames; model {}\n", r.video, r.width,
             r.height, r.fps, r.frame_interval_s * 1e3, r.frames.size(), r.model_variant);
  if (per_frame) fmt::print("{:>6} {:>9} {:>28} {:>28} {:>11} {:>7}\n", "frame", "t (s)", "fp32", "optical", "latency ms", "queued");
  for (size_t i = 0; per_frame && i < r.frames.size(); ++i) {
    const VideoStreamFrame& f = r.frames[i];
    fmt::print("{:>6} {:>9.3f} {:>28} {:>28} {:>11.3f} {:>7}\n", f.index, f.pts_s,
               fmt::format("{} ({:.2f})", name(f.fp32_pred), f.fp32_prob),
               f.optical_pred < 0 ? std::string("-") : fmt::format("{} ({:.2f})", name(f.optical_pred), f.optical_prob),
               f.timing.latency_s() * 1e3, f.timing.queued);
  }
  print_cost(r.cost);
  fmt::print("\nhardware: {:.3f} ms per frame vs a {:.2f} ms frame interval -> {} ({:.1f}x {})\n", r.frame_compute_s * 1e3,
             r.frame_interval_s * 1e3, r.real_time ? "real time" : "NOT real time",
             r.frame_compute_s > 0 ? r.frame_interval_s / r.frame_compute_s : 0,
             r.real_time ? "headroom" : "of the needed speed");
  const auto use = utilisation(r.cost.step);  // the keys of report.json's throughput.utilisation
  fmt::print("{}\n{}\n", utilisation_line(use), bound_by_line(use));
  fmt::print("latency (arrival to result): mean {:.3f} ms, max {:.3f} ms\n", r.mean_latency_s * 1e3, r.max_latency_s * 1e3);
  fmt::print("input buffer: at most {} frame(s) waiting ({:.1f} KiB at {} B a frame)\n", r.max_queued,
             r.max_queued * r.frame_input_bytes / 1024.0, r.frame_input_bytes);
  fmt::print("on-chip buffers: state {:.1f} KiB + activations {:.1f} KiB of {:.0f} KiB SRAM{}\n",
             r.buffers.state_bytes / 1024, r.buffers.activation_bytes / 1024, r.buffers.capacity_bytes / 1024,
             r.buffers.fits() ? "" : fmt::format(" -> {:.1f} KiB spilled to DRAM per frame", r.buffers.spill_bytes_per_step / 1024));
  if (r.frames.front().optical_pred >= 0) fmt::print("optical vs fp32 top-1 agreement: {:.4f}\n", r.agreement);
  fmt::print("host time: {:.2f} s\n", r.wall_s);
}

void write_video_stream_csv(const VideoStreamResult& r, const std::string& path) {
  std::ofstream out(path);
  if (!out) fail_input("cannot write '{}'", path);
  out << "frame,pts_s,fp32_pred,fp32_prob,optical_pred,optical_prob,arrival_s,start_s,finish_s,latency_s,queued\n";
  for (const auto& f : r.frames)
    out << fmt::format("{},{:.6f},{},{:.6f},{},{:.6f},{:.9f},{:.9f},{:.9f},{:.9f},{}\n", f.index, f.pts_s, f.fp32_pred,
                       f.fp32_prob, f.optical_pred, f.optical_prob, f.timing.arrival_s, f.timing.start_s,
                       f.timing.finish_s, f.timing.latency_s(), f.timing.queued);
}

}  // namespace oasim::run
