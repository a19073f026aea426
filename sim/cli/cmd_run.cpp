// `oasim run`: fp32 model vs simulated optical hardware on the same clips; prints the report and writes
// report.json and report.h5.
#include <fmt/format.h>

#include <filesystem>
#include <map>

#include "sim/cli/cli_checks.hpp"
#include "sim/cli/commands.hpp"
#include "sim/common/memory_budget.hpp"
#include "sim/common/output_paths.hpp"
#include "sim/common/shipped_paths.hpp"
#include "sim/common/error.hpp"
#include "models/components/hardware_config_io.hpp"
#include "sim/run/config_resolution.hpp"
#include "sim/run/long_stream.hpp"
#include "sim/run/report_writer.hpp"
#include "sim/run/run_settings.hpp"
#include "sim/run/video_stream.hpp"
#include "sim/run/video_stream_report.hpp"
#include "sim/trace/activation_recorder.hpp"
#include "sim/run/stream_serving.hpp"
#include "sim/systemc/timing_engine.hpp"
#include "sim/systemc/timeline_json.hpp"
#include "sim/trace/trace_file.hpp"
#include "workloads/data/clip_source.hpp"
#include "workloads/videomamba/videomamba_model.hpp"
#include "workloads/videomamba/model_file.hpp"

namespace oasim::cli {
namespace {

struct RunCli {
  run::RunSettings settings;  // the table-driven flags (sim/run/run_settings.hpp), copied into opt
  run::RunOptions opt;
  std::string out_dir = "oasim-out";
  std::vector<std::string> sets;
  std::string record_trace;
  long trace_activations = 0;
  std::string timeline;
  std::vector<int> streams;
  run::ServingOptions serving;
  std::string video;
  bool stream = false;
  bool summary = false;  // --video --stream: totals only, no line per frame
  long video_frames = 0;
  int calib_frames = 8;
  bool skip_frames_given = false;
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
  vo.recipe = c.opt.recipe;
  vo.recipe_path = c.opt.recipe_path;
  run::VideoStreamResult r = run::run_video_stream(vo, hw);
  run::print_video_stream(r, !c.summary);
  std::filesystem::create_directories(c.out_dir);
  const std::string csv = (std::filesystem::path(c.out_dir) / "video_stream.csv").string();
  const std::string json = (std::filesystem::path(c.out_dir) / "report.json").string();
  run::write_video_stream_csv(r, csv);
  run::write_video_stream_json(r, vo, hw, json);
  fmt::print("wrote {} and {}\n", json, csv);
}

// Activation traces: the first clip through the fp32 model, up to `rows` input rows per Linear.
std::vector<trace::LayerActivations> record_activations(const run::RunOptions& opt, long rows) {
  videomamba::VideoMambaModel model(videomamba::load_model(opt.model_path));
  const int frames = opt.frames > 0 ? opt.frames : model.config().num_frames;
  auto source = data::open_clip_source(opt.data_spec, model.config(), frames, 1, opt.clip_seed());
  trace::ActivationRecorder rec(rows);
  videomamba::ForwardOptions fo;
  fo.linear = &rec;
  model.forward(source->get(0).video, fo);
  return rec.layers();
}

// Everything that can be refused without simulating is refused here, before minutes of work: where the
// results go, the memory the requested lengths need, and options that contradict the model.
void check_before_running(const RunCli& c) {
  ensure_output_dir(c.out_dir, "--out");
  if (!c.record_trace.empty()) check_output_file(c.record_trace, "--record-trace");
  if (!c.video.empty()) return;  // the video's frames are checked by the video reader
  const videomamba::ModelConfig mc = videomamba::read_model_config(h5::Reader(c.opt.model_path));
  const int frames = c.opt.frames > 0 ? c.opt.frames : mc.num_frames;
  if (c.opt.frames > 0) check_clip_memory(mc, frames, fmt::format("--frames {}", frames));
  if (c.settings.stream_frames > 0) {
    // The long stream is generated whole, then fed frame by frame.
    const double per_frame = 4.0 * mc.in_chans * double(mc.img_size) * mc.img_size + 8.0 * mc.num_classes;
    check_memory(per_frame * double(c.settings.stream_frames), fmt::format("--stream-frames {}", c.settings.stream_frames));
  }
  if (c.skip_frames_given && mc.is_stream() && c.opt.skip_frames >= frames)
    fail_input("--skip-frames {} leaves no frame to score: each clip has {} frame(s)", c.opt.skip_frames, frames);
}

// How --help shows a table setting's value: its type and range.
std::string type_name(const run::RunSettingSpec& s) {
  switch (s.type) {
    case run::SettingType::Path: return "FILE";
    case run::SettingType::Text: return "TEXT";
    case run::SettingType::Seed: return "SEED";
    case run::SettingType::Integer: return fmt::format("INT in [{}, {}]", long(s.lo), long(s.hi));
    case run::SettingType::Number: return fmt::format("NUMBER in ({}, {}]", s.lo, s.hi);
  }
  return "";
}

void run_run(RunCli& c) {
  run::apply_run_settings(c.settings, c.opt);
  c.opt.hw_path = resolve_shipped(c.opt.hw_path);
  c.opt.model_path = resolve_shipped(c.opt.model_path);
  check_before_running(c);
  run::ConfigSources src;
  src.hw_path = c.opt.hw_path;
  if (!c.opt.recipe_path.empty()) {
    c.opt.recipe_path = resolve_shipped(c.opt.recipe_path);
    c.opt.recipe = quant::load_recipe(c.opt.recipe_path);
    src.recipe = &c.opt.recipe;
    src.recipe_origin = c.opt.recipe_path;
  }
  src.set_args = c.sets;
  const config::HardwareConfig hw = run::resolve_hardware_config(src);
  if (!c.video.empty()) return run_video(c, hw);
  if (c.stream) fail_input("--stream needs --video FILE");
  for (int b : c.streams) {
    run::ServingOptions so = c.serving;
    so.streams = b;
    so.fps = c.opt.fps;
    run::check_serving_options(so);
  }
  run::RunReport r = run::run_hardware(c.opt, hw);
  run::print_report(r);
  std::filesystem::create_directories(c.out_dir);
  const std::string json = (std::filesystem::path(c.out_dir) / "report.json").string();
  const std::string h5 = (std::filesystem::path(c.out_dir) / "report.h5").string();
  run::write_report_json(r, json);
  run::write_report_h5(r, h5);
  fmt::print("\nwrote {} and {}\n", json, h5);
  if (!c.record_trace.empty()) {
    trace::TimingTrace t;
    t.model_path = c.opt.model_path;
    t.recipe_path = c.opt.recipe_path;
    t.model = videomamba::read_model_config(h5::Reader(c.opt.model_path));
    t.hw = hw;
    t.program = r.program;
    t.step = r.cost.step;
    t.energy_per_frame_j = r.cost.at_input_fps.total_j();
    if (c.trace_activations > 0) t.activations = record_activations(c.opt, c.trace_activations);
    trace::write_trace(c.record_trace, t);
    fmt::print("wrote timing trace {} ({} passes per {})\n", c.record_trace, t.program.ops.size(),
               t.program.frames_per_step == 1 ? "frame" : "clip");
  }
  if (!c.timeline.empty()) {  // the same step again, with every resource's busy intervals recorded
    auto params = timing::TimingParams::from_config(hw);
    params.record_activity = true;
    const auto step = timing::simulate(r.program, params);
    timing::write_timeline(c.timeline, r.program, step);
    fmt::print("wrote timeline {} ({:.3f} ms of simulated time, {} busy intervals; open in ui.perfetto.dev)\n",
               c.timeline, step.total_s * 1e3, step.activities.size());
  }
  if (!c.streams.empty()) {  // B camera streams sharing this accelerator, at the timed frame latency
    std::vector<run::ServingResult> rows;
    // With token-block pipelining, frames of different streams overlap: measured by simulating four
    // independent frames together (SystemC); op by op, or a clip program, one frame at a time.
    timing::FrameOverlap overlap;
    overlap.initiation_s = overlap.latency_s = r.cost.frame_latency_s;
    if (r.program.frames_per_step == 1) overlap = timing::overlap_frames(r.program, timing::TimingParams::from_config(hw));
    for (int b : c.streams) {
      run::ServingOptions so = c.serving;
      so.streams = b;
      so.fps = c.opt.fps;
      so.seed = c.opt.seed;
      rows.push_back(run::serve_streams(so, overlap.latency_s, r.cost.actions_per_frame, hw, overlap.initiation_s));
    }
    run::print_serving(rows);
    const std::string csv = (std::filesystem::path(c.out_dir) / "streams.csv").string();
    run::write_serving_csv(rows, csv);
    fmt::print("wrote {}\n", csv);
  }
  if (c.settings.stream_frames > 0) {
    auto ls = run::run_long_stream(c.opt, hw, c.settings.stream_frames, c.settings.window, r.cost);
    run::print_long_stream(ls);
    run::write_long_stream(ls, c.out_dir);
  }
}

}  // namespace

void register_run(CLI::App& app) {
  auto c = std::make_shared<RunCli>();
  auto* sub = app.add_subcommand("run", "Run a model through the fp32 path and the simulated optical hardware");
  // The settings a sweep can also vary: flags, ranges and help from the one table.
  std::map<std::string, CLI::Option*> by_key;
  const run::RunSettings defaults;
  for (const auto& spec : run::run_settings()) {
    const std::string key = spec.key, flag = run::long_flag(spec);
    by_key[key] = sub->add_option_function<std::string>(
                          spec.flag, [c, key, flag](const std::string& v) { run::set_run_setting(c->settings, key, v, flag); },
                          spec.help)
                      ->default_str(spec.get(defaults))
                      ->type_name(type_name(spec));
  }
  by_key["window"]->needs(by_key["stream_frames"]);
  sub->add_option_function<int>(
         "--skip-frames",
         [c](const int& v) {
           c->opt.skip_frames = v;
           c->skip_frames_given = true;
         },
         "stream: frames at the start of each clip not scored (default 2)")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--seed", c->opt.seed, "run seed (noise streams, generated data)")
      ->check(seed_validator())->capture_default_str();
  sub->add_option("--set", c->sets, "override a hardware key, KEY=VALUE (repeatable; see `oasim describe`)");
  sub->add_option("--out,-o", c->out_dir, "folder for report.json and report.h5")->capture_default_str();
  auto* video = sub->add_option("--video", c->video, "a video file (mp4/avi/webm/mkv) to stream, with --stream, instead of --data");
  sub->add_flag("--stream", c->stream, "with --video: feed its frames at their timestamps to the streaming model and hardware");
  sub->add_flag("--summary", c->summary, "with --video --stream: print the totals only, no line per frame")->needs(video);
  sub->add_option("--video-frames", c->video_frames, "with --video: stop after N frames")->check(CLI::Range(1L, 100000000L))->needs(video);
  sub->add_option("--calib-frames", c->calib_frames, "with --video: first frames used for static DAC/ADC ranges")
      ->check(CLI::Range(1, 100000))->capture_default_str()->needs(video);
  auto* record_trace = sub->add_option("--record-trace", c->record_trace,
                  "write the timed pass stream to this HDF5 file, for `oasim replay` (docs/trace-format.md)");
  sub->add_option("--trace-activations", c->trace_activations,
                  "with --record-trace: also record up to N input rows (and weights, fp32 outputs) of every Linear "
                  "from the first clip")
      ->check(CLI::Range(1L, 100000L))->needs(record_trace);
  sub->add_option("--timeline", c->timeline,
                  "write one schedule step's simulated activity as Chrome/Perfetto trace JSON (a track per core, "
                  "ADC bank, digital unit, SRAM bank, DRAM)");
  sub->add_option("--streams", c->streams,
                  "serve B concurrent camera streams at --fps each (a list: --streams 1 8 64): latency, deadline "
                  "misses, queue, frames/s, energy per frame -> OUT/streams.csv");
  sub->add_option("--jitter", c->serving.jitter, "with --streams: arrival jitter, a fraction of the frame interval")
      ->capture_default_str();
  sub->add_option("--stream-seconds", c->serving.seconds, "with --streams: simulated arrival window (s)")
      ->capture_default_str();
  sub->add_option("--queue-frames", c->serving.queue_frames, "with --streams: input queue depth (frames)")
      ->capture_default_str();
  sub->add_flag("--fp32-only", c->opt.fp32_only, "skip the optical simulation (accuracy of the fp32 model only)");
  sub->callback([c] { run_run(*c); });
}

}  // namespace oasim::cli
