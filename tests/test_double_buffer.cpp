// Double-buffered weight reloads (weight_plane.double_buffer) and the structures that cannot run. A reload of
// R and compute of C on the rewritten planes take R + C single-buffered and max(R, C) double-buffered (closed
// form, op by op and pipelined); the compiler gives the reload one plane more; a stack that holds no layer
// (no plane, or one plane that would have to alternate with itself) is refused before simulation, exit 2
// naming the key.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "models/components/hardware_config.hpp"
#include "sim/systemc/timing_engine.hpp"
#include "test_support.hpp"
#include "tests/shared_setups.hpp"
#include "workloads/compiler/compiler.hpp"

using namespace oasim;
using compiler::OpKind;
using compiler::Program;
using compiler::ProgramOp;

namespace {

// One 256 x 256 Linear on a rewritten plane, 64 vectors through it (no digital tail, no memory traffic), after a
// reload of `planes` planes.
Program reload_then_optical(int planes) {
  Program p;
  compiler::LinearMapping lm;
  lm.out_features = lm.in_features = 256;
  lm.row_tiles = lm.col_tiles = 1;
  lm.tiles = {0};
  p.linears.push_back(lm);
  compiler::Tile t;
  t.rows = t.cols = 256;
  t.plane = 1;
  t.resident = false;
  p.tiles.push_back(t);
  ProgramOp r;
  r.kind = OpKind::Reload;
  r.name = "weight reload";
  r.planes_reloaded = planes;
  p.ops.push_back(r);
  ProgramOp o;
  o.kind = OpKind::Optical;
  o.name = "linear";
  o.linear = 0;
  o.vectors = o.tokens = 64;
  p.ops.push_back(o);
  return p;
}

}  // namespace

TEST_CASE("double buffer: a reload R and compute C on its planes take R + C single-buffered, max(R, C) double-buffered",
          "[double_buffer][timing]") {
  config::HardwareConfig hw;
  Program p = reload_then_optical(3);
  Program compute_only = p;
  compute_only.ops.erase(compute_only.ops.begin());
  for (bool pipelined : {false, true}) {
    auto t = timing::TimingParams::from_config(hw);
    t.pipelined = pipelined;
    const double C = timing::simulate(compute_only, t).total_s;
    REQUIRE(C > 0);
    for (double ratio : {0.4, 3.0}) {  // reload shorter, then longer than the compute
      t.plane_program_s = ratio * C / 3;
      const double R = 3 * t.plane_program_s;
      INFO((pipelined ? "pipelined" : "op by op") << ": R " << R << " s, C " << C << " s");
      t.double_buffered_reloads = false;
      const auto single = timing::simulate(p, t);
      CHECK(single.total_s == Approx(R + C).epsilon(1e-9));
      CHECK(single.ops[1].start_s == Approx(R).epsilon(1e-9));
      t.double_buffered_reloads = true;
      const auto dbl = timing::simulate(p, t);
      CHECK(dbl.total_s == Approx(std::max(R, C)).epsilon(1e-9));
      CHECK(dbl.ops[1].start_s == 0);
      CHECK(dbl.reload_s == Approx(R).epsilon(1e-9));
    }
  }
}

TEST_CASE("double buffer: the compiler keeps one resident plane fewer and reloads one plane more per step",
          "[double_buffer][compiler]") {
  const auto mc = test::shipped_model_config();
  config::HardwareConfig hw;
  const int used = compiler::compile(mc, hw, 1).planes_used;
  REQUIRE(used >= 4);
  hw.weight_plane.planes = used / 2;
  const Program single = compiler::compile(mc, hw, 1);
  hw.weight_plane.double_buffer = 1;
  const Program dbl = compiler::compile(mc, hw, 1);
  CHECK(single.reloads_per_step == used - (used / 2 - 1));
  CHECK(dbl.reloads_per_step == single.reloads_per_step + 1);
  for (size_t i = 0; i < dbl.tiles.size(); ++i) {
    CHECK(single.tiles[i].resident == (single.tiles[i].plane < used / 2 - 1));
    CHECK(dbl.tiles[i].resident == (dbl.tiles[i].plane < used / 2 - 2));
  }
  // Timed. Op by op: single-buffered the reload (the first op) precedes everything, R + C; double-buffered it
  // runs alongside, max(R, C), C being the step without its reload. Pipelined: never longer than
  // single-buffered, never shorter than the reload.
  auto without_reload = [](Program q) {
    REQUIRE(q.ops.front().kind == OpKind::Reload);
    q.ops.erase(q.ops.begin());
    return q;
  };
  for (bool pipelined : {false, true}) {
    hw.structure.pipelining = pipelined;
    hw.weight_plane.double_buffer = 0;
    const auto ts = timing::TimingParams::from_config(hw);
    const auto s = timing::simulate(single, ts);
    hw.weight_plane.double_buffer = 1;
    const auto td = timing::TimingParams::from_config(hw);
    const auto d = timing::simulate(dbl, td);
    INFO((pipelined ? "pipelined" : "op by op") << ": single " << s.total_s << " s, double " << d.total_s << " s");
    CHECK(s.reload_s == Approx(single.reloads_per_step * ts.plane_program_s).epsilon(1e-9));
    CHECK(d.reload_s == Approx(dbl.reloads_per_step * td.plane_program_s).epsilon(1e-9));
    if (!pipelined) {
      CHECK(s.total_s == Approx(s.reload_s + timing::simulate(without_reload(single), ts).total_s).epsilon(1e-9));
      CHECK(d.total_s ==
            Approx(std::max(d.reload_s, timing::simulate(without_reload(dbl), td).total_s)).epsilon(1e-9));
    }
    CHECK(d.total_s <= s.total_s * (1 + 1e-9));
    CHECK(d.total_s >= d.reload_s * (1 - 1e-12));
  }
  // Below the model, one plane cannot alternate with itself.
  hw.weight_plane.planes = 1;
  CHECK_THROWS_WITH(compiler::compile(mc, hw, 1), Catch::Contains("weight_plane.planes"));
  hw.weight_plane.double_buffer = 0;
  CHECK(compiler::compile(mc, hw, 1).reloads_per_step == used);  // single-buffered, every tile through one plane
}

TEST_CASE("bad structure: a stack that holds no layer is refused by oasim compile --hw, exit 2 naming the key",
          "[double_buffer][cli]") {
  const auto dir = std::filesystem::temp_directory_path() / "oasim_test_no_core_fits";
  std::filesystem::create_directories(dir);
  auto write = [&](const std::string& name, const std::string& yaml) {
    const auto path = (dir / name).string();
    std::ofstream(path) << yaml;
    return path;
  };
  // No plane at all: no Linear fits on any core, whatever is reloaded.
  const auto none = test::run_oasim("compile --hw " + write("no-plane.yaml", "weight_plane:\n  planes: 0\n"));
  CHECK(none.code == 2);
  CHECK_THAT(none.out, Catch::Contains("weight_plane.planes"));
  // One plane, double-buffered: nothing to alternate with.
  const auto one = test::run_oasim("compile --hw " + write("one-plane.yaml", "weight_plane:\n  planes: 1\n  double_buffer: on\n"));
  CHECK(one.code == 2);
  CHECK_THAT(one.out, Catch::Contains("weight_plane.planes") && Catch::Contains("double_buffer"));
  // One plane, single-buffered: every tile cycles through it, so it runs.
  const auto reloads = test::run_oasim("compile --hw " + write("one-plane-reloaded.yaml", "weight_plane:\n  planes: 1\n"));
  CHECK(reloads.code == 0);
  // Zero cores.
  const auto no_core = test::run_oasim("compile --hw " + write("no-core.yaml", "cores:\n  optical: 0\n"));
  CHECK(no_core.code == 2);
  CHECK_THAT(no_core.out, Catch::Contains("cores.optical"));
  std::filesystem::remove_all(dir);
}
