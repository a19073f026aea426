// Compiler (every weight mapped exactly once, planes not overlapping, reloads) and SystemC timing
// (an analytic pipeline formula; symbol rate scaling on an optics-bound design).
#include <catch2/catch.hpp>

#include <cmath>
#include <map>

#include "models/energy/energy_model.hpp"
#include "sim/costing/program_cost.hpp"
#include "sim/systemc/timing_engine.hpp"
#include "workloads/compiler/compiler.hpp"

using namespace oasim;
using namespace oasim::compiler;

namespace {

videomamba::ModelConfig ti_stream() {
  videomamba::ModelConfig c;
  c.variant = videomamba::Variant::Stream;
  return c;  // defaults are VideoMamba-Ti's sizes
}

// A program with a single optical op and nothing else, for closed-form timing.
Program single_linear(int out, int in, long vectors, const config::HardwareConfig& hw) {
  Program p;
  LinearMapping lm;
  lm.name = "test";
  lm.out_features = out;
  lm.in_features = in;
  const int rows = hw.weight_plane.rows, cols = hw.weight_plane.cols;
  for (int r = 0; r < out; r += rows)
    for (int c = 0; c < in; c += cols) {
      Tile t;
      t.rows = std::min(rows, out - r);
      t.cols = std::min(cols, in - c);
      lm.tiles.push_back(int(p.tiles.size()));
      p.tiles.push_back(t);
    }
  p.linears.push_back(lm);
  ProgramOp op;
  op.kind = OpKind::Optical;
  op.linear = 0;
  op.vectors = vectors;
  op.digital.muls = 2.0 * vectors * out;
  op.digital.adds = 1.0 * vectors * out;
  p.ops.push_back(op);
  return p;
}

}  // namespace

TEST_CASE("compiler: every weight of VideoMamba-Ti is mapped exactly once", "[compiler]") {
  config::HardwareConfig hw;
  for (int size : {64, 256, 1000}) {
    hw.weight_plane.rows = hw.weight_plane.cols = size;
    hw.modulator.channels = size;
    Program p = compile(ti_stream(), hw, 1);
    INFO("plane size " << size);
    for (auto& lm : p.linears) {
      std::vector<int> cover(size_t(lm.out_features) * lm.in_features, 0);
      for (int ti : lm.tiles) {
        const Tile& t = p.tiles[ti];
        for (int r = t.row0; r < t.row0 + t.rows; ++r)
          for (int c = t.col0; c < t.col0 + t.cols; ++c) cover[size_t(r) * lm.in_features + c]++;
      }
      INFO(lm.name);
      CHECK(std::all_of(cover.begin(), cover.end(), [](int n) { return n == 1; }));
    }
    // Tiles sit inside their plane and never overlap another tile.
    std::map<int, std::vector<const Tile*>> by_plane;
    for (auto& t : p.tiles) {
      REQUIRE(t.plane >= 0);
      CHECK(t.plane_row + t.rows <= size);
      CHECK(t.plane_col + t.cols <= size);
      by_plane[t.plane].push_back(&t);
    }
    for (auto& [plane, tiles] : by_plane)
      for (size_t i = 0; i < tiles.size(); ++i)
        for (size_t j = i + 1; j < tiles.size(); ++j) {
          const Tile &a = *tiles[i], &b = *tiles[j];
          bool apart = a.plane_row + a.rows <= b.plane_row || b.plane_row + b.rows <= a.plane_row ||
                       a.plane_col + a.cols <= b.plane_col || b.plane_col + b.cols <= a.plane_col;
          CHECK(apart);
        }
    CHECK(p.plane_utilisation <= 1.0);
  }
}

TEST_CASE("compiler: too few planes means reloads every frame, with their cost", "[compiler]") {
  config::HardwareConfig hw;
  hw.weight_plane.planes = 4;
  Program p = compile(ti_stream(), hw, 1);
  CHECK(p.planes_used > 4);
  CHECK(p.reloads_per_step == p.planes_used - 3);
  CHECK(p.ops.front().kind == OpKind::Reload);
  auto st = timing::simulate(p, timing::TimingParams::from_config(hw));
  CHECK(st.reload_s == Approx(p.reloads_per_step * hw.weight_plane.program_time_us * 1e-6));
  CHECK(st.total_s > st.reload_s);
  hw.weight_plane.planes = 1000;
  Program fits = compile(ti_stream(), hw, 1);
  CHECK(fits.reloads_per_step == 0);
}

TEST_CASE("compiler: the stream state is counted in the buffers", "[compiler]") {
  config::HardwareConfig hw;
  Program p = compile(ti_stream(), hw, 1);
  // 24 layers x 384 channels x (16 SSM states + 3 conv inputs) x 4 bytes.
  CHECK(p.buffers.state_bytes == Approx(24.0 * 384 * (16 + 3) * 4));
  hw.digital.state_precision = config::StatePrecision::Fp16;
  CHECK(compile(ti_stream(), hw, 1).buffers.state_bytes == Approx(p.buffers.state_bytes / 2));
}

TEST_CASE("timing: one optical layer follows the pipeline formula", "[timing]") {
  config::HardwareConfig hw;
  hw.weight_plane.rows = hw.weight_plane.cols = 128;
  auto t = timing::TimingParams::from_config(hw);
  Program p = single_linear(300, 200, 1000, hw);  // 3 x 2 tiles, 1000 vectors in blocks of 16
  auto st = timing::simulate(p, t);
  auto s = timing::optical_stage_times(p, p.ops[0], t);
  REQUIRE(s.blocks == 63);
  // Three stages in a FIFO pipeline: fill with the first block, then the slowest stage per block.
  const double bottleneck = std::max({s.modulate_s, s.convert_s, s.digital_s});
  double expected = s.modulate_s + s.convert_s + s.digital_s + (s.blocks - 2) * bottleneck;
  expected += std::max({s.last_modulate_s, s.last_convert_s, s.last_digital_s});
  // Whichever stage is the bottleneck, the last block leaves the pipeline through the last stage.
  if (bottleneck == s.modulate_s) expected = (s.blocks - 1) * s.modulate_s + s.last_modulate_s + s.last_convert_s + s.last_digital_s;
  INFO("modulate " << s.modulate_s << " convert " << s.convert_s << " digital " << s.digital_s);
  CHECK(st.total_s == Approx(expected).epsilon(1e-6));
  // Closed forms of the stage times themselves.
  CHECK(s.modulate_s == Approx(16 * 6 * t.symbol_period_s));
  CHECK(s.convert_s == Approx(std::ceil(16.0 * (128 + 128 + 44) * 2 / t.adc_count) * t.adc_sample_period_s));
}

TEST_CASE("timing: doubling the symbol rate halves an optics-bound layer", "[timing]") {
  config::HardwareConfig hw;
  hw.modulator.symbol_rate_ghz = 1;  // slow modulators; ADCs and digital far faster
  hw.adc.sample_rate_gsps = 1000;
  hw.adc.count = 4096;
  hw.digital.lanes = 100000;
  hw.digital.clock_ghz = 10;
  Program p = single_linear(512, 512, 4096, hw);
  double slow = timing::simulate(p, timing::TimingParams::from_config(hw)).total_s;
  hw.modulator.symbol_rate_ghz = 2;
  double fast = timing::simulate(p, timing::TimingParams::from_config(hw)).total_s;
  CHECK(fast / slow == Approx(0.5).epsilon(0.02));
}

TEST_CASE("timing: the two scan directions overlap", "[timing]") {
  config::HardwareConfig hw;
  Program p = compile(ti_stream(), hw, 1);
  auto st = timing::simulate(p, timing::TimingParams::from_config(hw));
  // Find layer 0's forward and backward conv ops: they start at the same time.
  double fwd = -1, bwd = -1;
  for (size_t i = 0; i < p.ops.size(); ++i) {
    if (p.ops[i].name == "layers.0.conv1d") fwd = st.ops[i].start_s;
    if (p.ops[i].name == "layers.0.conv1d_b") bwd = st.ops[i].start_s;
  }
  CHECK(fwd >= 0);
  CHECK(fwd == Approx(bwd));
  double busy = 0;
  for (auto& o : st.ops) busy += o.end_s - o.start_s;
  CHECK(st.total_s < busy);  // overlap makes the step shorter than the sum of its ops
}

TEST_CASE("energy: components add up to the total and match the action counts", "[energy]") {
  config::HardwareConfig hw;
  Program p = compile(ti_stream(), hw, 1);
  auto a = costing::program_actions(p, hw);
  auto e = energy::frame_energy(a, hw, 1e-3, 1e-3);
  double sum = 0;
  for (auto& [c, j] : e.by_component()) sum += j;
  CHECK(sum == Approx(e.total_j()));
  CHECK(a.macs == Approx(p.total_macs()));
  // ADC: Walden energy with ENOB = 8 - 1.4 bits (22 fJ x 2^6.6 = 2.19 pJ, the ISSCC 2025 design) plus its
  // gated idle power over the frame's compute time and one wake-up.
  const double adc_dynamic = a.adc_samples * 22e-15 * std::pow(2.0, 6.6);
  CHECK(e.component_j("ADC") - e.component_static_j("ADC") == Approx(adc_dynamic));
  CHECK(e.component_static_j("ADC") == Approx(256 * 1e-3 * 1e-3));  // awake the whole (1 ms) interval
  // Ti streaming, one frame (197 tokens): MACs of all Linears.
  const double L = 197, D = 192, Di = 384;
  const double per_layer = L * (2 * Di * D + 2 * (Di * 44 + 12 * Di) + D * Di);
  CHECK(a.macs == Approx(24 * per_layer + 196 * D * 768 + 400 * D));
}
