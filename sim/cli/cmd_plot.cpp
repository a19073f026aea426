// `oasim plot RESULTS.csv`: matplotlib PNGs of a sweep (Pareto scatter, metric vs axis with error bars),
// drawn by workloads/python/plot_sweep.py with Debian's python3.
#include <fmt/format.h>

#include <filesystem>

#include "sim/cli/commands.hpp"
#include "sim/common/error.hpp"
#include "sim/common/output_paths.hpp"
#include "sim/common/python_tool.hpp"
#include "sim/common/path_checks.hpp"

namespace oasim::cli {
namespace {

struct PlotCli {
  std::string results;
  std::string out_dir;
  std::string metrics;
};

void run_plot(PlotCli& c) {
  namespace fs = std::filesystem;
  fs::path results = c.results;
  if (is_folder(results)) results /= "results.csv";
  if (!path_exists(results)) fail_input("cannot open '{}': no such file (expected a sweep's results.csv or its folder)", c.results);
  if (is_folder(results)) fail_input("'{}' is a directory, expected a sweep's results.csv", results.string());
  if (c.out_dir.empty()) c.out_dir = (results.parent_path() / "plots").string();
  ensure_output_dir(c.out_dir, "--out");
  std::vector<std::string> args = {results.string(), c.out_dir};
  if (!c.metrics.empty()) args.insert(args.end(), {"--metrics", c.metrics});
  run_python_tool_or_fail("workloads/python/plot_sweep.py", args, "plotting");
}

}  // namespace

void register_plot(CLI::App& app) {
  auto c = std::make_shared<PlotCli>();
  auto* sub = app.add_subcommand("plot", "Plot a sweep's results (Pareto front, metrics vs axes) as PNG files");
  sub->add_option("results", c->results, "results.csv of `oasim sweep`, or its folder")->required();
  sub->add_option("--out,-o", c->out_dir, "folder for the PNGs (default: plots/ beside the results)");
  sub->add_option("--metrics", c->metrics, "comma-separated metrics to plot against the axes (default: all)");
  sub->callback([c] { run_plot(*c); });
}

}  // namespace oasim::cli
