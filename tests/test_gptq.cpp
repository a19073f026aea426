// GPTQ against an independent port of the reference implementation (IST-DASLab gptq.py: Cholesky of
// H^-1, lazy blocked column updates). The codes must match, the layer error must be far below RTN's, and a
// deliberately broken update (raw H^-1 rows instead of its Cholesky factor) must fail the same bound, so
// the bound is known to catch a wrong update. A Hessian without a Cholesky factor is an InputError naming
// the layer and the damping. Sequential mode's block Hessians come from the quantized prefix.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <numeric>

#include "models/optical/quantizer.hpp"
#include "models/optical/weight_quantizer.hpp"
#include "sim/common/error.hpp"
#include "sim/hardware/optical_linear_executor.hpp"
#include "sim/run/hardware_run.hpp"
#include "tests/run_support.hpp"
#include "workloads/quant/recipe.hpp"
#include "workloads/quant/weight_methods.hpp"
#include "workloads/videomamba/model_file.hpp"
#include "workloads/videomamba/videomamba_model.hpp"

using namespace oasim;

namespace {

using test::randn;

// Correlated inputs with uneven channel energy and a few strong channels: where GPTQ's error feedback pays.
MatrixRM calibration_inputs(long rows, long k, uint64_t seed) {
  MatrixRM x = randn(rows, k, seed);
  for (long c : {3L, 17L, 40L}) x.col(c) *= 25.0f;
  const MatrixRM mix = randn(k, k, seed + 1, 0.3f) + MatrixRM::Identity(k, k);
  return x * mix;
}

// Port of gptq.py's fasterquant (per-row scales from the original W, i.e. static groups; act_order;
// blocksize 128), written from the reference and not from oasim's implementation. `broken` replaces the
// upper Cholesky factor of H^-1 by H^-1 itself (its rows, its diagonal): the plausible wrong update.
MatrixRM reference_gptq_codes(const MatrixRM& w_in, const Eigen::MatrixXd& xtx, int bits, double percdamp,
                              bool broken = false) {
  const long rows = w_in.rows(), cols = w_in.cols();
  const int maxq = optical::max_code(bits);
  Eigen::MatrixXd W = w_in.cast<double>();
  Eigen::MatrixXd H = 2.0 * xtx;
  // find_params on the full rows first (symmetric, max-based).
  Eigen::VectorXd scale(rows);
  for (long r = 0; r < rows; ++r) {
    const double mx = W.row(r).cwiseAbs().maxCoeff();
    scale[r] = mx > 0 ? float(mx) / float(maxq) : 1.0;
  }
  for (long j = 0; j < cols; ++j)
    if (H(j, j) == 0) H(j, j) = 1;
  std::vector<long> perm(static_cast<size_t>(cols));
  std::iota(perm.begin(), perm.end(), 0L);
  std::stable_sort(perm.begin(), perm.end(), [&](long a, long b) { return H(a, a) > H(b, b); });
  Eigen::MatrixXd Wp(rows, cols), Hp(cols, cols);
  for (long i = 0; i < cols; ++i) Wp.col(i) = W.col(perm[size_t(i)]);
  for (long i = 0; i < cols; ++i)
    for (long j = 0; j < cols; ++j) Hp(i, j) = H(perm[size_t(i)], perm[size_t(j)]);
  Hp.diagonal().array() += percdamp * Hp.diagonal().mean();
  // torch.linalg.cholesky -> cholesky_inverse -> cholesky(upper=True).
  const Eigen::MatrixXd L = Hp.llt().matrixL();
  const Eigen::MatrixXd Linv = L.triangularView<Eigen::Lower>().solve(Eigen::MatrixXd::Identity(cols, cols));
  const Eigen::MatrixXd Hinv_full = Linv.transpose() * Linv;
  const Eigen::MatrixXd Hinv = broken ? Eigen::MatrixXd(Hinv_full.triangularView<Eigen::Upper>())
                                      : Eigen::MatrixXd(Hinv_full.llt().matrixU());
  MatrixRM Q(rows, cols);
  const long block = 128;
  for (long i1 = 0; i1 < cols; i1 += block) {
    const long i2 = std::min(i1 + block, cols), count = i2 - i1;
    Eigen::MatrixXd W1 = Wp.middleCols(i1, count), Err1 = Eigen::MatrixXd::Zero(rows, count);
    const Eigen::MatrixXd Hinv1 = Hinv.block(i1, i1, count, count);
    for (long i = 0; i < count; ++i) {
      const double d = Hinv1(i, i);
      for (long r = 0; r < rows; ++r) {
        const float q = optical::quantize(float(W1(r, i)), float(scale[r]), maxq);
        Q(r, perm[size_t(i1 + i)]) = q;
        Err1(r, i) = (W1(r, i) - double(q) * float(scale[r])) / d;
      }
      W1.rightCols(count - i) -= Err1.col(i) * Hinv1.row(i).tail(count - i);
    }
    if (i2 < cols) Wp.rightCols(cols - i2) -= Err1 * Hinv.block(i1, i2, count, cols - i2);
  }
  return Q;
}

MatrixRM dequantize_rows(const MatrixRM& codes, const MatrixRM& w, int bits) {
  MatrixRM out = codes;
  for (long r = 0; r < w.rows(); ++r) {
    const float mx = w.row(r).cwiseAbs().maxCoeff();
    out.row(r) *= mx > 0 ? mx / float(optical::max_code(bits)) : 1.0f;
  }
  return out;
}

}  // namespace

TEST_CASE("gptq: codes equal an independent port of the reference gptq.py, error bound catches a broken update",
          "[quant][gptq]") {
  for (int bits : {3, 4}) {
    INFO("bits " << bits);
    const long k = 192;  // two blocks of the reference's lazy update (128 + 64)
    const MatrixRM w = randn(48, k, 31, 0.1f), x = calibration_inputs(768, k, 32);
    const Eigen::MatrixXd xtx = x.cast<double>().transpose() * x.cast<double>();
    const auto ours = quant::quantize_gptq(w, xtx, bits, 0, 0.01, true, false, "test");
    const MatrixRM ref = reference_gptq_codes(w, xtx, bits, 0.01);
    const long differ = (ours.codes - ref).cwiseAbs().cast<double>().unaryExpr([](double v) { return v > 0 ? 1.0 : 0.0; })
                            .sum();
    INFO("codes differing from the reference: " << differ << " of " << ref.size());
    CHECK(differ <= ref.size() / 1000);  // rounding ties of a different summation order at most

    const double e_rtn = quant::layer_output_mse(w, optical::quantize_weights_rtn(w, bits, 0).dequantized(), x);
    const double e_ours = quant::layer_output_mse(w, ours.dequantized(), x);
    const double e_broken = quant::layer_output_mse(w, dequantize_rows(reference_gptq_codes(w, xtx, bits, 0.01, true), w, bits), x);
    INFO("output MSE: RTN " << e_rtn << ", GPTQ " << e_ours << " (" << e_ours / e_rtn << "x), broken update "
                            << e_broken << " (" << e_broken / e_rtn << "x)");
    CHECK(e_ours < 0.2 * e_rtn);
    CHECK(e_broken > 0.2 * e_rtn);  // the bound above would fail a broken update
  }
}

TEST_CASE("gptq: beats RTN per group too and keeps codes on the symmetric grid", "[quant][gptq]") {
  const MatrixRM w = randn(64, 128, 11, 0.1f), x = calibration_inputs(512, 128, 13);
  const Eigen::MatrixXd xtx = x.cast<double>().transpose() * x.cast<double>();
  for (int bits : {3, 4}) {
    INFO("bits " << bits);
    const auto q = quant::quantize_gptq(w, xtx, bits, 32, 0.01, true, false);
    const double e_rtn = quant::layer_output_mse(w, optical::quantize_weights_rtn(w, bits, 32).dequantized(), x);
    CHECK(quant::layer_output_mse(w, q.dequantized(), x) < 0.3 * e_rtn);
    CHECK(q.codes.cwiseAbs().maxCoeff() <= float(optical::max_code(bits)));
  }
}

TEST_CASE("gptq: a Hessian without a Cholesky factor is an error naming the layer and the damping", "[quant][gptq]") {
  const MatrixRM w = randn(8, 4, 1);
  Eigen::MatrixXd indefinite(4, 4);  // eigenvalues 3, -1, 3, -1: no real inputs give it, damping 0 keeps it
  indefinite << 1, 2, 0, 0, 2, 1, 0, 0, 0, 0, 1, 2, 0, 0, 2, 1;
  CHECK_THROWS_AS(quant::quantize_gptq(w, indefinite, 4, 0, 0.0, true, false, "layers.3.mixer.x_proj"), InputError);
  CHECK_THROWS_WITH(quant::quantize_gptq(w, indefinite, 4, 0, 0.0, true, false, "layers.3.mixer.x_proj"),
                    Catch::Contains("layers.3.mixer.x_proj") && Catch::Contains("damping"));
  Eigen::MatrixXd nan = Eigen::MatrixXd::Identity(4, 4);
  nan(1, 2) = nan(2, 1) = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_WITH(quant::quantize_gptq(w, nan, 4, 0, 0.01, true, false, "head"), Catch::Contains("head"));
  // Enough damping makes the same indefinite matrix factorisable: 2 x (eigenvalue -1) + 1.5 x 2 > 0.
  CHECK_NOTHROW(quant::quantize_gptq(w, indefinite, 4, 0, 1.5, true, false, "layers.3.mixer.x_proj"));
}

TEST_CASE("gptq: sequential mode takes each block's Hessian from the already-quantized prefix", "[quant][gptq]") {
  using namespace videomamba;
  const ModelWeights weights = load_model(test::fixture("tiny_stream.h5"));
  const VideoMambaModel model(weights);
  config::HardwareConfig hw;
  const run::RunOptions o = test::tiny_run_options(2, 3, 5);
  quant::Recipe one_shot;
  one_shot.weights = quant::WeightMethod::Gptq;
  quant::Recipe sequential = one_shot;
  sequential.gptq_sequential = true;
  hardware::OpticalLinearExecutor a(model.weights(), hw, 1, one_shot), b(model.weights(), hw, 1, sequential);
  CHECK(a.stats_stages() == 1);
  CHECK(b.stats_stages() == int(weights.layers.size()) + 2);
  run::calibrate(a, model, o);
  run::calibrate(b, model, o);
  auto differing = [](const MatrixRM& x, const MatrixRM& y) { return long((x - y).cwiseAbs().count()); };
  const std::string pe = LinearSite{LinearKind::PatchEmbed}.name();
  // patch_embed is first: the same fp32 inputs, the same codes.
  CHECK(differing(a.plan(pe).weights.codes, b.plan(pe).weights.codes) == 0);
  // Reference for block 0: a one-shot run on a model whose patch_embed holds its quantized weights sees
  // exactly what the sequential stage of block 0 saw.
  ModelWeights prefix = weights;
  prefix.patch_embed.weight = b.plan(pe).weights.dequantized();
  const VideoMambaModel prefix_model(prefix);
  hardware::OpticalLinearExecutor c(prefix_model.weights(), hw, 1, one_shot);
  run::calibrate(c, prefix_model, o);
  long seq_vs_ref = 0, seq_vs_one_shot = 0, codes = 0;
  for (auto k : {LinearKind::InProj, LinearKind::OutProj}) {
    const std::string n = LinearSite{k, 0}.name();
    seq_vs_ref += differing(b.plan(n).weights.codes, c.plan(n).weights.codes);
    seq_vs_one_shot += differing(b.plan(n).weights.codes, a.plan(n).weights.codes);
    codes += b.plan(n).weights.codes.size();
  }
  INFO("block 0 codes differing: sequential vs prefix reference " << seq_vs_ref << ", vs one-shot " << seq_vs_one_shot
                                                                  << " of " << codes);
  CHECK(seq_vs_ref <= codes / 1000);
  CHECK(seq_vs_one_shot > seq_vs_ref);
  // The later blocks differ too (their prefix is quantized), and a sequential run is deterministic.
  hardware::OpticalLinearExecutor d(model.weights(), hw, 1, sequential);
  run::calibrate(d, model, o);
  const std::string last = LinearSite{LinearKind::OutProj, int(weights.layers.size()) - 1}.name();
  CHECK(differing(d.plan(last).weights.codes, b.plan(last).weights.codes) == 0);
}

TEST_CASE("gptq: weights.sequential parses, and only with method gptq", "[quant][gptq]") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / "oasim-test-gptq";
  fs::create_directories(dir);
  auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream((dir / name).string()) << text;
    return (dir / name).string();
  };
  CHECK(quant::load_recipe(write("s.yaml", "weights: {method: gptq, sequential: true}\n")).gptq_sequential);
  CHECK_THROWS_WITH(quant::load_recipe(write("r.yaml", "weights: {method: rtn, sequential: true}\n")),
                    Catch::Contains("r.yaml:1") && Catch::Contains("gptq only"));
  CHECK_THROWS_WITH(quant::load_recipe(write("t.yaml", "weights: {method: gptq, sequential: yes}\n")),
                    Catch::Contains("weights.sequential"));
}
