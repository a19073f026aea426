// Block-level pipelining (cores.pipelining: token_blocks): the dataflow's structure (which edges need a
// whole frame), and the SystemC makespan against analytic bounds: at least every serial resource's busy
// time, never more than op-by-op, and the closed forms of single-bottleneck programs.
#include <catch2/catch.hpp>

#include <cmath>
#include <map>

#include "models/components/hardware_config.hpp"
#include "sim/common/h5_file.hpp"
#include "sim/systemc/block_dataflow.hpp"
#include "sim/systemc/timing_engine.hpp"
#include "workloads/compiler/compiler.hpp"
#include "tests/shared_setups.hpp"
#include "workloads/videomamba/model_file.hpp"

using namespace oasim;
using compiler::OpKind;
using compiler::Program;
using compiler::ProgramOp;

namespace {

timing::TimingParams params(const config::HardwareConfig& hw, bool pipelined) {
  auto t = timing::TimingParams::from_config(hw);
  t.pipelined = pipelined;
  t.record_activity = true;
  return t;
}

std::map<std::pair<int, int>, double> busy_per_resource(const timing::StepTiming& s) {
  std::map<std::pair<int, int>, double> b;
  for (auto& a : s.activities) b[{int(a.track), a.index}] += a.dur_s;
  return b;
}

ProgramOp digital_op(const std::string& name, double muls, long tokens) {
  ProgramOp op;
  op.kind = OpKind::Digital;
  op.name = name;
  op.digital.muls = muls;
  op.tokens = tokens;
  return op;
}

}  // namespace

TEST_CASE("pipelining: blocks_needed is the producer's share of tokens rounded up, or all of it", "[pipelining]") {
  using timing::blocks_needed;
  CHECK(blocks_needed(0, 4, 4, false) == 1);
  CHECK(blocks_needed(3, 4, 4, false) == 4);
  CHECK(blocks_needed(0, 4, 2, false) == 1);  // a coarser producer: its first block covers tokens of blocks 0-1
  CHECK(blocks_needed(1, 4, 2, false) == 1);
  CHECK(blocks_needed(2, 4, 2, false) == 2);
  CHECK(blocks_needed(0, 1, 7, false) == 7);  // one block (a readout) needs everything
  CHECK(blocks_needed(0, 4, 4, true) == 4);
}

TEST_CASE("pipelining: the dataflow of VideoMamba: lanes chain from in_proj, the backward direction's edges "
          "need the whole frame",
          "[pipelining]") {
  config::HardwareConfig hw;
  const Program p = compiler::compile(test::shipped_model_config(), hw, 1);
  const auto flow = timing::block_dataflow(p, timing::TimingParams::from_config(hw));
  REQUIRE(flow.size() == p.ops.size());
  std::map<std::string, size_t> at;
  for (size_t i = 0; i < p.ops.size(); ++i) at[p.ops[i].name] = i;
  const long blocks = (p.tokens_per_step + 15) / 16;
  auto inputs = [&](const std::string& name) { return flow[at.at(name)].inputs; };
  CHECK(flow[at["layers.2.conv1d"]].blocks == blocks);
  CHECK(flow[at["norm_f"]].blocks == 1);
  // Forward lane: streams from in_proj; backward lane: needs all of it.
  auto f = inputs("layers.2.conv1d"), b = inputs("layers.2.conv1d_b");
  REQUIRE(f.size() == 1);
  REQUIRE(b.size() == 1);
  CHECK(size_t(f[0].from) == at["layers.2.mixer.in_proj"]);
  CHECK_FALSE(f[0].barrier);
  CHECK(size_t(b[0].from) == at["layers.2.mixer.in_proj"]);
  CHECK(b[0].barrier);
  auto x = inputs("layers.2.mixer.x_proj_b");
  REQUIRE(x.size() == 1);
  CHECK(size_t(x[0].from) == at["layers.2.conv1d_b"]);
  CHECK_FALSE(x[0].barrier);
  // The join reads the forward scan block by block and the backward scan whole.
  auto j = inputs("layers.2.sum_directions");
  REQUIRE(j.size() == 2);
  CHECK(size_t(j[0].from) == at["layers.2.scan"]);
  CHECK_FALSE(j[0].barrier);
  CHECK(size_t(j[1].from) == at["layers.2.scan_b"]);
  CHECK(j[1].barrier);
  // Between layers: residual -> next norm streams.
  auto n = inputs("layers.3.norm");
  REQUIRE(n.size() == 1);
  CHECK(size_t(n[0].from) == at["layers.2.residual_add"]);
  CHECK_FALSE(n[0].barrier);
  CHECK(inputs("patch_embed.im2col").empty());
}

TEST_CASE("pipelining: a chain of digital ops on one unit (the only resource) takes exactly its work",
          "[pipelining]") {
  config::HardwareConfig hw;
  Program p;
  p.tokens_per_step = 100;
  // 100 tokens = 7 blocks (6 of 16, one of 4); 160 muls per token = 160/256 lane-cycles each: every block's
  // ceil is exact at 10 cycles per 16 tokens, 3 for the last (2.5 rounded up).
  for (int k = 0; k < 5; ++k) p.ops.push_back(digital_op("d" + std::to_string(k), 160.0 * 100, 100));
  const auto s = timing::simulate(p, params(hw, true));
  const double cycle = 1e-9;
  CHECK(s.total_s == Approx(5 * (6 * 10 + 3) * cycle).epsilon(1e-9));
  CHECK(s.digital_busy_s == Approx(s.total_s).epsilon(1e-9));
}

TEST_CASE("pipelining: a cheap consumer of an optical op finishes one of its blocks after the producer",
          "[pipelining]") {
  config::HardwareConfig hw;
  const Program full = compiler::compile(test::shipped_model_config(), hw, 1);
  Program p = full;
  p.ops.clear();
  // in_proj of layer 0 alone (modulator-bound), then a consumer whose block is far shorter than a modulation.
  size_t in_proj = 0;
  for (size_t i = 0; i < full.ops.size(); ++i)
    if (full.ops[i].name == "layers.0.mixer.in_proj") in_proj = i;
  ProgramOp a = full.ops[in_proj];
  a.sram_bytes_read = a.sram_bytes_written = 0;
  a.digital = {};  // no digital tail: the modulators are its bottleneck
  a.vectors = a.tokens = 64;  // four full blocks: the producer's blocks finish one modulation apart
  p.ops.push_back(a);
  p.ops.push_back(digital_op("consumer", 16.0 * a.tokens, a.tokens));  // one cycle (1 ns) per block of 16 tokens
  const auto t = params(hw, true);
  const auto alone = timing::optical_stage_times(p, a, t);
  Program only_a = p;
  only_a.ops.resize(1);
  const double producer = timing::simulate(only_a, params(hw, false)).total_s;  // its closed form, tested elsewhere
  REQUIRE(alone.blocks >= 2);
  REQUIRE(alone.modulate_s >= alone.convert_s);
  REQUIRE(alone.modulate_s > 1e-9);  // the consumer keeps up
  const double consumer_last = 1e-9;
  const auto piped = timing::simulate(p, t);
  const auto seq = timing::simulate(p, params(hw, false));
  CHECK(piped.ops[0].end_s == Approx(producer).epsilon(1e-9));
  CHECK(piped.total_s == Approx(producer + consumer_last).epsilon(1e-9));
  CHECK(seq.total_s == Approx(producer + std::ceil(16.0 * double(a.tokens) / 256) * 1e-9).epsilon(1e-9));
}

TEST_CASE("pipelining: VideoMamba's makespan lies between every resource's busy time and op-by-op timing",
          "[pipelining]") {
  for (const char* design : {"default", "two cores"}) {
    config::HardwareConfig hw;
    if (std::string(design) == "two cores") hw.structure.optical_cores = hw.structure.digital_units = hw.structure.sram_banks = 2;
    const Program p = compiler::compile(test::shipped_model_config(), hw, 1);
    const auto seq = timing::simulate(p, params(hw, false));
    const auto piped = timing::simulate(p, params(hw, true));
    INFO(design << ": op by op " << seq.total_s << " s, pipelined " << piped.total_s << " s");
    CHECK(piped.total_s <= seq.total_s * (1 + 1e-9));
    for (auto& [res, b] : busy_per_resource(piped)) CHECK(piped.total_s >= b * (1 - 1e-12));
    // The same work is done: each resource's busy time is the op-by-op engine's, up to per-block rounding
    // of digital lane-cycles (ceil per block instead of per op).
    const auto bs = busy_per_resource(seq), bp = busy_per_resource(piped);
    for (auto& [res, b] : bs) CHECK(bp.at(res) == Approx(b).epsilon(0.02));
    for (size_t i = 0; i < p.ops.size(); ++i) {
      INFO(p.ops[i].name);
      CHECK(piped.ops[i].end_s >= piped.ops[i].start_s);
    }
  }
}

TEST_CASE("pipelining: frames of independent streams overlap, one initiation interval apart, bounded by the "
          "busiest resource",
          "[pipelining][streams]") {
  config::HardwareConfig hw;
  hw.structure.optical_cores = hw.structure.digital_units = hw.structure.sram_banks = 2;
  const Program p = compiler::compile(test::shipped_model_config(), hw, 1);
  const auto one = timing::simulate(p, params(hw, true));
  const auto o = timing::overlap_frames(p, params(hw, true), 4);
  INFO("latency " << one.total_s << " s, initiation " << o.initiation_s << " s");
  CHECK(o.frames == 4);
  CHECK(o.initiation_s < one.total_s);
  // Four frames take at least four times the busiest resource's work for one frame.
  double busiest = 0;
  for (auto& [res, b] : busy_per_resource(one)) busiest = std::max(busiest, b);
  CHECK(one.total_s + 3 * o.initiation_s >= 4 * busiest * (1 - 1e-9));
  CHECK(o.latency_s == one.total_s);
  // Op by op, frames do not overlap.
  const auto off = timing::overlap_frames(p, params(hw, false), 4);
  const auto seq = timing::simulate(p, params(hw, false));
  CHECK(off.initiation_s == seq.total_s);
  CHECK(off.latency_s == seq.total_s);
}
