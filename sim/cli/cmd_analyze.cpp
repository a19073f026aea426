// `oasim analyze`: activation outlier statistics of every quantized tensor (docs/outliers.md).
#include <fmt/format.h>

#include <filesystem>

#include "sim/analysis/analyze.hpp"
#include "sim/cli/cli_checks.hpp"
#include "sim/cli/commands.hpp"
#include "sim/common/shipped_paths.hpp"

namespace oasim::cli {
namespace {

struct AnalyzeCli {
  analysis::AnalyzeOptions opt;
  std::string out_dir = "oasim-analysis";
  bool plot = false;
};

void run_analyze(AnalyzeCli& c) {
  c.opt.model_path = resolve_shipped(c.opt.model_path);
  analysis::AnalyzeResult r = analysis::run_analysis(c.opt);
  std::filesystem::create_directories(c.out_dir);
  const std::string h5 = (std::filesystem::path(c.out_dir) / "analysis.h5").string();
  analysis::write_analysis_h5(r, h5);
  analysis::print_analysis_summary(r);
  fmt::print("\nwrote {}\n", h5);
  if (c.plot && analysis::plot_analysis(h5, c.out_dir)) fmt::print("wrote the plots to {}\n", c.out_dir);
}

}  // namespace

void register_analyze(CLI::App& app) {
  auto c = std::make_shared<AnalyzeCli>();
  auto* sub = app.add_subcommand("analyze",
                                 "Activation outliers: per-channel, per-frame and per-token statistics of every "
                                 "quantized tensor of the fp32 model (analysis.h5, docs/outliers.md)");
  sub->add_option("--model,-m", c->opt.model_path, "oasim model file (.h5)")->capture_default_str();
  sub->add_option("--data,-d", c->opt.data_spec, "clips: mfm:test | mfm:train | random | FILE.h5")->capture_default_str();
  sub->add_option("--clips,-n", c->opt.clips, "clips to analyse")->check(CLI::Range(1L, 1000000L))->capture_default_str();
  sub->add_option("--frames", c->opt.frames, "frames per clip (default: the model's num_frames)")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--out,-o", c->out_dir, "folder for analysis.h5 (and the PNGs of --plot)")->capture_default_str();
  sub->add_option("--layers", c->opt.layers, "blocks to record, e.g. 0,3,7 (default: all)")->delimiter(',');
  sub->add_option("--outlier-k", c->opt.outlier_k,
                  "a channel is an outlier at a frame if its max |x| > K x the frame's median channel max")
      ->capture_default_str();
  sub->add_option("--seed", c->opt.seed, "seed of the generated clips")->check(seed_validator())->capture_default_str();
  sub->add_flag("--plot", c->plot, "also write PNG figures (workloads/python/plot_outliers.py)");
  sub->add_flag("!--no-progress", c->opt.progress, "no progress bar on stderr");
  sub->callback([c] { run_analyze(*c); });
}

}  // namespace oasim::cli
