#include "sim/sweep/point_runner.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>

#include "sim/common/error.hpp"
#include "sim/common/shipped_paths.hpp"
#include "sim/run/run_metrics.hpp"
#include "sim/common/path_checks.hpp"

extern char** environ;

namespace oasim::sweep {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string last_line_of(const std::string& path) {
  std::ifstream f(path);
  std::string line, last;
  while (std::getline(f, line))
    if (!line.empty() && line.find_first_not_of(" \r\t") != std::string::npos) last = line;
  if (last.size() > 400) last = last.substr(0, 400) + "...";
  return last;
}

}  // namespace

std::vector<std::string> point_command(const SweepPoint& p, const std::string& exe, const std::string& point_dir) {
  // The run settings from the one table (sim/run/run_settings.hpp), with shipped paths resolved.
  RunSettings r = p.run;
  r.hw = resolve_shipped(r.hw);
  r.model = resolve_shipped(r.model);
  if (!r.recipe.empty()) r.recipe = resolve_shipped(r.recipe);
  std::vector<std::string> a{exe, "run"};
  for (auto& arg : run::run_setting_args(r)) a.push_back(arg);
  a.insert(a.end(), {"--seed", std::to_string(p.seed), "--out", point_dir});
  for (auto& [k, v] : p.sets) a.insert(a.end(), {"--set", k + "=" + v});
  return a;
}

pid_t start_point(const SweepPoint& p, const std::string& exe, const std::string& point_dir, int threads) {
  fs::create_directories(point_dir);
  const std::string log = (fs::path(point_dir) / "run.log").string();
  std::vector<std::string> args = point_command(p, exe, point_dir);
  std::vector<char*> argv;
  for (auto& s : args) argv.push_back(s.data());
  argv.push_back(nullptr);
  // The child's environment: ours, minus the MPI launcher's variables (the child is no MPI process),
  // with its thread count set so that parallel points do not oversubscribe the cores.
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) {
    std::string s(*e);
    if (s.rfind("OMP_NUM_THREADS=", 0) == 0 || s.rfind("OMPI_", 0) == 0 || s.rfind("PMIX_", 0) == 0 ||
        s.rfind("PMI_", 0) == 0)
      continue;
    env.push_back(s);
  }
  env.push_back("OMP_NUM_THREADS=" + std::to_string(std::max(1, threads)));
  env.push_back("OASIM_NO_PLOTS=1");
  std::vector<char*> envp;
  for (auto& s : env) envp.push_back(s.data());
  envp.push_back(nullptr);

  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&fa, STDOUT_FILENO, STDERR_FILENO);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, exe.c_str(), &fa, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) throw std::runtime_error(std::string("cannot start ") + exe + ": " + std::strerror(rc));
  return pid;
}

std::optional<std::map<std::string, double>> metrics_from_report(const std::string& report_json,
                                                                 const std::vector<std::string>& keep,
                                                                 std::string& error) {
  std::ifstream f(report_json);
  if (!f) {
    error = "no report.json was written";
    return std::nullopt;
  }
  json r;
  try {
    r = json::parse(f);
    // The long stream's summary, when the point ran one; the metrics table says where each value is.
    const std::string ls = (fs::path(report_json).parent_path() / "long_stream.json").string();
    json stream;
    if (path_exists(ls)) {
      std::ifstream lf(ls);
      stream = json::parse(lf);
    }
    const auto all = run::metrics_from_reports(r, path_exists(ls) ? &stream : nullptr);
    std::map<std::string, double> out;
    for (auto& k : keep) out[k] = all.at(k);
    return out;
  } catch (const std::exception& e) {
    error = std::string("unreadable report.json: ") + e.what();
    return std::nullopt;
  }
}

PointResult finish_point(const SweepPoint& p, const std::string& point_dir, int wait_status, double wall_s,
                         const std::vector<std::string>& keep) {
  PointResult r;
  r.index = p.index;
  r.design = p.design;
  r.seed = p.seed;
  r.values = p.values;
  r.wall_s = wall_s;
  const std::string log = (fs::path(point_dir) / "run.log").string();
  if (WIFSIGNALED(wait_status)) {
    r.error = "crashed (signal " + std::to_string(WTERMSIG(wait_status)) + ")";
    const std::string last = last_line_of(log);
    if (!last.empty()) r.error += ": " + last;
    return r;
  }
  const int code = WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : -1;
  if (code != 0) {
    r.error = "exit code " + std::to_string(code) + ": " + last_line_of(log);
    return r;
  }
  std::string err;
  auto m = metrics_from_report((fs::path(point_dir) / "report.json").string(), keep, err);
  if (!m) {
    r.error = err;
    return r;
  }
  r.metrics = *m;
  r.ok = true;
  return r;
}

std::string point_record_path(const std::string& out_dir, const SweepPoint& p) {
  return (fs::path(out_dir) / "points" / (p.id() + ".json")).string();
}

void write_point_record(const std::string& path, const PointResult& r, const std::string& fingerprint) {
  json j;
  j["sweep_fingerprint"] = fingerprint;
  j["index"] = r.index;
  j["design"] = r.design;
  j["seed"] = r.seed;
  json vals = json::array();
  for (auto& [k, v] : r.values) vals.push_back({k, v});
  j["values"] = vals;
  j["status"] = r.ok ? "ok" : "failed";
  j["error"] = r.error;
  json m = json::object();
  // Exact doubles survive the round trip as 17-digit text; NaN (no value) is stored as null.
  for (auto& [k, v] : r.metrics) m[k] = std::isnan(v) ? json(nullptr) : json(v);
  j["metrics"] = m;
  j["wall_s"] = r.wall_s;
  const std::string tmp = path + ".tmp";
  {
    std::ofstream f(tmp);
    f << j.dump(1) << "\n";
    if (!f) throw std::runtime_error("cannot write " + tmp);
  }
  fs::rename(tmp, path);  // atomic: a record is either absent or complete
}

std::optional<PointResult> read_point_record(const std::string& path, const std::string& fingerprint) {
  if (!path_exists(path)) return std::nullopt;
  std::ifstream f(path);
  json j;
  try {
    j = json::parse(f);
    if (j.at("sweep_fingerprint").get<std::string>() != fingerprint)
      fail_input("point record '{}' belongs to another sweep (fingerprint {}, this sweep {}); use another --out "
                 "folder or remove it", path, j.at("sweep_fingerprint").get<std::string>(), fingerprint);
    PointResult r;
    r.index = j.at("index").get<long>();
    r.design = j.at("design").get<long>();
    r.seed = j.at("seed").get<uint64_t>();
    for (auto& kv : j.at("values")) r.values.emplace_back(kv.at(0).get<std::string>(), kv.at(1).get<std::string>());
    r.ok = j.at("status").get<std::string>() == "ok";
    r.error = j.at("error").get<std::string>();
    for (auto& [k, v] : j.at("metrics").items())
      r.metrics[k] = v.is_null() ? std::numeric_limits<double>::quiet_NaN() : v.get<double>();
    r.wall_s = j.value("wall_s", 0.0);
    return r;
  } catch (const InputError&) {
    throw;
  } catch (const std::exception& e) {
    fail_input("point record '{}' is corrupt ({}); remove it to run the point again", path, e.what());
  }
}

std::string self_executable() {
  std::error_code ec;
  fs::path p = fs::read_symlink("/proc/self/exe", ec);
  if (ec) throw std::runtime_error("cannot find the running executable: " + ec.message());
  return p.string();
}

}  // namespace oasim::sweep
