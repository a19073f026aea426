// Energy = the components' (action x energy per action) table x counted actions + static power x time,
// checked exactly against a hand computation from the config keys; and the frame rate's effect.
#include <catch2/catch.hpp>

#include <cmath>

#include "models/energy/energy_model.hpp"
#include "sim/costing/program_cost.hpp"

using namespace oasim;

namespace {

// One 64 x 64 Linear over 10 vectors, then one digital op.
compiler::Program hand_program() {
  compiler::Program p;
  compiler::LinearMapping lm;
  lm.name = "fc";
  lm.out_features = lm.in_features = 64;
  compiler::Tile t;
  t.rows = t.cols = 64;
  lm.tiles.push_back(0);
  p.tiles.push_back(t);
  p.linears.push_back(lm);
  compiler::ProgramOp op;
  op.kind = compiler::OpKind::Optical;
  op.name = "fc";
  op.linear = 0;
  op.vectors = 10;
  op.digital = {640, 1280, 0};
  p.ops.push_back(op);
  compiler::ProgramOp d;
  d.kind = compiler::OpKind::Digital;
  d.name = "act";
  d.digital = {100, 200, 50};
  d.sram_bytes_read = 1000;
  d.sram_bytes_written = 500;
  p.ops.push_back(d);
  p.frames_per_step = 1;
  return p;
}

}  // namespace

TEST_CASE("energy: table x counts + static x time, exactly, on a hand-built program", "[energy][static]") {
  const config::HardwareConfig hw;
  const auto c = costing::cost_program(hand_program(), hw, 30.0);
  const double T = c.frame_latency_s, interval = 1.0 / 30;
  REQUIRE(T > 0);
  REQUIRE(T < interval);
  // Dynamic, from the keys: 640 DAC conversions and 640 channel-symbols (64 inputs x 10 vectors), 640 ADC
  // samples, the digital work, 12,000 SRAM bits.
  const double symbol = 1e-10;
  const double dac = 36e-15 * std::pow(2.0, 6.6), adc = 22e-15 * std::pow(2.0, 6.6);
  const double dynamic = 640 * dac + 640 * 2 * 10e-15 /* two rails */ + 640 * 300e-3 * symbol / 0.2 /* laser */ +
                         640 * adc + (740 * 0.1e-12 + 1480 * 0.28e-12 + 50 * 1e-12) + 12000 * 0.08e-12;
  // Static: always-on parts over the whole interval; gated parts over the compute time + 1 us wake-up.
  const double always_on = 0.5 /* laser TEC */ + 512 * 1.2e-3 /* ring heaters */ + 128 * 10e-3 /* displays */ +
                           4 * 10e-3 /* SRAM 4 MiB */ + 50e-3 /* DRAM */ + 20e-3 /* digital */ + 0.3 /* controller */;
  const double gated = 256 * 1e-3 /* DAC idle */ + 256 * 3e-3 /* TIAs */ + 256 * 1e-3 /* ADC idle */;
  const double expected = dynamic + always_on * interval + gated * (T + 1e-6);
  CHECK(c.at_input_fps.dynamic_j() == Approx(dynamic).epsilon(1e-9));
  CHECK(c.at_input_fps.total_j() == Approx(expected).epsilon(1e-9));
  CHECK(energy::ungated_static_power_w(hw) == Approx(always_on).epsilon(1e-12));
  // At full throughput the interval is the compute time.
  CHECK(c.at_full_rate.total_j() == Approx(dynamic + always_on * T + gated * T).epsilon(1e-9));
  CHECK(c.at_input_fps.average_power_w() == Approx(expected * 30).epsilon(1e-9));
}

TEST_CASE("energy: halving the frame rate adds exactly static power x the added interval", "[energy][static]") {
  config::HardwareConfig hw;
  auto c = costing::cost_program(hand_program(), hw, 30.0);
  const double e30 = c.at_input_fps.total_j();
  costing::price_at(c, hw, 15.0);
  const double e15 = c.at_input_fps.total_j();
  CHECK(e15 - e30 == Approx(energy::ungated_static_power_w(hw) * (1.0 / 15 - 1.0 / 30)).epsilon(1e-12));
  CHECK(c.at_input_fps.dynamic_j() == Approx(c.at_full_rate.dynamic_j()));  // dynamic energy does not move
  // Continuous lasers turn their emission into static power.
  hw.laser.gating = config::LaserGating::Continuous;
  auto cw = costing::cost_program(hand_program(), hw, 30.0);
  CHECK(cw.at_input_fps.static_j() - c.at_input_fps.static_j() / 1.0 > 0);
  CHECK(energy::ungated_static_power_w(hw) ==
        Approx(energy::ungated_static_power_w(config::HardwareConfig()) + 256 * 0.3 / 0.2).epsilon(1e-12));
}

TEST_CASE("energy: the hardware that cannot keep up is priced at its own frame time and says so", "[energy][static]") {
  const config::HardwareConfig hw;
  auto c = costing::cost_program(hand_program(), hw, 1e9);  // a billion frames per second
  CHECK_FALSE(c.keeps_up);
  CHECK(c.at_input_fps.interval_s == Approx(c.frame_latency_s));
  CHECK(c.at_input_fps.total_j() == Approx(c.at_full_rate.total_j()));
}

TEST_CASE("area: component areas add up to the reported total", "[energy][area]") {
  const config::HardwareConfig hw;
  const auto a = costing::area_of(hw);
  double sum = 0;
  for (auto& e : a) sum += e.mm2;
  costing::ProgramCost c;
  c.area = a;
  CHECK(c.area_mm2() == Approx(sum));
  // Stacked planes share one footprint; side by side they tile: 128 x the plane area.
  config::HardwareConfig side = hw;
  side.weight_plane.addressing = config::PlaneAddressing::SideBySide;
  const double plane = 2.0 * 256 * 256 * std::pow(8e-3, 2);
  auto find = [](const std::vector<costing::AreaEntry>& v) {
    for (auto& e : v)
      if (e.component == "weight planes") return e.mm2;
    return -1.0;
  };
  CHECK(find(a) == Approx(plane));
  CHECK(find(costing::area_of(side)) == Approx(128 * plane));
}
