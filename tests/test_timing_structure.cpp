// Structure and mapping (cores.optical / cores.digital / cores.sram_banks): the single-core default
// reproduces the timing every earlier number was computed on, to the femtosecond (goldens printed by the
// engine before the structure existed, at commit 9a2185d, with %.17g so they round-trip exactly), and the
// makespan of a placed program respects the analytic bounds: at least every serial resource's busy time,
// equal to the bottleneck's where one resource carries all the work. Static power and area scale with
// the core count; a structure that cannot run is refused naming its key.
#include <catch2/catch.hpp>

#include <map>

#include "models/components/hardware_config.hpp"
#include "models/components/hardware_config_io.hpp"
#include "models/energy/energy_model.hpp"
#include "sim/common/error.hpp"
#include "sim/common/h5_file.hpp"
#include "sim/costing/program_cost.hpp"
#include "sim/systemc/timing_engine.hpp"
#include "workloads/compiler/compiler.hpp"
#include "tests/shared_setups.hpp"
#include "workloads/videomamba/model_file.hpp"

using namespace oasim;
using compiler::OpKind;
using compiler::Program;
using compiler::ProgramOp;

namespace {

videomamba::ModelConfig ti_stream() {
  videomamba::ModelConfig c;
  c.variant = videomamba::Variant::Stream;
  return c;  // defaults are VideoMamba-Ti's sizes
}

double op_time_sum(const timing::StepTiming& s) {
  double v = 0;
  for (auto& o : s.ops) v += o.start_s + o.end_s;
  return v;
}

// Busy seconds per serial resource (track kind, index), from the recorded activity.
std::map<std::pair<int, int>, double> busy_per_resource(const timing::StepTiming& s) {
  std::map<std::pair<int, int>, double> b;
  for (auto& a : s.activities) b[{int(a.track), a.index}] += a.dur_s;
  return b;
}

ProgramOp digital_op(double muls, int group = -1, int lane = 0) {
  ProgramOp op;
  op.kind = OpKind::Digital;
  op.name = "d";
  op.digital.muls = muls;
  op.stream_group = group;
  op.lane = lane;
  return op;
}

}  // namespace

TEST_CASE("structure: one core, one unit, one bank reproduces the pre-structure timing to the femtosecond",
          "[timing_structure]") {
  config::HardwareConfig hw;  // the shipped default design: cores.optical = cores.digital = 1
  REQUIRE(hw.structure.optical_cores == 1);
  const auto t = timing::TimingParams::from_config(hw);
  const auto shipped = timing::simulate(compiler::compile(test::shipped_model_config(), hw, 1), t);
  const auto ti = timing::simulate(compiler::compile(ti_stream(), hw, 1), t);
  CHECK(shipped.ops.size() == 109);
  CHECK(ti.ops.size() == 317);
  CHECK(shipped.total_s == 0.00030980370000000001);
  CHECK(ti.total_s == 0.0028155689000000004);
  CHECK(op_time_sum(shipped) == 0.032670218899999992);
  CHECK(op_time_sum(ti) == 0.88316653570000081);
  CHECK(shipped.ops[5].end_s == 2.3849000000000002e-06);
  CHECK(ti.ops[9].end_s == 1.3012500000000001e-05);
  // Recording the activity changes no time.
  auto tr = t;
  tr.record_activity = true;
  CHECK(timing::simulate(compiler::compile(ti_stream(), hw, 1), tr).total_s == ti.total_s);
}

TEST_CASE("structure: makespan >= every resource's busy time, on 1 and 2 cores", "[timing_structure]") {
  for (int n : {1, 2}) {
    config::HardwareConfig hw;
    hw.structure.optical_cores = hw.structure.digital_units = hw.structure.sram_banks = n;
    auto t = timing::TimingParams::from_config(hw);
    t.record_activity = true;
    const auto s = timing::simulate(compiler::compile(ti_stream(), hw, 1), t);
    INFO("cores " << n);
    const auto busy = busy_per_resource(s);
    REQUIRE(busy.size() >= 4);
    for (auto& [key, b] : busy) CHECK(b <= s.total_s * (1 + 1e-12));
    // Work conservation: what the resources did is the same on any structure.
    double digital = 0;
    for (auto& [key, b] : busy)
      if (key.first == int(timing::Track::Digital)) digital += b;
    CHECK(digital == Approx(s.digital_busy_s * n).epsilon(1e-9));  // digital_busy_s is per unit
    if (n == 2) {  // both digital units and both cores worked (the two scan directions)
      CHECK(busy.count({int(timing::Track::Digital), 1}) == 1);
      CHECK(busy.count({int(timing::Track::Modulators), 1}) == 1);
    }
  }
}

TEST_CASE("structure: two digital units run the two scan directions concurrently", "[timing_structure]") {
  Program p;
  const double per_lane_muls = 256.0 * 1000;  // 1000 cycles of 256 lanes = 1 us at 1 GHz
  p.ops.push_back(digital_op(per_lane_muls));           // sequential prologue
  p.ops.push_back(digital_op(per_lane_muls, 0, 0));     // lane 0
  p.ops.push_back(digital_op(per_lane_muls, 0, 0));
  p.ops.push_back(digital_op(per_lane_muls, 0, 1));     // lane 1
  p.ops.push_back(digital_op(per_lane_muls, 0, 1));
  config::HardwareConfig hw;
  auto one = timing::TimingParams::from_config(hw);
  const double unit = 1e-6;
  // One unit: the single bottleneck carries everything, makespan = its work.
  CHECK(timing::simulate(p, one).total_s == Approx(5 * unit).epsilon(1e-12));
  hw.structure.digital_units = 2;
  auto two = timing::TimingParams::from_config(hw);
  two.record_activity = true;
  const auto s = timing::simulate(p, two);
  // Two units: prologue + the longer lane (2 us each), the busiest unit's work exactly.
  CHECK(s.total_s == Approx(3 * unit).epsilon(1e-12));
  const auto busy = busy_per_resource(s);
  CHECK(busy.at({int(timing::Track::Digital), 0}) == Approx(3 * unit).epsilon(1e-12));
  CHECK(busy.at({int(timing::Track::Digital), 1}) == Approx(2 * unit).epsilon(1e-12));
}

TEST_CASE("structure: an ADC-bound optical op streams at the ADC bank's rate", "[timing_structure]") {
  // One Linear of 256 x 256 on one 256 x 256 tile, 1600 vectors = 100 blocks. One ADC makes the ADC
  // bank the single bottleneck: makespan between its work and its work plus one block of the other stages.
  config::HardwareConfig hw;
  hw.adc.count = 1;
  Program p;
  compiler::LinearMapping lm;
  lm.name = "l";
  lm.out_features = lm.in_features = 256;
  compiler::Tile tile;
  tile.rows = tile.cols = 256;
  lm.tiles = {0};
  p.tiles.push_back(tile);
  p.linears.push_back(lm);
  ProgramOp op;
  op.kind = OpKind::Optical;
  op.name = "l";
  op.linear = 0;
  op.vectors = 1600;
  op.digital.adds = 1600.0 * 256;
  p.ops.push_back(op);
  auto t = timing::TimingParams::from_config(hw);
  t.record_activity = true;
  const auto st = timing::optical_stage_times(p, op, t);
  REQUIRE(st.convert_s > st.modulate_s);
  REQUIRE(st.convert_s > st.digital_s);
  const auto s = timing::simulate(p, t);
  const double adc_work = st.blocks * st.convert_s;
  CHECK(s.total_s >= adc_work * (1 - 1e-12));
  CHECK(s.total_s <= (adc_work + st.modulate_s + st.digital_s) * (1 + 1e-12));
  CHECK(busy_per_resource(s).at({int(timing::Track::Adcs), 0}) == Approx(adc_work).epsilon(1e-12));
}

TEST_CASE("structure: static power and area scale with the core count", "[timing_structure]") {
  config::HardwareConfig one;
  config::HardwareConfig two = one;
  two.structure.optical_cores = 2;
  two.structure.digital_units = 2;
  double a1 = 0, a2 = 0, adc1 = 0, adc2 = 0, sram1 = 0, sram2 = 0;
  for (auto& e : costing::area_of(one)) {
    a1 += e.mm2;
    if (e.component == "ADC") adc1 = e.mm2;
    if (e.component == "SRAM") sram1 = e.mm2;
  }
  for (auto& e : costing::area_of(two)) {
    a2 += e.mm2;
    if (e.component == "ADC") adc2 = e.mm2;
    if (e.component == "SRAM") sram2 = e.mm2;
  }
  CHECK(adc2 == Approx(2 * adc1));
  CHECK(sram2 == Approx(sram1));  // one shared SRAM (banked, same capacity)
  CHECK(a2 > a1);
  const double w1 = energy::ungated_static_power_w(one), w2 = energy::ungated_static_power_w(two);
  const double controller = one.controller.static_mw * 1e-3;
  const double sram_leak = one.sram.capacity_kib / 1024.0 * one.sram.leakage_mw_per_mib * 1e-3;
  const double dram_bg = one.dram.background_mw * 1e-3;
  // Everything except the shared controller, SRAM and DRAM doubles; two cores add the link between them.
  const double link = two.interconnect.static_mw * 1e-3;
  CHECK(w2 - (controller + sram_leak + dram_bg + link) == Approx(2 * (w1 - (controller + sram_leak + dram_bg))));
}

TEST_CASE("structure: zero cores are refused naming the key", "[timing_structure]") {
  config::HardwareConfig hw;
  for (std::string key : {"cores.optical", "cores.digital", "cores.sram_banks"}) {
    try {
      config::set_hardware_param(hw, key, "0", "test");
      FAIL("accepted " << key << " = 0");
    } catch (const InputError& e) {
      CHECK(std::string(e.what()).find(key) != std::string::npos);
    }
  }
}
