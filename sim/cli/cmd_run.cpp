// `oasim run`: fp32 model vs simulated optical hardware on the same clips; prints the report and writes
// report.json and report.h5.
#include <fmt/format.h>

#include <filesystem>

#include "sim/cli/commands.hpp"
#include "sim/cli/shipped_paths.hpp"
#include "sim/common/error.hpp"
#include "sim/config/hardware_config_io.hpp"
#include "sim/run/long_stream.hpp"
#include "sim/run/report_writer.hpp"
#include "sim/run/video_stream.hpp"

namespace oasim::cli {
namespace {

struct RunCli {
  run::RunOptions opt;
  std::string out_dir = "oasim-out";
  std::vector<std::string> sets;
  long stream_frames = 0;
  int window = 100;
  std::string video;
  bool stream = false;
  long video_frames = 0;
  int calib_frames = 8;
};

// --video FILE --stream: the file's frames at their timestamps through the streaming model and hardware.
void run_video(RunCli& c, const config::HardwareConfig& hw) {
  if (!c.stream) fail_input("--video needs --stream (a video is fed frame by frame to a videomamba-stream model)");
  run::VideoStreamOptions vo;
  vo.video = c.video;
  vo.model_path = c.opt.model_path;
  vo.hw_path = c.opt.hw_path;
  vo.seed = c.opt.seed;
  vo.max_frames = c.video_frames;
  vo.calib_frames = c.calib_frames;
  vo.fp32_only = c.opt.fp32_only;
  vo.progress = c.opt.progress;
  run::VideoStreamResult r = run::run_video_stream(vo, hw);
  run::print_video_stream(r);
  std::filesystem::create_directories(c.out_dir);
  const std::string csv = (std::filesystem::path(c.out_dir) / "video_stream.csv").string();
  run::write_video_stream_csv(r, csv);
  fmt::print("wrote {}\n", csv);
}

void run_run(RunCli& c) {
  c.opt.hw_path = resolve_shipped(c.opt.hw_path);
  c.opt.model_path = resolve_shipped(c.opt.model_path);
  config::HardwareConfig hw = config::load_hardware_config(c.opt.hw_path);
  for (auto& s : c.sets) {
    auto eq = s.find('=');
    if (eq == std::string::npos) fail_input("--set '{}': expected KEY=VALUE", s);
    config::set_hardware_param(hw, s.substr(0, eq), s.substr(eq + 1));
  }
  config::validate(hw, c.opt.hw_path + " with --set overrides");
  if (!c.video.empty()) return run_video(c, hw);
  if (c.stream) fail_input("--stream needs --video FILE");
  run::RunReport r = run::run_hardware(c.opt, hw);
  run::print_report(r);
  std::filesystem::create_directories(c.out_dir);
  const std::string json = (std::filesystem::path(c.out_dir) / "report.json").string();
  const std::string h5 = (std::filesystem::path(c.out_dir) / "report.h5").string();
  run::write_report_json(r, json);
  run::write_report_h5(r, h5);
  fmt::print("\nwrote {} and {}\n", json, h5);
  if (c.stream_frames > 0) {
    auto ls = run::run_long_stream(c.opt, hw, c.stream_frames, c.window);
    run::print_long_stream(ls);
    run::write_long_stream(ls, c.out_dir);
  }
}

}  // namespace

void register_run(CLI::App& app) {
  auto c = std::make_shared<RunCli>();
  c->opt.hw_path = "configs/hw/default.yaml";
  c->opt.model_path = "models/videomamba-stream-mfm.h5";
  auto* sub = app.add_subcommand("run", "Run a model through the fp32 path and the simulated optical hardware");
  sub->add_option("--hw", c->opt.hw_path, "hardware config (YAML)")->capture_default_str();
  sub->add_option("--model,-m", c->opt.model_path, "oasim model file (.h5)")->capture_default_str();
  sub->add_option("--data,-d", c->opt.data_spec, "clips: mfm:test | mfm:train | random | FILE.h5")->capture_default_str();
  sub->add_option("--clips,-n", c->opt.clips, "clips to evaluate")->check(CLI::Range(1L, 10000000L))->capture_default_str();
  sub->add_option("--frames", c->opt.frames, "frames per clip (default: the model's num_frames)")->check(CLI::NonNegativeNumber);
  sub->add_option("--calib-clips", c->opt.calibration_clips, "calibration clips for static scales")
      ->check(CLI::Range(1, 10000))->capture_default_str();
  sub->add_option("--skip-frames", c->opt.skip_frames, "stream: frames at the start of each clip not scored")
      ->check(CLI::NonNegativeNumber)->capture_default_str();
  sub->add_option("--seed", c->opt.seed, "run seed (noise streams, generated data)")->capture_default_str();
  sub->add_option("--set", c->sets, "override a hardware key, KEY=VALUE (repeatable; see `oasim describe`)");
  sub->add_option("--out,-o", c->out_dir, "folder for report.json and report.h5")->capture_default_str();
  sub->add_option("--stream-frames", c->stream_frames,
                  "also run one long stream of N frames: accuracy per window and state error vs fp32 per frame")
      ->check(CLI::Range(1L, 10000000L));
  sub->add_option("--window", c->window, "frames per accuracy window of --stream-frames")
      ->check(CLI::Range(1, 1000000))->capture_default_str();
  sub->add_option("--video", c->video, "a video file (mp4/avi/webm/mkv) to stream, with --stream, instead of --data");
  sub->add_flag("--stream", c->stream, "with --video: feed its frames at their timestamps to the streaming model and hardware");
  sub->add_option("--video-frames", c->video_frames, "with --video: stop after N frames")->check(CLI::Range(1L, 100000000L));
  sub->add_option("--calib-frames", c->calib_frames, "with --video: first frames used for static DAC/ADC ranges")
      ->check(CLI::Range(1, 100000))->capture_default_str();
  sub->add_flag("--fp32-only", c->opt.fp32_only, "skip the optical simulation (accuracy of the fp32 model only)");
  sub->callback([c] { run_run(*c); });
}

}  // namespace oasim::cli
