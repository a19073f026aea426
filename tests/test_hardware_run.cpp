// A whole `oasim run` on a small model: deterministic for a seed, sensitive to it, and consistent between
// what the executor counted and what the compiled program predicts.
#include <catch2/catch.hpp>

#include "sim/hardware/optical_linear_executor.hpp"
#include "sim/run/hardware_run.hpp"
#include "tests/run_support.hpp"
#include "workloads/compiler/compiler.hpp"
#include "models/energy/energy_model.hpp"
#include "workloads/videomamba/model_file.hpp"
#include "workloads/videomamba/videomamba_model.hpp"

using namespace oasim;

namespace {
run::RunOptions tiny_options(uint64_t seed) { return test::tiny_run_options(3, 4, seed); }
}  // namespace

TEST_CASE("run: the same seed gives bit-identical results, another seed different noise", "[run]") {
  config::HardwareConfig hw;
  auto a = run::run_hardware(tiny_options(5), hw);
  auto b = run::run_hardware(tiny_options(5), hw);
  REQUIRE(a.sites.size() == b.sites.size());
  for (size_t i = 0; i < a.sites.size(); ++i) CHECK(a.sites[i].sqnr_db == b.sites[i].sqnr_db);  // exact equality
  CHECK(a.logit_cosine == b.logit_cosine);
  CHECK(a.agreement == b.agreement);
  CHECK(a.cost.at_input_fps.total_j() == b.cost.at_input_fps.total_j());
  CHECK(a.cost.frame_latency_s == b.cost.frame_latency_s);
  auto c = run::run_hardware(tiny_options(6), hw);
  CHECK(c.sites[1].sqnr_db != a.sites[1].sqnr_db);
}

TEST_CASE("run: optical actions counted by the executor equal the compiled program's", "[run]") {
  using namespace videomamba;
  VideoMambaModel model(load_model(test::fixture("tiny_stream.h5")));
  config::HardwareConfig hw;
  hw.weight_plane.rows = hw.weight_plane.cols = 16;  // several tiles per Linear
  hw.modulator.channels = 16;
  hw.adc.range = config::AdcRange::Dynamic;
  hardware::OpticalLinearExecutor ex(model.weights(), hw, 1);
  Video v(3, 1, 32, 32);
  ForwardOptions fo;
  fo.linear = &ex;
  model.forward(v, fo);  // one frame
  auto counted = ex.total_counts();
  auto prog = compiler::compile(model.config(), hw, 1);
  auto predicted = costing::program_actions(prog, hw);
  CHECK(counted.macs == Approx(predicted.macs));
  CHECK(counted.adc_samples == Approx(predicted.adc_samples));
  CHECK(counted.dac_conversions == Approx(predicted.dac_conversions));
  CHECK(counted.modulator_symbols == Approx(predicted.modulator_symbols));
}

TEST_CASE("run: more noise lowers the SQNR, no noise and fine converters raise it", "[run]") {
  config::HardwareConfig hw;
  hw.detector.noise_model = config::NoiseModel::Gaussian;
  hw.detector.sigma_rel = 0.002;
  auto low = run::run_hardware(tiny_options(1), hw);
  hw.detector.sigma_rel = 0.05;
  auto high = run::run_hardware(tiny_options(1), hw);
  CHECK(high.mean_sqnr_db < low.mean_sqnr_db - 5);
  CHECK(high.logit_cosine < low.logit_cosine);
}
