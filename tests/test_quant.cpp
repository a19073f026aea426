// Quantization recipes: transforms are exact where they claim to be, recipes parse strictly, calibration
// is deterministic. GPTQ: tests/test_gptq.cpp; outlier path: tests/test_outlier_path.cpp; costs:
// tests/test_recipe_costs.cpp.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <random>

#include "sim/common/error.hpp"
#include "sim/hardware/optical_linear_executor.hpp"
#include "sim/run/hardware_run.hpp"
#include "tests/run_support.hpp"
#include "workloads/quant/input_transform.hpp"
#include "workloads/quant/recipe.hpp"
#include "workloads/quant/weight_methods.hpp"
#include "workloads/videomamba/model_file.hpp"
#include "workloads/videomamba/videomamba_model.hpp"

using namespace oasim;

namespace {

using test::randn;

// Activations with a few strong, persistent outlier channels (the VideoMamba pattern).
MatrixRM outlier_inputs(long rows, long k, uint64_t seed) {
  MatrixRM x = randn(rows, k, seed);
  for (long c : {3L, 17L, 40L})
    if (c < k) x.col(c) *= 25.0f;  // narrow inputs (12 channels) keep the channels they have
  return x;
}

// fp32 Linear with the recipe's transforms applied to inputs and weights: must equal plain fp32.
struct TransformedFp32 final : videomamba::LinearExecutor {
  const quant::Recipe& recipe;
  std::map<std::string, quant::InputTransform> t;
  explicit TransformedFp32(const quant::Recipe& r) : recipe(r) {}
  void apply(const videomamba::LinearSite& site, const videomamba::LinearWeights& w, const MatrixRM& x,
             MatrixRM& y) override {
    auto it = t.find(site.name());
    if (it == t.end()) {
      quant::InputTransform tr;
      if (quant::in_set(recipe.hadamard_sites, site.kind)) tr = quant::make_rotation(int(x.cols()), 9);
      if (recipe.smooth_alpha > 0 && quant::in_set(recipe.smooth_sites, site.kind))
        tr.smooth = quant::smooth_scales(x.cwiseAbs().colwise().maxCoeff().transpose(), w.weight, recipe.smooth_alpha);
      it = t.emplace(site.name(), tr).first;
    }
    MatrixRM xt = x;
    it->second.apply(xt);
    y = xt * it->second.weight(w.weight).transpose();
    if (w.bias.size()) y.rowwise() += w.bias.transpose();
  }
};

}  // namespace

TEST_CASE("quant: rotation and smoothing are exact in fp32 (x' W'^T = x W^T)", "[quant]") {
  for (int k : {64, 96, 192, 384, 12}) {
    INFO("in features " << k);
    MatrixRM w = randn(40, k, 1), x = outlier_inputs(30, k, 2);
    quant::InputTransform t = quant::make_rotation(k, 7);
    t.smooth = quant::smooth_scales(x.cwiseAbs().colwise().maxCoeff().transpose(), w, 0.5);
    MatrixRM xt = x;
    t.apply(xt);
    const MatrixRM ref = x * w.transpose(), got = xt * t.weight(w).transpose();
    CHECK(test::rel_error(got, ref) < 1e-5);
    // The rotation is orthogonal: norms of rows are kept (without smoothing).
    quant::InputTransform r = quant::make_rotation(k, 7);
    MatrixRM xr = x;
    r.apply(xr);
    CHECK(xr.row(0).norm() == Approx(x.row(0).norm()).epsilon(1e-5));
    // X'^T X' from the raw X^T X equals the transformed inputs' own.
    const Eigen::MatrixXd raw = x.cast<double>().transpose() * x.cast<double>();
    const Eigen::MatrixXd direct = xt.cast<double>().transpose() * xt.cast<double>();
    CHECK((t.xtx(raw) - direct).cwiseAbs().maxCoeff() < 1e-6 * direct.cwiseAbs().maxCoeff() + 1e-3);
  }
}

TEST_CASE("quant: rotation spreads a planted outlier channel over its block", "[quant]") {
  MatrixRM x = randn(50, 128, 3);
  x.col(5) *= 50.0f;
  quant::InputTransform t = quant::make_rotation(128, 1);
  MatrixRM xr = x;
  t.apply(xr);
  auto peak_to_rms = [](const MatrixRM& m) {
    return double(m.cwiseAbs().maxCoeff()) / std::sqrt(double(m.squaredNorm()) / double(m.size()));
  };
  CHECK(peak_to_rms(xr) < peak_to_rms(x) / 3);
}

TEST_CASE("quant: the whole tiny model with every transform folded gives the fp32 logits to 1e-5", "[quant]") {
  using namespace videomamba;
  VideoMambaModel model(load_model(test::fixture("tiny_stream.h5")));
  quant::Recipe r;
  r.smooth_alpha = 0.5;
  r.smooth_sites = {true, true, true, true, true, true};
  r.hadamard_sites = {true, true, true, true, true, true};
  Video v(model.config().in_chans, 4, model.config().img_size, model.config().img_size);
  std::mt19937 g(4);
  std::normal_distribution<float> n;
  for (auto& p : v.data) p = n(g);
  const MatrixRM ref = model.forward(v);
  TransformedFp32 ex(r);
  ForwardOptions fo;
  fo.linear = &ex;
  fo.parallel_branches = false;
  CHECK(test::rel_error(model.forward(v, fo), ref) < 1e-5);
}

TEST_CASE("quant: clip search never does worse than plain RTN on the weights", "[quant]") {
  MatrixRM w = randn(32, 64, 21);
  w(3, 7) = 12;  // a heavy-tailed row
  const double plain = (optical::quantize_weights_rtn(w, 4, 0).dequantized() - w).squaredNorm();
  const double searched = (quant::quantize_rtn_clip_search(w, 4, 0).dequantized() - w).squaredNorm();
  CHECK(searched <= plain);
}

TEST_CASE("quant: recipes parse strictly and name file, line and key", "[quant]") {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / "oasim-test-recipes";
  fs::create_directories(dir);
  auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream((dir / name).string()) << text;
    return (dir / name).string();
  };
  auto r = quant::load_recipe(std::string(OASIM_SOURCE_DIR) + "/configs/recipes/w4a8-best.yaml");
  CHECK(r.weights == quant::WeightMethod::Gptq);
  CHECK(quant::in_set(r.hadamard_sites, videomamba::LinearKind::OutProj));
  CHECK_FALSE(quant::in_set(r.hadamard_sites, videomamba::LinearKind::DtProj));
  CHECK(r.outliers.max_channels == 8);
  CHECK(r.outliers.activation_bits == 8);
  CHECK(r.hardware.size() == 3);
  CHECK_THROWS_WITH(quant::load_recipe(write("a.yaml", "weights: {method: awq}\n")),
                    Catch::Contains("a.yaml:1") && Catch::Contains("expected rtn or gptq"));
  CHECK_THROWS_WITH(quant::load_recipe(write("b.yaml", "hadamard:\n  sites: [in_proj, conv]\n")),
                    Catch::Contains("b.yaml:2") && Catch::Contains("unknown Linear kind 'conv'"));
  CHECK_THROWS_WITH(quant::load_recipe(write("c.yaml", "smoothquant: {alpha: 2, sites: [in_proj]}\n")),
                    Catch::Contains("smoothquant.alpha"));
  CHECK_THROWS_WITH(quant::load_recipe(write("d.yaml", "rotation: {}\n")), Catch::Contains("unknown key 'rotation'"));
}

TEST_CASE("quant: a GPTQ + rotation + outlier recipe run is deterministic and costs digital work", "[quant]") {
  run::RunOptions o = test::tiny_run_options(2, 3, 3);
  config::HardwareConfig hw;
  auto plain = run::run_hardware(o, hw);
  o.recipe = quant::load_recipe(std::string(OASIM_SOURCE_DIR) + "/configs/recipes/w4a8-best.yaml");
  auto a = run::run_hardware(o, hw);
  auto b = run::run_hardware(o, hw);
  REQUIRE(a.sites.size() == b.sites.size());
  for (size_t i = 0; i < a.sites.size(); ++i) CHECK(a.sites[i].sqnr_db == b.sites[i].sqnr_db);
  CHECK(a.logit_cosine == b.logit_cosine);
  // The online Hadamard transforms and the outlier path are digital work: more energy, longer frames.
  CHECK(a.cost.actions_per_frame.digital_adds > plain.cost.actions_per_frame.digital_adds);
  CHECK(a.cost.at_input_fps.total_j() > plain.cost.at_input_fps.total_j());
  CHECK(a.cost.frame_latency_s >= plain.cost.frame_latency_s);
}

TEST_CASE("quant: dt_proj's smoothing is folded into x_proj's dt rows and stays exact", "[quant]") {
  using namespace videomamba;
  VideoMambaModel model(load_model(test::fixture("tiny_stream.h5")));
  const config::HardwareConfig hw = test::exact_hardware();
  quant::Recipe r;
  r.smooth_alpha = 0.5;
  r.smooth_sites[3] = true;  // dt_proj
  hardware::OpticalLinearExecutor ex(model.weights(), hw, 1, r);
  run::calibrate(ex, model, test::tiny_run_options(1, 2, 3));
  // x_proj's plan holds W with its dt rows divided by dt_proj's s (the ADC sees the folded values); the
  // B and C rows are untouched.
  const auto& lw = model.weights().layers[0].fwd.x_proj;
  const MatrixRM folded = ex.plan(LinearSite{LinearKind::XProj, 0, Direction::Forward}.name()).weights.dequantized();
  const int R = model.config().dt_rank;
  double dt_ratio_dev = 0, bc_ratio_dev = 0;
  for (long row = 0; row < folded.rows(); ++row) {
    const double ratio = folded.row(row).norm() / lw.weight.row(row).norm();
    (row < R ? dt_ratio_dev : bc_ratio_dev) = std::max(row < R ? dt_ratio_dev : bc_ratio_dev, std::abs(ratio - 1));
  }
  CHECK(dt_ratio_dev > 0.05);
  CHECK(bc_ratio_dev < 1e-3);
  // The folded model on exact hardware still gives the fp32 logits.
  Video v(model.config().in_chans, 2, model.config().img_size, model.config().img_size);
  NormalSampler n(6);
  n.fill(v.data.data(), long(v.data.size()));
  ForwardOptions fo;
  fo.linear = &ex;
  CHECK(test::rel_error(model.forward(v, fo), model.forward(v)) < 1e-3);
}

TEST_CASE("quant: smoothing in_proj costs a multiply once a residual rotation has folded the norm weight away",
          "[quant]") {
  quant::Recipe r;
  r.smooth_alpha = 0.5;
  r.smooth_sites = {true, true, true, true, true, true};
  using videomamba::LinearKind;
  CHECK(quant::online_cost(r, LinearKind::InProj, 192, 768, true, 4).muls == 0);   // into the norm weight
  CHECK(quant::online_cost(r, LinearKind::DtProj, 12, 384, true, 4).muls == 0);    // into x_proj's rows
  CHECK(quant::online_cost(r, LinearKind::OutProj, 384, 192, true, 4).muls == 384);
  r.residual_rotation = true;
  CHECK(quant::online_cost(r, LinearKind::InProj, 192, 768, true, 4).muls == 192);
  CHECK(quant::online_cost(r, LinearKind::Head, 192, 10, true, 4).muls == 192);
}

TEST_CASE("quant: Quamba's SSM-input percentile is refused under dynamic DAC scales", "[quant]") {
  using namespace videomamba;
  VideoMambaModel model(load_model(test::fixture("tiny_stream.h5")));
  quant::Recipe r;
  r.ssm_input_percentile = 99.9;
  config::HardwareConfig hw;
  hw.modulator.scale = config::ActivationScale::Dynamic;
  CHECK_THROWS_WITH(hardware::OpticalLinearExecutor(model.weights(), hw, 1, r),
                    Catch::Contains("ssm_input_percentile") && Catch::Contains("modulator.scale: static"));
  hw.modulator.scale = config::ActivationScale::Static;
  CHECK_NOTHROW(hardware::OpticalLinearExecutor(model.weights(), hw, 1, r));
}
