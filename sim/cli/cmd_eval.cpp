// `oasim eval`: a model on a list of real videos with the official VideoMamba test protocol, in fp32 or
// (--hw) through the simulated optical hardware; top-1/top-5, per-video predictions, failed videos
// recorded and skipped (docs/video-eval.md).
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "sim/cli/commands.hpp"
#include "sim/cli/hardware_setup.hpp"
#include "sim/common/shipped_paths.hpp"
#include "sim/cli/topk.hpp"
#include "sim/common/error.hpp"
#include "sim/common/progress.hpp"
#include "sim/common/output_paths.hpp"
#include "models/components/hardware_config_io.hpp"
#include "sim/run/provenance_json.hpp"
#include "sim/run/report_writer.hpp"
#include "sim/run/video_eval.hpp"
#include "workloads/videomamba/model_file.hpp"
#include "sim/common/path_checks.hpp"

namespace oasim::cli {
namespace {

struct EvalOptions {
  std::string model, data, root, config, classes, out, report;
  long limit = 0;
  int queue = 2;
  bool quiet = false;
  bool decode_only = false;
  HardwareOptions hw;
};

// CSV field: quoted when it holds a comma, quote or newline.
std::string csv(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c == '\n' ? ' ' : c);
  return q + "\"";
}

// The report schema of `oasim run` (docs/report-format.md): provenance, run, accuracy (fractions; null
// when no labelled video was evaluated or the model did not run), wall_s.
void write_eval_report(const EvalOptions& o, const config::EvalConfig& cfg, const run::VideoEvalSummary& s,
                       const config::HardwareConfig* hw) {
  using nlohmann::json;
  run::ProvenanceInputs prov;
  if (hw) {
    prov.seed = o.hw.seed;
    prov.device_seed = hw->seed;
    prov.hw_path = o.hw.hw_path;
    prov.recipe_path = o.hw.recipe_path;
  }
  prov.model_path = o.model;
  if (!o.config.empty()) prov.extra_files.push_back({"eval_config", resolve_shipped(o.config)});
  if (std::filesystem::is_regular_file(o.data)) prov.extra_files.push_back({"video_list", o.data});
  json j;
  j["oasim_report_version"] = run::kReportVersion;
  j["provenance"] = run::provenance_json(prov);
  j["run"] = {{"model", o.model}, {"data", o.data}, {"hw", hw ? json(o.hw.hw_path) : json(nullptr)},
              {"hw_name", hw ? json(hw->name) : json(nullptr)}, {"protocol", cfg.name},
              {"path", hw ? "optical" : "fp32"}, {"decode_only", o.decode_only}};
  const bool scored = s.labelled > 0 && !o.decode_only;
  j["accuracy"] = {{"videos", s.videos}, {"evaluated", s.evaluated}, {"skipped", s.skipped},
                   {"labelled", s.labelled}, {"top1", scored ? json(s.top1()) : json(nullptr)},
                   {"top5", scored ? json(s.top5()) : json(nullptr)}};
  j["wall_s"] = {{"total", s.wall_s}, {"decode", s.decode_s}, {"model", s.model_s}, {"model_wait", s.model_wait_s}};
  if (hw) j["hardware_config"] = config::to_yaml(*hw);
  std::ofstream f(o.report);
  f << j.dump(2) << "\n";
  if (!f.flush()) fail_input("--report '{}': cannot write the file", o.report);
}

void run_eval(const EvalOptions& o) {
  using namespace videomamba;
  config::EvalConfig cfg = o.config.empty() ? config::default_eval_config()
                                                 : config::load_eval_config(resolve_shipped(o.config));
  // Check everything cheap before the model loads.
  o.hw.check_consistent();
  if (!o.report.empty()) check_output_file(o.report, "--report");
  std::vector<std::string> names;
  if (!o.classes.empty()) names = data::read_class_names(o.classes);
  std::vector<data::VideoEntry> videos;
  if (is_folder(o.data)) {
    videos = data::scan_class_folders(o.data, names);
  } else {
    if (!path_exists(o.data)) fail_input("--data '{}': no such file or folder", o.data);
    videos = data::read_video_list(o.data, o.root, cfg.list_separator, names);
  }
  if (o.limit > 0 && long(videos.size()) > o.limit) videos.resize(size_t(o.limit));

  VideoMambaModel model(load_model(o.model));
  const ModelConfig& mc = model.config();
  const int frames = run::eval_frames(cfg, mc);
  if (names.empty()) names = model.weights().class_names;
  for (const auto& v : videos)
    if (v.label >= mc.num_classes)
      fail_input("video '{}' has label {} but the model has {} classes", v.id, v.label, mc.num_classes);

  // Through the simulated hardware: calibrated on clips of the protocol's length (never the evaluated videos).
  std::unique_ptr<HardwareSetup> hw;
  if (o.hw.enabled() && !o.decode_only) hw = setup_hardware(o.hw, model, frames);

  std::ofstream out;
  if (!o.out.empty()) {
    out.open(o.out);
    if (!out) fail_input("--out '{}': cannot write", o.out);
    out << "id,label,pred,pred_name,prob,top5,correct,views,frames,decode_s,model_s,status,error\n";
  }
  fmt::print(stderr, "eval: {} videos on {}, protocol '{}' ({}: {} frames{}, {} clips x {} crops, short side {}, crop {})\n",
             videos.size(), hw ? "simulated hardware '" + hw->hw.name + "'" : std::string("fp32"), cfg.name, data::to_string(cfg.sampling.mode), frames,
             cfg.sampling.mode == data::SamplingMode::Dense ? fmt::format(" stride {}", cfg.sampling.stride) : "",
             cfg.sampling.clips, cfg.views.crops, cfg.views.short_side, cfg.views.crop);

  run::VideoEvalOptions opt;
  opt.cfg = cfg;
  opt.queue_depth = o.queue;
  opt.run_model = !o.decode_only;
  if (hw) opt.forward.linear = hw->optical.get();
  ProgressBar bar("videos", long(videos.size()), !o.quiet && stderr_is_terminal());
  long done = 0, hits = 0, labelled = 0;
  auto summary = run::evaluate_videos(hw ? hw->model(model) : model, videos, opt, [&](const run::VideoOutcome& r) {
    ++done;
    if (!r.ok) {
      if (!o.quiet) fmt::print(stderr, "\nskipped {}: {}\n", r.entry.id, r.error);
    } else if (r.entry.label >= 0 && r.probs.size() > 0) {
      ++labelled;
      Eigen::Index best;
      r.probs.maxCoeff(&best);
      hits += best == r.entry.label;
    }
    if (!stderr_is_terminal() && !o.quiet)  // a log-friendly progress line when there is no bar
      fmt::print(stderr, "[{}/{}] {} {}\n", done, videos.size(), r.entry.id,
                 r.ok ? fmt::format("ok ({} views, {:.2f} s decode, {:.2f} s model)", r.views, r.decode_s, r.model_s)
                      : "skipped");
    bar.update(done);
    if (!out.is_open()) return;
    std::string top5, pred_name;
    int pred = -1;
    float prob = 0;
    if (r.ok && r.probs.size() > 0) {
      auto tk = top_k(r.probs.array().log().matrix(), 5);  // log: top_k takes logits, order is the same
      pred = tk[0].first;
      prob = r.probs[pred];
      pred_name = class_label(names, pred);
      for (auto& [i, p] : tk) top5 += (top5.empty() ? "" : " ") + std::to_string(i);
    }
    out << csv(r.entry.id) << ',' << r.entry.label << ',' << pred << ',' << csv(pred_name) << ','
        << fmt::format("{:.6f}", prob) << ',' << top5 << ',' << (pred >= 0 && r.entry.label >= 0 ? int(pred == r.entry.label) : -1)
        << ',' << r.views << ',' << r.frame_count << ',' << fmt::format("{:.4f},{:.4f}", r.decode_s, r.model_s) << ','
        << (r.ok ? "ok" : "skipped") << ',' << csv(r.error) << '\n';
  });
  bar.finish();

  fmt::print("videos: {} (evaluated {}, skipped {})\n", summary.videos, summary.evaluated, summary.skipped);
  if (summary.labelled > 0)
    fmt::print("top-1: {:.4f}  top-5: {:.4f}  (fractions, over {} labelled videos; skipped videos are not counted)\n",
               summary.top1(), summary.top5(), summary.labelled);
  else
    fmt::print("top-1/top-5: no labelled video evaluated\n");
  if (o.decode_only && summary.evaluated > 0)
    fmt::print("speed: decode+preprocess {:.2f} videos/s, {:.1f} views/s ({:.3f} s/video, decode thread); model not run\n",
               summary.videos / std::max(summary.decode_s, 1e-9), summary.views / std::max(summary.decode_s, 1e-9),
               summary.decode_s / summary.videos);
  else if (summary.evaluated > 0)
    fmt::print(
        "speed: decode+preprocess {:.2f} videos/s ({:.3f} s/video, decode thread), model {:.2f} videos/s "
        "({:.3f} s/video, {:.3f} s/view); model waited {:.2f} s of {:.2f} s wall\n",
        summary.videos / std::max(summary.decode_s, 1e-9), summary.decode_s / summary.videos,
        summary.evaluated / std::max(summary.model_s, 1e-9), summary.model_s / summary.evaluated,
        summary.model_s / std::max<long>(summary.views, 1), summary.model_wait_s, summary.wall_s);
  if (!o.out.empty()) fmt::print("predictions: {}\n", o.out);
  if (!o.report.empty()) {
    write_eval_report(o, cfg, summary, hw ? &hw->hw : nullptr);
    fmt::print("report: {}\n", o.report);
  }
}

}  // namespace

void register_eval(CLI::App& app) {
  auto o = std::make_shared<EvalOptions>();
  auto* sub = app.add_subcommand("eval", "Evaluate a model (fp32, or --hw on the simulated hardware) on real videos with the official VideoMamba test protocol");
  sub->add_option("--model,-m", o->model, "oasim model file (.h5)")->required();
  sub->add_option("--data,-d", o->data,
                  "video list (`path label` a line, comma or space separated, as the official code reads) or a "
                  "folder with one sub-folder per class")->required();
  sub->add_option("--root", o->root, "folder the list's paths are relative to (the official --prefix)");
  sub->add_option("--config,-c", o->config, "eval protocol YAML (configs/eval/k400.yaml, ssv2.yaml); default: k400");
  sub->add_option("--classes", o->classes, "class names, one a line (labels may then be names; default: the model's)");
  sub->add_option("--out,-o", o->out, "write per-video predictions to this CSV file");
  sub->add_option("--report", o->report, "write the summary with provenance as JSON (docs/report-format.md)");
  sub->add_option("--limit", o->limit, "evaluate only the first N videos")->check(CLI::PositiveNumber);
  sub->add_option("--queue", o->queue, "decoded videos kept ready ahead of the model")->check(CLI::Range(1, 64));
  sub->add_flag("--decode-only", o->decode_only,
                "decode and preprocess every view but do not run the model: the input pipeline's throughput");
  sub->add_flag("--quiet,-q", o->quiet, "no progress or per-video lines on stderr");
  add_hardware_options(sub, o->hw);
  sub->callback([o] { run_eval(*o); });
}

}  // namespace oasim::cli
