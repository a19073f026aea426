// `oasim plot RESULTS.csv`: matplotlib PNGs of a sweep (Pareto scatter, metric vs axis with error bars),
// drawn by workloads/python/plot_sweep.py with Debian's python3.
#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>

#include "sim/cli/commands.hpp"
#include "sim/common/error.hpp"

namespace oasim::cli {
namespace {

struct PlotCli {
  std::string results;
  std::string out_dir;
  std::string metrics;
};

std::string shell_quoted(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

void run_plot(PlotCli& c) {
  namespace fs = std::filesystem;
  fs::path results = c.results;
  if (fs::is_directory(results)) results /= "results.csv";
  if (!fs::exists(results)) fail_input("cannot open '{}': no such file (expected a sweep's results.csv or its folder)", c.results);
  if (c.out_dir.empty()) c.out_dir = (results.parent_path() / "plots").string();
  const char* home = std::getenv("OASIM_HOME");
  const fs::path script = fs::path(home ? home : OASIM_SOURCE_DIR) / "workloads" / "python" / "plot_sweep.py";
  std::string cmd = fmt::format("{} {} {} {}", shell_quoted(OASIM_PYTHON), shell_quoted(script.string()), shell_quoted(results.string()),
                                shell_quoted(c.out_dir));
  if (!c.metrics.empty()) cmd += " --metrics " + shell_quoted(c.metrics);
  const int rc = std::system(cmd.c_str());
  if (rc != 0) fail_input("plotting failed (exit status {}): {}", rc, cmd);
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
