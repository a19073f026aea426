// The dedicated SSM scan engine (scan_engine.*): scans move off the digital units onto the engines (time at
// the engine's lanes and clock, energy at its per-action table), the state round trip through SRAM goes
// when the engines hold every layer's state, an engine smaller than one state is refused naming the key,
// and count 0 changes nothing (the default design).
#include <catch2/catch.hpp>

#include <cmath>

#include "models/components/hardware_config.hpp"
#include "sim/common/error.hpp"
#include "sim/common/h5_file.hpp"
#include "sim/costing/program_cost.hpp"
#include "sim/systemc/timing_engine.hpp"
#include "workloads/compiler/compiler.hpp"
#include "tests/shared_setups.hpp"
#include "tests/test_support.hpp"
#include "workloads/videomamba/model_file.hpp"

using namespace oasim;

namespace {
double sum_scan_work(const compiler::Program& p, bool scan) {
  double w = 0;
  for (auto& op : p.ops)
    if (op.kind == compiler::OpKind::Digital && op.scan == scan) w += op.digital.total();
  return w;
}
}  // namespace

TEST_CASE("scan engine: scans run on it at its own rate, priced at its own energies", "[scan_engine]") {
  config::HardwareConfig base;
  config::HardwareConfig hw = base;
  hw.scan_engine.count = 1;
  hw.scan_engine.lanes = 512;
  hw.scan_engine.clock_ghz = 2;
  hw.scan_engine.state_kib = 1024;
  hw.scan_engine.energy_pj_per_mul = 0.14;
  const auto mc = test::shipped_model_config();
  const auto p0 = compiler::compile(mc, base, 1), p1 = compiler::compile(mc, hw, 1);
  REQUIRE(p0.ops.size() == p1.ops.size());
  int scans = 0;
  auto t1 = timing::TimingParams::from_config(hw);
  t1.record_activity = true;
  const auto s1 = timing::simulate(p1, t1);
  for (size_t i = 0; i < p1.ops.size(); ++i) {
    if (!p1.ops[i].scan) continue;
    ++scans;
    // Its own lanes and clock: ceil(lane-cycles / 512) at 0.5 ns.
    const auto& w = p1.ops[i].digital;
    const double cycles = std::ceil((w.adds + w.muls + 4 * w.nonlinear) / 512);
    CHECK(s1.ops[i].end_s - s1.ops[i].start_s >= cycles * 0.5e-9 * (1 - 1e-12));
  }
  CHECK(scans == 2 * mc.depth);
  double engine_busy = 0;
  for (auto& a : s1.activities)
    if (a.track == timing::Track::ScanEngine) engine_busy += a.dur_s;
  double expect = 0;
  for (auto& op : p1.ops)
    if (op.scan) expect += timing::scan_time_s(op.digital, t1);
  CHECK(engine_busy == Approx(expect).epsilon(1e-12));
  CHECK(s1.scan_busy_s == Approx(expect).epsilon(1e-12));
  // The digital unit no longer runs them: its busy time drops by exactly the scans' digital-unit time.
  const auto t0 = timing::TimingParams::from_config(base);
  const auto s0 = timing::simulate(p0, t0);
  double scans_on_unit = 0;
  for (auto& op : p0.ops)
    if (op.scan) scans_on_unit += timing::digital_time_s(op.digital, t0);
  CHECK(s1.digital_busy_s == Approx(s0.digital_busy_s - scans_on_unit).epsilon(1e-9));
  CHECK(s1.total_s < s0.total_s);
  // Energy: the scans' work moves from the digital unit's table to the engine's.
  const auto a0 = costing::program_actions(p0, base), a1 = costing::program_actions(p1, hw);
  CHECK(a1.scan_muls == Approx(a0.digital_muls - a1.digital_muls).epsilon(1e-12));
  CHECK(a1.scan_adds + a1.scan_muls + a1.scan_nonlinear == Approx(sum_scan_work(p1, true)).epsilon(1e-12));
  CHECK(a0.scan_adds + a0.scan_muls + a0.scan_nonlinear == 0);
  // Every layer's state fits the engine: no state bytes kept in SRAM, less SRAM traffic.
  CHECK(p1.buffers.state_bytes == 0);
  CHECK(p0.buffers.state_bytes > 0);
  CHECK(a1.sram_bits_read + a1.sram_bits_written < a0.sram_bits_read + a0.sram_bits_written);
}

TEST_CASE("scan engine: the state stays in SRAM unless the engines hold every layer's", "[scan_engine]") {
  config::HardwareConfig hw;
  hw.scan_engine.count = 2;
  const auto mc = test::shipped_model_config();
  const double one_state_kib = double(mc.d_inner()) * (mc.d_state + mc.d_conv - 1) * 4 / 1024.0;
  hw.scan_engine.state_kib = one_state_kib;  // one layer's state each: 2 of 8
  const auto some = compiler::compile(mc, hw, 1);
  CHECK(some.buffers.state_bytes == Approx(mc.depth * one_state_kib * 1024));
  hw.scan_engine.state_kib = one_state_kib * mc.depth / 2;
  CHECK(compiler::compile(mc, hw, 1).buffers.state_bytes == 0);
  hw.scan_engine.state_kib = one_state_kib * 0.99;
  CHECK_THROWS_WITH(compiler::compile(mc, hw, 1), Catch::Contains("scan_engine.state_kib") &&
                                                      Catch::Contains("less than one layer's recurrent state"));
}

TEST_CASE("scan engine: none (count 0) is the default design, to the femtosecond", "[scan_engine]") {
  config::HardwareConfig hw;
  REQUIRE(hw.scan_engine.count == 0);
  hw.scan_engine.lanes = 4096;  // ignored without engines
  const auto s = timing::simulate(compiler::compile(test::shipped_model_config(), hw, 1), timing::TimingParams::from_config(hw));
  CHECK(s.total_s == 0.00030980370000000001);
  CHECK(s.scan_busy_s == 0);
}

TEST_CASE("scan engine: oasim refuses an engine smaller than one state before simulating, exit 2 naming the key",
          "[scan_engine][cli]") {
  const auto r = test::run_oasim("compile --set scan_engine.count=1 --set scan_engine.state_kib=1");
  CHECK(r.code == 2);
  CHECK_THAT(r.out, Catch::Contains("scan_engine.state_kib") && Catch::Contains("one layer's recurrent state"));
  const auto too_many = test::run_oasim("compile --set scan_engine.count=17 --set scan_engine.state_kib=64");
  CHECK(too_many.code == 2);
  CHECK_THAT(too_many.out, Catch::Contains("scan_engine.count"));
}
