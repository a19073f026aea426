// `oasim sweep FILE`: validate the whole sweep, run its points (local cores, MPI ranks, or one shard of
// a job array), resume after an interruption, and merge the point records into results.csv/results.h5.
#include <fmt/format.h>

#include <filesystem>
#include <thread>

#include "sim/cli/commands.hpp"
#include "sim/common/error.hpp"
#include "sim/sweep/mpi_world.hpp"
#include "sim/sweep/sweep_results.hpp"
#include "sim/sweep/sweep_runner.hpp"
#include "sim/common/path_checks.hpp"

namespace oasim::cli {
namespace {

struct SweepCli {
  std::string file;
  std::string out_dir;
  int jobs = 0;
  std::string shard = "0/1";
  bool retry_failed = false;
  bool merge_only = false;
  bool check = false;
};

void print_front(const sweep::ResultTable& t) {
  if (t.pareto.empty()) return;
  std::string goals;
  for (auto& o : t.objectives) goals += fmt::format("{}{} {}", goals.empty() ? "" : ", ", o.metric, o.maximise ? "up" : "down");
  fmt::print("Pareto front ({}; means over seeds):\n", goals);
  long last_design = -1;
  for (size_t i = 0; i < t.rows.size(); ++i) {
    const auto& r = t.rows[i];
    if (!t.pareto[i] || r.design == last_design) continue;
    last_design = r.design;
    std::string vals;
    for (auto& [k, v] : r.values) vals += fmt::format("{}{}={}", vals.empty() ? "" : " ", k, v);
    fmt::print("  design {:>3}: {}\n", r.design, vals);
  }
}

void run_sweep(SweepCli& c) {
  auto world = sweep::MpiWorld::join_if_launched();
  const int rank = world ? world->rank() : 0;
  const int ranks = world ? world->size() : 1;

  // Everything is validated before any point runs (each rank does the same cheap checks).
  sweep::SweepSpec spec = sweep::load_sweep(c.file);
  std::vector<sweep::SweepPoint> points = sweep::expand_points(spec);
  const std::string fp = sweep::sweep_fingerprint(spec, points);
  if (c.out_dir.empty()) c.out_dir = (std::filesystem::path("oasim-out") / ("sweep-" + spec.name)).string();
  if (rank == 0) {
    fmt::print("sweep '{}': {} design points x {} seed(s) = {} runs; metrics: {}\n", spec.name,
               points.empty() ? 0 : points.back().design + 1, spec.seeds.size(), points.size(),
               fmt::join(spec.metrics, ", "));
    std::fflush(stdout);
  }
  // What a real run would refuse, --check refuses too: the shard, and an --out holding something else.
  const sweep::Shard job = sweep::parse_shard(c.shard);
  sweep::check_out_dir(fp, c.out_dir);
  if (c.check) return;
  if (c.merge_only && !is_folder(std::filesystem::path(c.out_dir) / "points"))
    fail_input("--merge-only: '{}' holds no point records (no 'points' folder): run the sweep first", c.out_dir);

  if (rank == 0) sweep::prepare_out_dir(spec, points, fp, c.out_dir);
  // Two sweeps running the same points in one folder would run them twice and record wrong failures.
  if (rank == 0 && !c.merge_only) sweep::lock_out_dir(c.out_dir, job);
  if (world) world->barrier();
  if (rank != 0) sweep::prepare_out_dir(spec, points, fp, c.out_dir);  // checks only: rank 0 wrote it

  if (!c.merge_only) {
    sweep::RunPointsOptions o;
    o.out_dir = c.out_dir;
    o.exe = sweep::self_executable();
    // A job-array shard split again across this job's MPI ranks.
    o.shard = {job.index * ranks + rank, job.count * ranks};
    const int cores = int(std::max(1u, std::thread::hardware_concurrency()));
    o.jobs = c.jobs > 0 ? c.jobs : std::max(1, cores / ranks);
    o.threads_per_point = std::max(1, cores / (ranks * o.jobs));
    o.retry_failed = c.retry_failed;
    if (world) o.log_prefix = fmt::format("[rank {}/{}] ", rank, ranks);
    sweep::RunPointsSummary s = sweep::run_points(spec, points, fp, o);
    const long failed = world ? world->sum(s.failed) : s.failed;
    const long ran = world ? world->sum(s.ran) : s.ran;
    if (rank == 0) fmt::print("ran {} point(s), {} failed\n", ran, failed);
  }
  if (world) world->barrier();
  if (rank != 0) return;

  std::vector<std::string> missing;
  auto rows = sweep::collect_records(points, fp, c.out_dir, missing);
  const long designs = points.empty() ? 0 : points.back().design + 1;
  sweep::ResultTable t = sweep::make_table(spec, fp, rows, designs);
  const std::string csv = (std::filesystem::path(c.out_dir) / "results.csv").string();
  const std::string h5 = (std::filesystem::path(c.out_dir) / "results.h5").string();
  sweep::write_csv(t, csv);
  sweep::write_h5(t, h5);
  long failed = 0;
  const sweep::PointResult* first_failed = nullptr;
  for (auto& r : rows) {
    failed += !r.ok;
    if (!r.ok && !first_failed) first_failed = &r;
  }
  fmt::print("results: {} of {} points ({} failed){}\n", rows.size(), points.size(), failed,
             missing.empty() ? "" : fmt::format("; {} not run yet (other shards? first: {})", missing.size(), missing[0]));
  print_front(t);
  fmt::print("wrote {} and {}\n", csv, h5);
  if (c.merge_only && rows.empty())
    fail_input("--merge-only: '{}' holds no point records: nothing to merge (run the sweep first)", c.out_dir);
  // A sweep with no result at all is not a success, whatever each point's reason.
  if (!rows.empty() && failed == long(rows.size()))
    fail_input("every point of the sweep failed ({} of {}); the first: {}", failed, rows.size(), first_failed->error);
}

}  // namespace

void register_sweep(CLI::App& app) {
  auto c = std::make_shared<SweepCli>();
  auto* sub = app.add_subcommand("sweep", "Run a design-space sweep from a YAML file (docs/sweeps.md)");
  sub->add_option("file", c->file, "sweep file (YAML), e.g. configs/sweeps/adc-bits-x-noise.yaml")->required();
  sub->add_option("--out,-o", c->out_dir, "results folder (default: oasim-out/sweep-NAME); rerun to resume");
  sub->add_option("--jobs,-j", c->jobs, "points run at once on this machine (default: cores / MPI ranks)")
      ->check(CLI::Range(1, 1024));
  sub->add_option("--shard", c->shard, "run only shard I of N (I/N), e.g. a Slurm array task; then --merge-only")
      ->capture_default_str();
  sub->add_flag("--retry-failed", c->retry_failed, "run again the points recorded as failed");
  sub->add_flag("--merge-only", c->merge_only, "run nothing: write results from the point records present");
  sub->add_flag("--check", c->check, "validate the sweep file and every point, run nothing");
  sub->callback([c] { run_sweep(*c); });
}

}  // namespace oasim::cli
