// Timelines (`oasim run --timeline FILE.json`): the default run's step as Chrome/Perfetto trace-event JSON.
// The schema the viewers need (a traceEvents array; complete events with name/ph/ts/dur/pid/tid; named
// tracks), one serial resource per track (no two events of a track overlap), and the events span exactly
// the simulated step: from 0 to StepTiming::total_s.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "sim/common/h5_file.hpp"
#include "sim/systemc/timeline_json.hpp"
#include "test_support.hpp"
#include "workloads/compiler/compiler.hpp"
#include "workloads/videomamba/model_file.hpp"

using namespace oasim;
using nlohmann::json;

namespace {

// Checks the trace-event schema and returns the span of its complete events in microseconds.
double check_trace(const json& j) {
  REQUIRE(j.is_object());
  REQUIRE(j.contains("traceEvents"));
  REQUIRE(j["traceEvents"].is_array());
  std::map<int, std::vector<std::pair<double, double>>> per_track;
  std::set<int> named;
  double first = 1e300, last = 0;
  for (const json& e : j["traceEvents"]) {
    REQUIRE(e.contains("ph"));
    REQUIRE(e.contains("pid"));
    REQUIRE(e.contains("tid"));
    REQUIRE(e.contains("name"));
    REQUIRE(e["name"].is_string());
    const std::string ph = e["ph"];
    if (ph == "M") {
      if (e["name"] == "thread_name") {
        REQUIRE(e["args"]["name"].is_string());
        named.insert(e["tid"].get<int>());
      }
      continue;
    }
    REQUIRE(ph == "X");
    REQUIRE(e["ts"].is_number());
    REQUIRE(e["dur"].is_number());
    const double ts = e["ts"], dur = e["dur"];
    CHECK(ts >= 0);
    CHECK(dur > 0);
    per_track[e["tid"].get<int>()].push_back({ts, ts + dur});
    first = std::min(first, ts);
    last = std::max(last, ts + dur);
  }
  REQUIRE(per_track.size() >= 4);  // modulators, ADC bank, digital unit, SRAM at least
  for (auto& [tid, list] : per_track) {
    CHECK(named.count(tid) == 1);
    std::sort(list.begin(), list.end());
    for (size_t i = 1; i < list.size(); ++i) {
      INFO("track " << tid << " event " << i);
      CHECK(list[i].first >= list[i - 1].second - 1e-9 * list[i - 1].second);
    }
  }
  CHECK(first == Approx(0).margin(1e-6));
  return last;
}

}  // namespace

TEST_CASE("timeline: the default step as valid trace-event JSON spanning the step time", "[timeline]") {
  config::HardwareConfig hw;
  const auto model = videomamba::read_model_config(
      h5::Reader(std::string(OASIM_SOURCE_DIR) + "/models/videomamba-stream-mfm.h5"));
  const auto program = compiler::compile(model, hw, 1);
  for (int cores : {1, 2}) {
    hw.structure.optical_cores = hw.structure.digital_units = hw.structure.sram_banks = cores;
    auto t = timing::TimingParams::from_config(hw);
    t.record_activity = true;
    const auto step = timing::simulate(program, t);
    INFO("cores " << cores);
    const json j = json::parse(timing::timeline_json(program, step).dump());
    CHECK(check_trace(j) == Approx(step.total_s * 1e6).epsilon(1e-9));
  }
}

TEST_CASE("timeline: oasim run --timeline writes it, an unwritable path exits 2", "[timeline][cli]") {
  const auto dir = std::filesystem::temp_directory_path() / "oasim_timeline_test";
  std::filesystem::create_directories(dir);
  const std::string file = (dir / "step.json").string();
  const std::string base = "run --data random --clips 1 --fp32-only -o " + dir.string();
  auto r = test::run_oasim(base + " --timeline " + file);
  REQUIRE(r.code == 0);
  CHECK_THAT(r.out, Catch::Contains("wrote timeline"));
  std::ifstream f(file);
  REQUIRE(f.good());
  const json j = json::parse(f);
  CHECK(check_trace(j) == Approx(j["otherData"]["step_s"].get<double>() * 1e6).epsilon(1e-9));
  auto bad = test::run_oasim(base + " --timeline /nonexistent/dir/step.json");
  CHECK(bad.code == 2);
  CHECK_THAT(bad.out, Catch::Contains("/nonexistent/dir/step.json"));
}
