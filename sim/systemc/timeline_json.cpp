#include "sim/systemc/timeline_json.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <tuple>

#include "sim/common/error.hpp"

namespace oasim::timing {

namespace {

const char* kind_name(compiler::OpKind k) {
  switch (k) {
    case compiler::OpKind::Optical: return "optical";
    case compiler::OpKind::Digital: return "digital";
    case compiler::OpKind::Reload: return "reload";
  }
  return "?";
}

}  // namespace

nlohmann::json timeline_json(const compiler::Program& program, const StepTiming& step) {
  using nlohmann::json;
  // Tracks in a fixed order (resource kind, then index), so the same step always gives the same file.
  std::map<std::pair<int, int>, std::vector<Activity>> tracks;
  for (const Activity& a : step.activities) tracks[{int(a.track), a.index}].push_back(a);
  json events = json::array();
  events.push_back({{"name", "process_name"}, {"ph", "M"}, {"pid", 1}, {"tid", 0},
                    {"args", {{"name", "oasim: one schedule step"}}}});
  int tid = 0;
  for (auto& [key, list] : tracks) {
    ++tid;
    events.push_back({{"name", "thread_name"}, {"ph", "M"}, {"pid", 1}, {"tid", tid},
                      {"args", {{"name", track_name(Track(key.first), key.second)}}}});
    events.push_back({{"name", "thread_sort_index"}, {"ph", "M"}, {"pid", 1}, {"tid", tid},
                      {"args", {{"sort_index", tid}}}});
    std::stable_sort(list.begin(), list.end(), [](const Activity& a, const Activity& b) { return a.start_s < b.start_s; });
    // Merge back-to-back blocks of the same op (a relative gap below 1e-9 is femtosecond rounding).
    std::vector<Activity> merged;
    for (const Activity& a : list) {
      if (!merged.empty()) {
        Activity& m = merged.back();
        const double end = m.start_s + m.dur_s;
        if (m.op == a.op && std::abs(a.start_s - end) <= 1e-9 * std::max(end, 1e-12)) {
          m.dur_s = a.start_s + a.dur_s - m.start_s;
          continue;
        }
      }
      merged.push_back(a);
    }
    for (const Activity& a : merged) {
      const bool known = a.op >= 0 && a.op < int(program.ops.size());
      const compiler::ProgramOp* op = known ? &program.ops[a.op] : nullptr;
      json e = {{"name", op ? op->name : std::string("?")},
                {"cat", op ? kind_name(op->kind) : "?"},
                {"ph", "X"},
                {"pid", 1},
                {"tid", tid},
                {"ts", a.start_s * 1e6},
                {"dur", a.dur_s * 1e6}};
      if (op) e["args"] = {{"op", a.op}, {"layer", op->layer}};
      events.push_back(std::move(e));
    }
  }
  return {{"traceEvents", std::move(events)},
          {"displayTimeUnit", "ns"},
          {"otherData", {{"step_s", step.total_s}, {"model_variant", program.model_variant}}}};
}

void write_timeline(const std::string& path, const compiler::Program& program, const StepTiming& step) {
  std::ofstream f(path);
  if (!f) fail_input("--timeline {}: cannot write this file (expected a writable path)", path);
  f << timeline_json(program, step).dump(1) << "\n";
  if (!f) fail_input("--timeline {}: writing failed", path);
}

}  // namespace oasim::timing
