// Sweeps: the YAML file is validated whole (errors name file, line, key), axes expand in a fixed
// order, the Pareto front is right, point records round-trip exactly, and shards partition the points.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "sim/common/error.hpp"
#include "sim/sweep/sweep_results.hpp"
#include "sim/sweep/sweep_runner.hpp"

using namespace oasim;
using namespace oasim::sweep;
namespace fs = std::filesystem;

namespace {

std::string write_sweep(const std::string& name, const std::string& text) {
  fs::path dir = fs::temp_directory_path() / "oasim-test-sweep";
  fs::create_directories(dir);
  fs::path p = dir / name;
  std::ofstream(p) << text;
  return p.string();
}

const char* kBase = "base:\n  hw: configs/hw/default.yaml\n  model: models/videomamba-stream-mfm.h5\n  clips: 2\n";

std::string error_of(const std::string& path) {
  try {
    expand_points(load_sweep(path));
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("sweep: cartesian axes x seeds expand design-major, last axis fastest", "[sweep]") {
  auto path = write_sweep("cart.yaml", std::string("name: t\n") + kBase +
                                           "axes:\n  adc.bits: [6, 8]\n  modulator.symbol_rate_ghz: [5, 10, 20]\n"
                                           "seeds: [3, 4]\n");
  SweepSpec s = load_sweep(path);
  auto pts = expand_points(s);
  REQUIRE(pts.size() == 12);
  CHECK(pts[0].values == std::vector<std::pair<std::string, std::string>>{{"adc.bits", "6"}, {"modulator.symbol_rate_ghz", "5"}});
  CHECK(pts[0].seed == 3);
  CHECK(pts[1].seed == 4);
  CHECK(pts[1].design == 0);
  CHECK(pts[2].values[1].second == "10");
  CHECK(pts[6].values[0].second == "8");
  CHECK(pts[11].design == 5);
  CHECK(pts[11].id() == "p0011");
  CHECK(s.metrics == known_metrics());
}

TEST_CASE("sweep: zip pairs values, ranges by step and by count (log)", "[sweep]") {
  auto path = write_sweep("zip.yaml", std::string(kBase) +
                                          "combine: zip\naxes:\n  adc.bits: {from: 4, to: 8, step: 2}\n"
                                          "  laser.power_mw: {from: 1, to: 100, count: 3, scale: log}\n"
                                          "seeds: {count: 2}\n");
  SweepSpec s = load_sweep(path);
  CHECK(s.axes[0].values == std::vector<std::string>{"4", "6", "8"});
  CHECK(s.axes[1].values == std::vector<std::string>{"1", "10", "100"});
  CHECK(s.seeds == std::vector<uint64_t>{1, 2});
  auto pts = expand_points(s);
  REQUIRE(pts.size() == 6);
  CHECK(pts[2].values[0].second == "6");
  CHECK(pts[2].values[1].second == "10");
  CHECK(s.name == "zip");  // defaults to the file's stem
}

TEST_CASE("sweep: run settings are axes too and reach the point's run", "[sweep]") {
  auto path = write_sweep("run.yaml", std::string(kBase) + "axes:\n  clips: [1, 3]\n");
  auto pts = expand_points(load_sweep(path));
  REQUIRE(pts.size() == 2);
  CHECK(pts[1].run.clips == 3);
  CHECK(pts[1].sets.empty());
}

TEST_CASE("sweep: bad files are refused before anything runs, naming file, line and key", "[sweep]") {
  struct Case {
    const char* name;
    std::string text;
    std::vector<std::string> expect;
  };
  std::vector<Case> cases = {
      {"unknown_axis", std::string(kBase) + "axes:\n  adc.bitz: [4]\n", {"unknown_axis.yaml:6", "adc.bitz"}},
      {"empty_axis", std::string(kBase) + "axes:\n  adc.bits: []\n", {"empty_axis.yaml:6", "no values"}},
      {"no_axes", std::string(kBase), {"no 'axes'"}},
      {"bad_value", std::string(kBase) + "axes:\n  adc.bits: [8, 40]\n", {"design point 1", "adc.bits", "40"}},
      {"bad_range", std::string(kBase) + "axes:\n  adc.bits: {from: 8, to: 4, step: 2}\n", {"never reaches"}},
      {"zip_len", std::string(kBase) + "combine: zip\naxes:\n  adc.bits: [4, 6]\n  adc.count: [1]\n", {"equal length"}},
      {"metric", std::string(kBase) + "axes:\n  adc.bits: [4]\nmetrics: [speed]\n", {"metric.yaml:7", "unknown metric 'speed'"}},
      {"top_key", std::string(kBase) + "axes:\n  adc.bits: [4]\nsweeps: 3\n", {"top_key.yaml:7", "unknown key 'sweeps'"}},
      {"syntax", std::string(kBase) + "axes:\n  adc.bits: [4\n", {"syntax.yaml", "YAML syntax error"}},
      {"model", "base:\n  model: nowhere.h5\naxes:\n  adc.bits: [4]\n", {"nowhere.h5", "does not exist"}},
      {"dup_seed", std::string(kBase) + "axes:\n  adc.bits: [4]\nseeds: [1, 1]\n", {"dup_seed.yaml:7", "repeated"}},
      {"cross_key", std::string(kBase) + "axes:\n  modulator.channels: [64]\n", {"modulator.channels"}},
      {"goal", std::string(kBase) + "axes:\n  adc.bits: [4]\nobjectives: {area_mm2: smallest}\n",
       {"goal.yaml:7", "area_mm2", "expected max or min"}},
      {"objective_metric", std::string(kBase) + "axes:\n  adc.bits: [4]\nmetrics: [frames_per_s]\nobjectives: {area_mm2: min}\n",
       {"objective_metric.yaml:8", "'area_mm2' is not a metric of this sweep"}},
  };
  for (auto& c : cases) {
    INFO(c.name);
    const std::string err = error_of(write_sweep(std::string(c.name) + ".yaml", c.text));
    REQUIRE_FALSE(err.empty());
    for (auto& e : c.expect) CHECK_THAT(err, Catch::Contains(e));
  }
}

TEST_CASE("sweep: Pareto front over design means", "[sweep]") {
  auto row = [](long design, double acc, double energy, double fps, bool ok = true) {
    PointResult r;
    r.design = design;
    r.ok = ok;
    r.metrics = {{"optical_top1", acc}, {"energy_per_frame_uj", energy}, {"frames_per_s", fps}};
    return r;
  };
  std::vector<PointResult> rows = {
      row(0, 0.80, 100, 1000), row(0, 0.84, 100, 1000),  // mean 0.82
      row(1, 0.81, 100, 1000),                           // dominated by 0 (lower accuracy, same rest)
      row(2, 0.70, 50, 1000),                            // cheapest: on the front
      row(3, 0.60, 60, 900),                             // dominated by 2
      row(4, 0.95, 200, 5000, false),                    // failed: never on the front
  };
  auto obj = default_objectives({"optical_top1", "energy_per_frame_uj", "frames_per_s"});
  REQUIRE(obj.size() == 3);
  auto front = pareto_designs(rows, 5, obj);
  CHECK(front == std::vector<bool>{true, false, true, false, false});
}

TEST_CASE("sweep: point records round-trip exactly and refuse another sweep's folder", "[sweep]") {
  fs::path dir = fs::temp_directory_path() / "oasim-test-sweep-rec";
  fs::remove_all(dir);
  fs::create_directories(dir);
  PointResult r;
  r.index = 7;
  r.design = 3;
  r.seed = 2;
  r.values = {{"adc.bits", "6"}};
  r.ok = true;
  r.metrics = {{"optical_top1", 0.1 + 0.2}, {"energy_per_frame_uj", 104.19883328000001}, {"min_sqnr_db", NAN}};
  const std::string p = (dir / "p0007.json").string();
  write_point_record(p, r, "abc");
  auto back = read_point_record(p, "abc");
  REQUIRE(back);
  CHECK(back->metrics.at("optical_top1") == 0.1 + 0.2);  // bit-exact
  CHECK(back->metrics.at("energy_per_frame_uj") == 104.19883328000001);
  CHECK(std::isnan(back->metrics.at("min_sqnr_db")));
  CHECK(back->values == r.values);
  CHECK_THROWS_WITH(read_point_record(p, "other"), Catch::Contains("another sweep"));
  std::ofstream((dir / "bad.json").string()) << "{\"index\": ";
  CHECK_THROWS_WITH(read_point_record((dir / "bad.json").string(), "abc"), Catch::Contains("corrupt"));
}

TEST_CASE("sweep: shards partition the points, bad shard specs are refused", "[sweep]") {
  Shard a = parse_shard("0/3"), b = parse_shard("1/3"), c = parse_shard("2/3");
  for (long i = 0; i < 20; ++i) {
    SweepPoint p;
    p.index = i;
    CHECK(int(a.owns(p)) + int(b.owns(p)) + int(c.owns(p)) == 1);
  }
  for (const char* bad : {"3/3", "1", "a/b", "-1/2", "1/0", "1/2x"}) {
    INFO(bad);
    CHECK_THROWS_AS(parse_shard(bad), InputError);
  }
}

TEST_CASE("sweep: results.csv quotes errors and keeps exact numbers", "[sweep]") {
  SweepSpec s;
  s.name = "t";
  s.axes = {{"adc.bits", {"6"}, 1}};
  s.metrics = {"optical_top1", "energy_per_frame_uj", "frames_per_s"};
  PointResult ok, bad;
  ok.index = 0;
  ok.values = {{"adc.bits", "6"}};
  ok.ok = true;
  ok.metrics = {{"optical_top1", 0.3}, {"energy_per_frame_uj", 1.5}, {"frames_per_s", 10}};
  bad.index = 1;
  bad.design = 0;
  bad.values = {{"adc.bits", "6"}};
  bad.error = "exit code 2: bad, \"quoted\"";
  auto t = make_table(s, "fp", {bad, ok}, 1);
  const std::string path = (fs::temp_directory_path() / "oasim-test-results.csv").string();
  write_csv(t, path);
  std::ifstream f(path);
  std::string header, l1, l2;
  std::getline(f, header);
  std::getline(f, l1);
  std::getline(f, l2);
  CHECK(header == "point,design,seed,adc.bits,status,optical_top1,energy_per_frame_uj,frames_per_s,pareto,error");
  CHECK(l1 == "0,0,0,6,ok,0.29999999999999999,1.5,10,0,");  // the design has a failed seed: off the front
  CHECK(l2 == "1,0,0,6,failed,,,,0,\"exit code 2: bad, \"\"quoted\"\"\"");
}

TEST_CASE("sweep: objectives from the file, area among them, unmeasured metrics leave the table", "[sweep]") {
  const std::string path = write_sweep("objectives.yaml", std::string(kBase) +
                                                              "axes:\n  digital.lanes: [64, 1024]\n"
                                                              "objectives: {area_mm2: min, frames_per_s: max}\n");
  SweepSpec s = load_sweep(path);
  REQUIRE(s.objectives.size() == 2);
  CHECK(s.objectives[0] == std::pair<std::string, bool>{"area_mm2", false});
  auto row = [](long design, double area, double fps) {
    PointResult r;
    r.index = design;
    r.design = design;
    r.ok = true;
    r.values = {{"digital.lanes", design ? "1024" : "64"}};
    r.metrics = {{"area_mm2", area}, {"frames_per_s", fps}, {"stream_last_optical_top1", NAN}};
    return r;
  };
  // Small and slow vs large and fast: each wins one objective, both are on the front.
  auto t = make_table(s, "fp", {row(0, 69.5, 814), row(1, 74.3, 12219)}, 2);
  CHECK(t.pareto == std::vector<bool>{true, true});
  REQUIRE(t.objectives.size() == 2);
  CHECK(t.objectives[0].metric == "area_mm2");
  CHECK_FALSE(t.objectives[0].maximise);
  // The long-stream metric was measured by no point: not a column.
  CHECK(std::find(t.metrics.begin(), t.metrics.end(), "stream_last_optical_top1") == t.metrics.end());
  CHECK(std::find(t.metrics.begin(), t.metrics.end(), "area_mm2") != t.metrics.end());
  // The same rows ranked by frames/s alone put only the fast design on the front.
  s.objectives = {{"frames_per_s", true}};
  CHECK(make_table(s, "fp", {row(0, 69.5, 814), row(1, 74.3, 12219)}, 2).pareto == std::vector<bool>{false, true});
}
