#include "sim/sweep/sweep_runner.hpp"

#include <fmt/format.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "sim/common/error.hpp"
#include "sim/common/output_paths.hpp"
#include "sim/common/path_checks.hpp"

namespace oasim::sweep {
namespace fs = std::filesystem;

Shard parse_shard(const std::string& text) {
  Shard s;
  auto slash = text.find('/');
  try {
    if (slash != std::string::npos) {
      size_t u1 = 0, u2 = 0;
      s.index = std::stol(text.substr(0, slash), &u1);
      s.count = std::stol(text.substr(slash + 1), &u2);
      if (u1 == slash && u2 == text.size() - slash - 1 && s.count >= 1 && s.index >= 0 && s.index < s.count)
        return s;
    }
  } catch (const std::exception&) {
  }
  fail_input("--shard '{}': expected I/N with 0 <= I < N (e.g. 0/4; Slurm: $SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT)",
             text);
}

void check_out_dir(const std::string& fingerprint, const std::string& out_dir) {
  if (path_exists(out_dir) && !is_folder(out_dir))
    fail_input("--out '{}' is a file, expected a folder (or a path where one can be created)", out_dir);
  const fs::path meta = fs::path(out_dir) / "sweep.json";
  if (!path_exists(meta)) return;
  if (is_folder(meta)) fail_input("'{}' is a directory; remove it or choose another --out", meta.string());
  std::ifstream f(meta);
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(f);
  } catch (const std::exception& e) {
    fail_input("'{}' is corrupt ({}); remove the folder or choose another --out", meta.string(), e.what());
  }
  const std::string old = j.is_object() ? j.value("fingerprint", "") : "";
  if (old != fingerprint)
    fail_input("'{}' holds the results of a different sweep ('{}', fingerprint {}; this one is {}): choose "
               "another --out folder or remove it",
               out_dir, j.is_object() ? j.value("name", "?") : "?", old, fingerprint);
}

void lock_out_dir(const std::string& out_dir, const Shard& shard) {
  const std::string name = shard.count == 1 ? "sweep.lock" : fmt::format("sweep.lock.{}-of-{}", shard.index, shard.count);
  const std::string path = (fs::path(out_dir) / name).string();
  // Kept open (never closed) on purpose: the lock lasts as long as this process, and the kernel releases
  // it when the process ends, even when killed, so an interrupted sweep can always be resumed.
  const int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) fail_input("cannot create the lock file '{}': {}", path, std::strerror(errno));
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    close(fd);
    if (err == EWOULDBLOCK)
      fail_input("'{}' is in use by another `oasim sweep` (lock '{}' is held); wait for it to finish, or choose "
                 "another --out",
                 out_dir, path);
    fail_input("cannot lock '{}': {}", path, std::strerror(err));
  }
}

void prepare_out_dir(const SweepSpec& spec, const std::vector<SweepPoint>& points, const std::string& fingerprint,
                     const std::string& out_dir) {
  check_out_dir(fingerprint, out_dir);
  ensure_output_dir((fs::path(out_dir) / "points").string(), "--out");
  const fs::path meta = fs::path(out_dir) / "sweep.json";
  if (path_exists(meta)) return;  // check_out_dir has read it: this sweep's own folder, being resumed
  nlohmann::json j = {{"name", spec.name}, {"sweep_file", spec.path}, {"fingerprint", fingerprint},
                      {"points", points.size()}};
  const std::string tmp = meta.string() + ".tmp";
  std::ofstream(tmp) << j.dump(1) << "\n";
  fs::rename(tmp, meta);
}

RunPointsSummary run_points(const SweepSpec& spec, const std::vector<SweepPoint>& points,
                            const std::string& fingerprint, const RunPointsOptions& opt) {
  using Clock = std::chrono::steady_clock;
  RunPointsSummary sum;
  std::vector<const SweepPoint*> todo;
  for (auto& p : points) {
    if (!opt.shard.owns(p)) continue;
    ++sum.owned;
    auto rec = read_point_record(point_record_path(opt.out_dir, p), fingerprint);
    if (rec && (rec->ok || !opt.retry_failed)) {
      ++sum.skipped;
      continue;
    }
    todo.push_back(&p);
  }
  if (sum.skipped)
    std::fprintf(stderr, "%ssweep: %ld of %ld points already done (resuming)\n", opt.log_prefix.c_str(), sum.skipped,
                 sum.owned);

  struct Running {
    const SweepPoint* point;
    Clock::time_point start;
  };
  std::map<pid_t, Running> running;
  size_t next = 0;
  const auto t0 = Clock::now();
  long done = 0;
  while (next < todo.size() || !running.empty()) {
    while (next < todo.size() && int(running.size()) < std::max(1, opt.jobs)) {
      const SweepPoint* p = todo[next++];
      const std::string dir = (fs::path(opt.out_dir) / "points" / p->id()).string();
      pid_t pid = start_point(*p, opt.exe, dir, opt.threads_per_point);
      running[pid] = {p, Clock::now()};
    }
    int status = 0;
    pid_t pid = waitpid(-1, &status, 0);
    if (pid < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error("waitpid failed while running sweep points");
    }
    auto it = running.find(pid);
    if (it == running.end()) continue;  // not one of ours
    const SweepPoint& p = *it->second.point;
    const double wall = std::chrono::duration<double>(Clock::now() - it->second.start).count();
    running.erase(it);
    const std::string dir = (fs::path(opt.out_dir) / "points" / p.id()).string();
    PointResult r = finish_point(p, dir, status, wall, spec.metrics);
    write_point_record(point_record_path(opt.out_dir, p), r, fingerprint);
    ++sum.ran;
    ++done;
    if (!r.ok) ++sum.failed;
    // Progress: one line per finished point (also readable in CI logs), with an estimate of what is left.
    const double elapsed = std::chrono::duration<double>(Clock::now() - t0).count();
    const double eta = elapsed / double(done) * double(todo.size() - size_t(done));
    std::string vals;
    for (auto& [k, v] : p.values) vals += fmt::format("{}{}={}", vals.empty() ? "" : " ", k, v);
    std::fprintf(stderr, "%s", fmt::format("{}sweep: {:>4}/{} {} seed {} {} {:.1f} s{}  (left ~{:.0f} s)\n",
                                           opt.log_prefix, done, todo.size(), p.id(), p.seed, vals, wall,
                                           r.ok ? "" : "  FAILED: " + r.error, eta)
                                   .c_str());
  }
  return sum;
}

std::vector<PointResult> collect_records(const std::vector<SweepPoint>& points, const std::string& fingerprint,
                                         const std::string& out_dir, std::vector<std::string>& missing) {
  std::vector<PointResult> rows;
  for (auto& p : points) {
    auto rec = read_point_record(point_record_path(out_dir, p), fingerprint);
    if (rec) rows.push_back(*rec);
    else missing.push_back(p.id());
  }
  return rows;
}

}  // namespace oasim::sweep
