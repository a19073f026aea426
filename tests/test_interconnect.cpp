// The interconnect between optical cores: activations read on another core than the one that produced them
// cross one shared link (time = bytes / bandwidth, one transfer at a time, energy per bit). Closed forms on a
// synthetic producer (core 0) -> consumer (core 1) program, op by op and pipelined; what crosses in
// VideoMamba on two cores; and nothing crosses with one core.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "models/components/hardware_config.hpp"
#include "models/energy/energy_model.hpp"
#include "sim/costing/program_cost.hpp"
#include "sim/systemc/core_transfers.hpp"
#include "sim/systemc/timeline_json.hpp"
#include "sim/systemc/timing_engine.hpp"
#include "tests/shared_setups.hpp"
#include "workloads/compiler/compiler.hpp"

using namespace oasim;
using compiler::OpKind;
using compiler::Program;
using compiler::ProgramOp;

namespace {

constexpr double kBytes = 1e6;  // the producer's output

// Producer on core 0 (outside any region): 1000 lane-cycles = 1 us on the default 256-lane, 1 GHz unit, in four
// blocks of 16 tokens (250 cycles each). Consumer: the first op of scan lane 1 (core 1, unit 1): 500 cycles =
// 0.5 us; as the backward direction it needs the whole producer (a barrier edge).
Program producer_consumer(int consumer_lane) {
  Program p;
  p.tokens_per_step = 64;
  ProgramOp a;
  a.kind = OpKind::Digital;
  a.name = "producer";
  a.digital.muls = 256.0 * 1000;
  a.tokens = 64;
  a.sram_bytes_written = kBytes;
  p.ops.push_back(a);
  ProgramOp b = a;
  b.name = "consumer";
  b.digital.muls = 256.0 * 500;
  b.sram_bytes_written = 0;
  b.stream_group = 0;
  b.lane = consumer_lane;
  p.ops.push_back(b);
  return p;
}

timing::TimingParams two_cores(double link_bytes_per_s, bool pipelined) {
  config::HardwareConfig hw;
  auto t = timing::TimingParams::from_config(hw);
  t.optical_cores = t.digital_units = 2;
  t.sram_bytes_per_s = 1e18;  // the producer's SRAM write (1 ps) hides under its compute
  t.interconnect_bytes_per_s = link_bytes_per_s;
  t.pipelined = pipelined;
  t.record_activity = true;
  return t;
}

}  // namespace

TEST_CASE("interconnect: op by op, a consumer on another core waits exactly bytes / bandwidth", "[interconnect][timing]") {
  const Program p = producer_consumer(1);
  for (double bw : {1e12, 1e11}) {
    const auto s = timing::simulate(p, two_cores(bw, false));
    INFO("bandwidth " << bw << " B/s");
    CHECK(s.total_s == Approx(1e-6 + kBytes / bw + 0.5e-6).epsilon(1e-9));
    CHECK(s.interconnect_busy_s == Approx(kBytes / bw).epsilon(1e-9));
    CHECK(s.ops[1].start_s == Approx(1e-6 + kBytes / bw).epsilon(1e-9));
  }
  // The same consumer on the producer's core (lane 0) reads locally: no transfer.
  const auto local = timing::simulate(producer_consumer(0), two_cores(1e11, false));
  CHECK(local.total_s == Approx(1.5e-6).epsilon(1e-9));
  CHECK(local.interconnect_busy_s == 0);
  // One core: nothing crosses, whatever the link.
  auto one = two_cores(1e3, false);
  one.optical_cores = 1;
  CHECK(timing::simulate(p, one).total_s == Approx(1.5e-6).epsilon(1e-9));
}

TEST_CASE("interconnect: pipelined, the producer's blocks cross as they are done, serialised on the link",
          "[interconnect][timing][pipelining]") {
  const Program p = producer_consumer(1);
  // n = 4 producer blocks of P = 0.25 us each; block k crosses in X = bytes / 4 / bandwidth once it is done
  // and the link is free: the last arrives at max(n P + X, P + n X); the consumer (needing all of them)
  // then takes 0.5 us.
  const double P = 0.25e-6;
  for (double bw : {4e12, 2.5e11}) {
    const double X = kBytes / 4 / bw;
    const double arrived = std::max(4 * P + X, P + 4 * X);
    const auto s = timing::simulate(p, two_cores(bw, true));
    INFO("bandwidth " << bw << " B/s: last block arrives at " << arrived << " s");
    CHECK(s.ops[1].start_s == Approx(arrived).epsilon(1e-9));
    CHECK(s.total_s == Approx(arrived + 0.5e-6).epsilon(1e-9));
    CHECK(s.interconnect_busy_s == Approx(kBytes / bw).epsilon(1e-9));
  }
}

TEST_CASE("interconnect: bits moved are priced at energy per bit, with the link's static power only with two cores",
          "[interconnect][energy]") {
  config::HardwareConfig hw;
  hw.structure.optical_cores = hw.structure.digital_units = 2;
  const Program p = producer_consumer(1);
  const auto a = costing::program_actions(p, hw);
  CHECK(a.interconnect_bits == 8 * kBytes);
  const auto e = energy::frame_energy(a, hw, 1e-3, 1e-3);
  const double dynamic = e.component_j("interconnect") - e.component_static_j("interconnect");
  CHECK(dynamic == Approx(8 * kBytes * hw.interconnect.energy_pj_per_bit * 1e-12).epsilon(1e-12));
  CHECK(e.component_static_j("interconnect") == Approx(hw.interconnect.static_mw * 1e-3 * 1e-3).epsilon(1e-12));
  // One core: no link, no entry at all (every single-core energy table is unchanged).
  config::HardwareConfig one;
  const auto e1 = energy::frame_energy(costing::program_actions(p, one), one, 1e-3, 1e-3);
  for (const auto& entry : e1.entries) CHECK(entry.component != "interconnect");
  CHECK(costing::area_of(one).size() == costing::area_of(hw).size());
  CHECK(costing::total_mm2(costing::area_of(hw)) > costing::total_mm2(costing::area_of(one)));
}

TEST_CASE("interconnect: VideoMamba on two cores moves in_proj's output to the backward direction and the "
          "backward scan's output back, per layer",
          "[interconnect][timing]") {
  const auto mc = test::shipped_model_config();
  config::HardwareConfig hw;
  hw.structure.optical_cores = hw.structure.digital_units = hw.structure.sram_banks = 2;
  const Program p = compiler::compile(mc, hw, 1);
  const auto plan = timing::core_transfers(p, timing::TimingParams::from_config(hw));
  const double L = double(p.tokens_per_step), Di = double(mc.d_inner());
  // Per layer: x and z (2 d_inner fp32 per token) to core 1, the backward scan's y (d_inner) back to core 0.
  REQUIRE(plan.transfers.size() == size_t(2 * mc.depth));
  CHECK(plan.total_bytes() == Approx(mc.depth * 12.0 * L * Di).epsilon(1e-12));
  for (const auto& x : plan.transfers) {
    const std::string& from = p.ops[size_t(x.producer)].name;
    CHECK((from.find("in_proj") != std::string::npos || from.find("scan_b") != std::string::npos));
  }
  for (bool pipelined : {false, true}) {
    auto t = timing::TimingParams::from_config(hw);
    t.pipelined = pipelined;
    t.record_activity = true;
    const auto s = timing::simulate(p, t);
    INFO((pipelined ? "pipelined" : "op by op"));
    CHECK(s.interconnect_busy_s == Approx(plan.total_bytes() / t.interconnect_bytes_per_s).epsilon(1e-6));
    // A timeline track of its own.
    const auto j = timing::timeline_json(p, s);
    bool named = false;
    for (const auto& ev : j["traceEvents"])
      if (ev["ph"] == "M" && ev["name"] == "thread_name" && ev["args"]["name"] == "interconnect") named = true;
    CHECK(named);
  }
  // One core: nothing crosses.
  config::HardwareConfig one;
  CHECK(timing::core_transfers(compiler::compile(mc, one, 1), timing::TimingParams::from_config(one)).transfers.empty());
}
