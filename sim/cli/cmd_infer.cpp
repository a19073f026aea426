// `oasim infer`: run a model on one clip or stream and print the top-k classes: in fp32, or with --hw
// through the simulated optical hardware (calibrated first), optionally exporting the calibrated device
// state for the PyTorch OpticalLinear (--device-out).
#include <fmt/format.h>

#include <chrono>

#include "sim/cli/cli_checks.hpp"
#include "sim/cli/clip_input.hpp"
#include "sim/cli/commands.hpp"
#include "sim/cli/hardware_setup.hpp"
#include "sim/cli/hardware_stream_state.hpp"
#include "sim/hardware/site_recorder.hpp"
#include "sim/cli/topk.hpp"
#include "sim/common/error.hpp"
#include "sim/common/h5_file.hpp"
#include "sim/common/output_paths.hpp"
#include "sim/common/progress.hpp"
#include "sim/common/shipped_paths.hpp"
#include "sim/run/run_settings.hpp"
#include "workloads/data/clip_source.hpp"
#include "workloads/videomamba/model_file.hpp"
#include "workloads/videomamba/stream_session.hpp"

namespace oasim::cli {
namespace {

struct InferOptions {
  std::string model = run::RunSettings().model;  // the defaults of `oasim run`
  std::string input;
  std::string dataset;
  std::optional<uint64_t> random_seed;
  std::string data;     // `oasim run --data` spec; the default input when no other is given
  long clip_index = 0;  // which clip of --data
  uint64_t data_seed = 0;  // --data's clip seed; 0: --seed, as `oasim run` (RunOptions::clip_seed)
  std::string video;
  int frames = 0;
  int topk = 5;
  bool stream = false;
  std::string load_state, save_state, logits_out;
  HardwareOptions hw;
  std::string record_sites;
};

// Probabilities as fractions, as every oasim output states them (docs/report-format.md).
void print_topk(const std::string& prefix, const RowVectorF& logits, int k, const std::vector<std::string>& names,
                const std::string& suffix) {
  std::string line = prefix;
  for (auto [idx, p] : top_k(logits, k)) line += fmt::format("  {} ({:.3f})", class_label(names, idx), p);
  fmt::print("{}{}\n", line, suffix);
}

// The clip to run and its labels (per frame for stream data, one for a clip; empty when unknown).
struct InferInput {
  videomamba::Video clip;
  std::vector<int> labels;
  std::string description;
};

InferInput read_input(const InferOptions& o, const videomamba::ModelConfig& c) {
  const int given = !o.input.empty() + o.random_seed.has_value() + !o.data.empty() + !o.video.empty();
  if (given > 1) fail_input("give one input: --input CLIP.h5, --random-input SEED, --data SPEC or --video FILE");
  if (!o.input.empty() || o.random_seed) {
    if (o.input.empty() && o.frames > 0) check_clip_memory(c, o.frames, fmt::format("--frames {}", o.frames));
    InferInput in{o.input.empty() ? random_clip(c, o.frames > 0 ? o.frames : c.num_frames, *o.random_seed)
                                  : read_clip_h5(o.input, o.dataset),
                  {}, o.input.empty() ? fmt::format("random clip (seed {})", *o.random_seed) : o.input};
    if (o.frames > 0 && !o.input.empty()) {
      if (o.frames > in.clip.frames) fail_input("--frames {} but the clip has only {}", o.frames, in.clip.frames);
      in.clip = in.clip.slice(0, o.frames);
    }
    return in;
  }
  const int frames = o.frames > 0 ? o.frames : c.num_frames;
  if (!o.video.empty()) return {video_clip(o.video, c, frames), {}, "video " + o.video};
  // `oasim run`'s sources, default mfm:test: clip --clip-index of the spec at --seed.
  const std::string spec = o.data.empty() ? run::RunSettings().data : o.data;
  check_clip_memory(c, frames, fmt::format("--frames {}", frames));
  auto source = data::open_clip_source(spec, c, frames, o.clip_index + 1, o.data_seed ? o.data_seed : o.hw.seed);
  if (o.clip_index >= source->size())
    fail_input("--clip-index {}: --data {} has {} clip(s)", o.clip_index, spec, source->size());
  data::LabeledClip lc = source->get(o.clip_index);
  return {std::move(lc.video), std::move(lc.labels),
          fmt::format("--data {} clip {} (seed {})", spec, o.clip_index, o.data_seed ? o.data_seed : o.hw.seed)};
}

void run_infer(const InferOptions& o) {
  using namespace videomamba;
  if (!o.logits_out.empty()) check_output_file(o.logits_out, "--logits-out");  // before the model runs
  if (!o.save_state.empty()) check_output_file(o.save_state, "--save-state");
  const std::string model_path = resolve_shipped(o.model);
  VideoMambaModel model(load_model(model_path));
  const ModelConfig& c = model.config();
  if (o.stream && !c.is_stream())
    fail_input("--stream needs a videomamba-stream model; '{}' is a clip model", model_path);
  if ((!o.load_state.empty() || !o.save_state.empty()) && !c.is_stream())
    fail_input("--load-state/--save-state need a videomamba-stream model");
  InferInput in = read_input(o, c);
  const Video& clip = in.clip;
  fmt::print("model {}; input: {}, {} frame(s)\n", model_path, in.description, clip.frames);
  auto names = model.weights().class_names;
  auto label = [&](size_t i) {  // " (label X)" when the data is labelled
    return i < in.labels.size() && in.labels[i] >= 0 ? fmt::format("   label {}", class_label(names, in.labels[i])) : "";
  };

  o.hw.check_consistent();
  if (!o.record_sites.empty() && !o.hw.enabled()) fail_input("--record-sites needs --hw CONFIG");
  std::unique_ptr<HardwareSetup> hw;
  std::unique_ptr<hardware::SiteRecorder> recorder;
  ForwardOptions fo;
  if (o.hw.enabled()) {
    // A stream model calibrates on clips of its own length, whatever this input's: a stream saved and
    // resumed (--save-state / --load-state) then runs on the same device as an uninterrupted one.
    hw = setup_hardware(o.hw, model, c.is_stream() ? c.num_frames : clip.frames);
    fo.linear = hw->optical.get();
    if (!o.record_sites.empty()) {
      recorder = std::make_unique<hardware::SiteRecorder>(*hw->optical, 4096);
      fo.linear = recorder.get();
    }
  }
  const VideoMambaModel& run_model = hw ? hw->model(model) : model;

  auto t0 = std::chrono::steady_clock::now();
  MatrixRM logits;
  if (c.is_stream()) {
    // Frame by frame through the streaming API: the state persists between calls.
    StreamSession session(run_model, fo);
    if (!o.load_state.empty()) {
      session.load_state(o.load_state);
      if (hw) load_hardware_stream_state(o.load_state, *hw, o.hw);
    }
    logits.resize(clip.frames, c.num_classes);
    ProgressBar bar("frames", clip.frames, stderr_is_terminal() && clip.frames > 4);
    for (int t = 0; t < clip.frames; ++t) {
      logits.row(t) = session.feed(clip.slice(t, 1)).row(0);
      bar.update(t + 1);
    }
    bar.finish();
    if (!o.save_state.empty()) {
      session.save_state(o.save_state);
      if (hw) save_hardware_stream_state(o.save_state, *hw, o.hw);
    }
    for (int t = 0; t < clip.frames; ++t)
      print_topk(fmt::format("frame {:4d}:", session.frames_seen() - clip.frames + t), logits.row(t), o.topk, names,
                 label(size_t(t)));
  } else {
    logits = run_model.forward(clip, fo);
    print_topk("clip:", logits.row(0), o.topk, names, label(0));
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  fmt::print(stderr, "{} frame(s) in {:.3f} s ({:.2f} frames/s, {})\n", clip.frames, secs, clip.frames / secs,
             hw ? "simulated hardware " + hw->hw.name : std::string("fp32"));
  if (recorder) recorder->write(o.record_sites);
  if (!o.logits_out.empty()) {
    h5::Writer w(o.logits_out);
    w.floats("logits", {hsize_t(logits.rows()), hsize_t(logits.cols())}, logits.data());
  }
}

}  // namespace

void register_infer(CLI::App& app) {
  auto o = std::make_shared<InferOptions>();
  auto* sub = app.add_subcommand("infer", "Run a model (fp32, or --hw on the simulated hardware) on a clip or stream "
                                          "and print the top-k classes");
  sub->add_option("--model,-m", o->model, "oasim model file (.h5)")->capture_default_str();
  sub->add_option("--data,-d", o->data, "clips as `oasim run` reads them: mfm:test | mfm:train | random | FILE.h5 "
                                        "(default when no other input is given: mfm:test)");
  sub->add_option("--clip-index", o->clip_index, "with --data: which clip")->check(CLI::NonNegativeNumber);
  sub->add_option("--data-seed", o->data_seed, "with --data: the clip seed (default: --seed, as in `oasim run`)")
      ->check(seed_validator());
  sub->add_option("--video", o->video, "a video file (mp4/avi/webm/mkv): its first frames, centre view");
  sub->add_option("--input,-i", o->input, "clip file (.h5) holding a float array [channels, frames, height, width]");
  sub->add_option("--dataset", o->dataset, "dataset name inside --input (default: video, else input/video)");
  sub->add_option("--random-input", o->random_seed, "use a seeded N(0,1) clip instead of --input")
      ->check(seed_validator());
  sub->add_option("--frames", o->frames, "use the first N frames (random input: generate N)")->check(CLI::PositiveNumber);
  sub->add_option("--topk,-k", o->topk, "classes to print")->check(CLI::Range(1, 100000));
  sub->add_flag("--stream", o->stream, "stream frame by frame (default for videomamba-stream models)");
  sub->add_option("--load-state", o->load_state, "stream: start from a saved state");
  sub->add_option("--save-state", o->save_state, "stream: save the state after the last frame");
  sub->add_option("--logits-out", o->logits_out, "write the logits to this HDF5 file (dataset 'logits')");
  add_hardware_options(sub, o->hw);
  sub->add_option("--record-sites", o->record_sites,
                  "--hw: write every Linear's input and output rows (the first 4096 per site) to this HDF5 file");
  sub->callback([o] { run_infer(*o); });
}

}  // namespace oasim::cli
