// Quamba2 on the optical datapath: the sorted channel permutation is exact, per-group DAC scales and
// per-state-group ADC ranges lower the quantization error on data with the structure they exploit, each
// input group is its own optical pass in the numerics and in the compiled program, and the recipe section
// parses strictly.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <random>

#include "models/optical/optical_mvm.hpp"
#include "models/optical/quantizer.hpp"
#include "sim/common/error.hpp"
#include "sim/hardware/optical_linear_executor.hpp"
#include "sim/run/hardware_run.hpp"
#include "tests/run_support.hpp"
#include "models/energy/energy_model.hpp"
#include "workloads/compiler/compiler.hpp"
#include "workloads/quant/input_transform.hpp"
#include "workloads/quant/quamba2_groups.hpp"
#include "workloads/quant/recipe.hpp"
#include "workloads/videomamba/model_file.hpp"
#include "workloads/videomamba/videomamba_model.hpp"

using namespace oasim;

namespace {

using test::randn;

MatrixRM run_plan(const config::HardwareConfig& hw, const optical::OpticalLinearPlan& plan, const MatrixRM& x) {
  optical::OpticalMvm mvm(hw);
  NoiseStream noise(1);
  energy::ActionCounts counts;
  MatrixRM y;
  mvm.run(plan, x, y, noise, counts, optical::MvmMode{});
  return y;
}

MatrixRM permute_cols(const MatrixRM& m, const Eigen::VectorXi& perm) {
  MatrixRM out(m.rows(), m.cols());
  for (long i = 0; i < perm.size(); ++i) out.col(i) = m.col(perm[i]);
  return out;
}

// fp32 Linear that sorts x_proj's inputs by the first call's channel max (the Quamba2 permutation).
struct SortedFp32 final : videomamba::LinearExecutor {
  std::map<std::string, quant::InputTransform> t;
  void apply(const videomamba::LinearSite& site, const videomamba::LinearWeights& w, const MatrixRM& x,
             MatrixRM& y) override {
    if (site.kind != videomamba::LinearKind::XProj) return videomamba::linear_fp32(w, x, y);
    auto it = t.find(site.name());
    if (it == t.end()) {
      quant::InputTransform tr;
      tr.perm = quant::sort_by_magnitude(x.cwiseAbs().colwise().maxCoeff().transpose());
      it = t.emplace(site.name(), tr).first;
    }
    MatrixRM xt = x;
    it->second.apply(xt);
    y = xt * it->second.weight(w.weight).transpose();
    if (w.bias.size()) y.rowwise() += w.bias.transpose();
  }
};

videomamba::Video random_video(const videomamba::ModelConfig& c, int frames, uint64_t seed) {
  videomamba::Video v(c.in_chans, frames, c.img_size, c.img_size);
  NormalSampler s(seed);
  s.fill(v.data.data(), long(v.data.size()));
  return v;
}

}  // namespace

TEST_CASE("quamba2: the sorted channel permutation is exact in fp32 (tiny model logits to 1e-5)", "[quant][quamba2]") {
  using namespace videomamba;
  VideoMambaModel model(load_model(test::fixture("tiny_stream.h5")));
  const Video v = random_video(model.config(), 4, 4);
  const MatrixRM ref = model.forward(v);
  SortedFp32 ex;
  ForwardOptions fo;
  fo.linear = &ex;
  fo.parallel_branches = false;
  CHECK(test::rel_error(model.forward(v, fo), ref) < 1e-5);
  // It is a real reordering, and the permuted X^T X is the permuted inputs' own.
  const auto& tr = ex.t.at("layers.0.mixer.x_proj");
  CHECK(tr.perm != Eigen::VectorXi::LinSpaced(tr.perm.size(), 0, int(tr.perm.size()) - 1));
  MatrixRM x = randn(20, tr.perm.size(), 3), xp = x;
  tr.apply(xp);
  const Eigen::MatrixXd raw = x.cast<double>().transpose() * x.cast<double>();
  const Eigen::MatrixXd direct = xp.cast<double>().transpose() * xp.cast<double>();
  CHECK((tr.xtx(raw) - direct).cwiseAbs().maxCoeff() < 1e-9);
}

TEST_CASE("quamba2: grouped hardware path matches fp32 at high precision, groups sorted", "[quant][quamba2]") {
  using namespace videomamba;
  VideoMambaModel model(load_model(test::fixture("tiny_stream.h5")));
  config::HardwareConfig hw = test::exact_hardware();
  quant::Recipe r;
  r.x_groups = 4;
  r.bc_state_groups = 4;
  const Video v = random_video(model.config(), 3, 9);
  const MatrixRM fp = model.forward(v);
  hardware::OpticalLinearExecutor ex(model.weights(), hw, 1, r);
  ForwardOptions fo;
  fo.linear = &ex;
  ex.set_mode(hardware::OpticalLinearExecutor::Mode::CollectStats);
  model.forward(v, fo);
  ex.finish_stats();
  ex.set_mode(hardware::OpticalLinearExecutor::Mode::Run);
  const MatrixRM hwl = model.forward(v, fo);
  CHECK(test::rel_error(hwl, fp) < 1e-3);
  const auto& plan = ex.plan("layers.1.mixer.x_proj_b");
  CHECK(plan.dac_groups() == 4);
  CHECK(plan.adc_groups() == 1 + 2 * 4);  // dt, 4 state groups of B, 4 of C
  // The plan's columns are the weight's columns in sorted order: not the original order.
  const MatrixRM wq = plan.weights.dequantized(), w = model.weights().layers[1].bwd.x_proj.weight;
  CHECK((wq - w).cwiseAbs().maxCoeff() > 1e-2 * w.cwiseAbs().maxCoeff());
}

TEST_CASE("quamba2: per-group DAC scales beat one scale on channels of very different magnitudes", "[quant][quamba2]") {
  const long K = 384, M = 40, L = 64;
  // Persistent per-channel magnitudes spread over two decades, in random channel order.
  std::mt19937_64 g(7);
  std::uniform_real_distribution<float> u(0, 1);
  MatrixRM x = randn(L, K, 8);
  for (long c = 0; c < K; ++c) x.col(c) *= std::pow(100.0f, u(g));
  const MatrixRM w = randn(M, K, 9), exact = x * w.transpose();
  const Eigen::VectorXi perm = quant::sort_by_magnitude(x.cwiseAbs().colwise().maxCoeff().transpose());
  const MatrixRM xs = permute_cols(x, perm), ws = permute_cols(w, perm);
  config::HardwareConfig hw = test::exact_hardware();
  hw.modulator.dac_bits = 6;  // the DAC is the error under test
  const std::vector<int> bounds = optical::equal_group_bounds(int(K), 4);
  for (auto scale : {config::ActivationScale::Dynamic, config::ActivationScale::Static}) {
    hw.modulator.scale = scale;
    INFO("static DAC " << (scale == config::ActivationScale::Static));
    optical::OpticalLinearPlan one = optical::make_plan("one", w, VectorF(), hw);
    optical::OpticalLinearPlan grouped = optical::make_plan("grouped", ws, VectorF(), hw, bounds);
    const int levels = optical::max_code(hw.modulator.dac_bits);
    one.dac_scale = x.cwiseAbs().maxCoeff() / float(levels);
    grouped.dac_group_scales.resize(4);
    for (int gi = 0; gi < 4; ++gi)
      grouped.dac_group_scales[gi] = xs.middleCols(bounds[gi], bounds[gi + 1] - bounds[gi]).cwiseAbs().maxCoeff() / float(levels);
    const double e_one = (run_plan(hw, one, x) - exact).squaredNorm();
    const double e_grouped = (run_plan(hw, grouped, xs) - exact).squaredNorm();
    INFO("error one scale " << e_one << ", 4 sorted groups " << e_grouped);
    CHECK(e_grouped < 0.5 * e_one);
  }
  // Each group is its own optical pass (96 inputs each on a 256-column plane): 4 passes instead of 2.
  const optical::OpticalLinearPlan grouped = optical::make_plan("g", ws, VectorF(), hw, bounds);
  REQUIRE(grouped.chunks.size() == 4);
  for (int c = 0; c < 4; ++c) {
    CHECK(grouped.chunks[c].dac_group == c);
    CHECK(grouped.chunks[c].width == 96);
  }
}

TEST_CASE("quamba2: per-state-group ADC ranges beat one range when B's state groups differ in range", "[quant][quamba2]") {
  const int R = 4, N = 16, K = 64, L = 128;
  const int M = R + 2 * N;
  quant::Recipe r;
  r.bc_state_groups = 4;
  const std::vector<int> bounds = quant::bc_group_bounds(r, videomamba::LinearKind::XProj, R, N);
  CHECK(bounds == std::vector<int>{0, 4, 8, 12, 16, 20, 24, 28, 32, 36});
  CHECK(quant::bc_group_bounds(r, videomamba::LinearKind::InProj, R, N).empty());
  // Each output row has its own weight scale, so what sets a row's range at the ADC is the part of x it
  // reads: B's state group g reads only input block g, and block g is 10^g times larger than block 0.
  MatrixRM w = randn(M, K, 10), x = randn(L, K, 11);
  for (int gi = 0; gi < 4; ++gi) {
    x.middleCols(16 * gi, 16) *= std::pow(10.0f, float(gi) - 2);
    for (int k = 0; k < 4; ++k) {
      w.row(R + 4 * gi + k).setZero();
      w.row(R + 4 * gi + k).segment(16 * gi, 16) = randn(1, 16, 20 + 4 * gi + k);
    }
  }
  const MatrixRM exact = x * w.transpose();
  config::HardwareConfig hw = test::exact_hardware();
  hw.adc.bits = 8;  // the ADC is the error under test
  // Mean relative error over output rows: each state counts, not only the largest.
  auto row_error = [&](const MatrixRM& y) {
    double e = 0;
    for (int m = 0; m < M; ++m) e += (y.col(m) - exact.col(m)).norm() / exact.col(m).norm();
    return e / M;
  };
  for (auto range : {config::AdcRange::Static, config::AdcRange::Dynamic}) {
    hw.adc.range = range;
    INFO("static ADC " << (range == config::AdcRange::Static));
    optical::OpticalLinearPlan one = optical::make_plan("one", w, VectorF(), hw);
    optical::OpticalLinearPlan grouped = optical::make_plan("grouped", w, VectorF(), hw);
    grouped.adc_group_bounds = bounds;
    if (range == config::AdcRange::Static) {  // ranges from a calibration pass, as the executor does
      optical::OpticalMvm mvm(hw);
      NoiseStream noise(2);
      energy::ActionCounts counts;
      MatrixRM discard;
      optical::CalibrationSamples c1, cg;
      mvm.run(one, x, discard, noise, counts, optical::MvmMode{false, false, &c1});
      mvm.run(grouped, x, discard, noise, counts, optical::MvmMode{false, false, &cg});
      one.adc_full_scale = hardware::percentile(c1.adc_abs, 100);
      REQUIRE(cg.adc_abs_groups.size() == bounds.size() - 1);
      grouped.adc_group_full_scales.resize(long(bounds.size()) - 1);
      for (size_t gi = 0; gi + 1 < bounds.size(); ++gi)
        grouped.adc_group_full_scales[long(gi)] = hardware::percentile(cg.adc_abs_groups[gi], 100);
      CHECK(grouped.adc_group_full_scales[1] < 0.01f * grouped.adc_group_full_scales[4]);
    }
    const double e_one = row_error(run_plan(hw, one, x)), e_grouped = row_error(run_plan(hw, grouped, x));
    INFO("mean row error one range " << e_one << ", per state group " << e_grouped);
    CHECK(e_grouped < 0.2 * e_one);
  }
}

TEST_CASE("quamba2: executor passes and ADC samples equal the compiled program's", "[quant][quamba2]") {
  using namespace videomamba;
  VideoMambaModel model(load_model(test::fixture("tiny_stream.h5")));
  config::HardwareConfig hw;
  hw.weight_plane.rows = hw.weight_plane.cols = 16;  // groups of 21-22 inputs cut into 16-wide passes
  hw.modulator.channels = 16;
  hw.adc.range = config::AdcRange::Dynamic;
  quant::Recipe r;
  r.x_groups = 3;
  r.bc_state_groups = 2;
  hardware::OpticalLinearExecutor ex(model.weights(), hw, 1, r);
  ForwardOptions fo;
  fo.linear = &ex;
  model.forward(random_video(model.config(), 1, 5), fo);
  const auto counted = ex.total_counts();
  const auto prog = compiler::compile(model.config(), hw, 1, &r);
  const auto predicted = costing::program_actions(prog, hw);
  CHECK(counted.adc_samples == Approx(predicted.adc_samples));
  CHECK(counted.macs == Approx(predicted.macs));
  CHECK(counted.dac_conversions == Approx(predicted.dac_conversions));
  CHECK(counted.modulator_symbols == Approx(predicted.modulator_symbols));
  // x_proj (64 inputs): groups 0-21-43-64 -> passes 16+5, 16+6, 16+5 = 6, against 4 without groups.
  for (auto& lm : prog.linears)
    if (lm.site.kind == LinearKind::XProj) CHECK(lm.col_tiles == 6);
  const auto plain = compiler::compile(model.config(), hw, 1, nullptr);
  CHECK(plain.linears[2].col_tiles == 4);
  CHECK(costing::program_actions(prog, hw).adc_samples > costing::program_actions(plain, hw).adc_samples);
}

TEST_CASE("quamba2: static DAC and ADC group scales calibrate, a run is deterministic", "[quant][quamba2]") {
  run::RunOptions o = test::tiny_run_options(2, 3, 3);
  o.recipe = quant::load_recipe(std::string(OASIM_SOURCE_DIR) + "/configs/recipes/w4a8-quamba2.yaml");
  CHECK(o.recipe.x_groups == 4);
  CHECK(o.recipe.bc_state_groups == 4);
  config::HardwareConfig hw;
  hw.modulator.scale = config::ActivationScale::Static;
  auto a = run::run_hardware(o, hw);
  auto b = run::run_hardware(o, hw);
  REQUIRE(a.sites.size() == b.sites.size());
  for (size_t i = 0; i < a.sites.size(); ++i) CHECK(a.sites[i].sqnr_db == b.sites[i].sqnr_db);
  CHECK(a.logit_cosine == b.logit_cosine);
  CHECK(a.logit_cosine > 0.5);
}

TEST_CASE("quamba2: the recipe section parses strictly with file:line", "[quant][quamba2]") {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / "oasim-test-quamba2";
  fs::create_directories(dir);
  auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream((dir / name).string()) << text;
    return (dir / name).string();
  };
  CHECK_THROWS_WITH(quant::load_recipe(write("a.yaml", "name: q\nquamba2: {x_groups: 1}\n")),
                    Catch::Contains("a.yaml:2") && Catch::Contains("quamba2.x_groups"));
  CHECK_THROWS_WITH(quant::load_recipe(write("b.yaml", "quamba2:\n  bc_state_groups: 2.5\n")),
                    Catch::Contains("b.yaml:2") && Catch::Contains("expected an integer"));
  CHECK_THROWS_WITH(quant::load_recipe(write("c.yaml", "quamba2:\n  x_group: 4\n")),
                    Catch::Contains("c.yaml:2") && Catch::Contains("unknown key 'x_group'"));
  CHECK_THROWS_WITH(quant::load_recipe(write("d.yaml", "quamba2: {}\n")), Catch::Contains("d.yaml:1"));
  CHECK_THROWS_WITH(
      quant::load_recipe(write("e.yaml", "hadamard: {sites: [x_proj]}\nquamba2:\n  x_groups: 4\n")),
      Catch::Contains("e.yaml:3") && Catch::Contains("hadamard or smoothquant on x_proj"));
  // A model too small for the groups: named with the recipe file.
  using namespace videomamba;
  VideoMambaModel model(load_model(test::fixture("tiny_stream.h5")));
  quant::Recipe r = quant::load_recipe(write("f.yaml", "quamba2: {bc_state_groups: 32}\n"));
  config::HardwareConfig hw;
  CHECK_THROWS_WITH(hardware::OpticalLinearExecutor(model.weights(), hw, 1, r),
                    Catch::Contains("f.yaml") && Catch::Contains("d_state = 16"));
}
