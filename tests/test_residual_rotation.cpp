// Offline residual-stream rotation (QuaRot-style): the Hadamard construction is orthogonal, the rotated
// model gives the same fp32 logits, a planted outlier channel of the residual stream is flattened, the
// run path uses the rotated model, and the recipe rejects online rotations it makes redundant.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "sim/common/error.hpp"
#include "sim/common/normal_sampler.hpp"
#include "sim/run/hardware_run.hpp"
#include "tests/run_support.hpp"
#include "workloads/compiler/compiler.hpp"
#include "workloads/quant/recipe.hpp"
#include "workloads/quant/residual_rotation.hpp"
#include "workloads/videomamba/model_file.hpp"
#include "workloads/videomamba/tensor_observer.hpp"
#include "workloads/videomamba/videomamba_model.hpp"

using namespace oasim;

namespace {

videomamba::Video random_video(const videomamba::ModelConfig& c, int frames, uint64_t seed) {
  videomamba::Video v(c.in_chans, frames, c.img_size, c.img_size);
  NormalSampler s(seed);
  s.fill(v.data.data(), long(v.data.size()));
  return v;
}

double peak_to_rms(const MatrixRM& m) {
  return double(m.cwiseAbs().maxCoeff()) / std::sqrt(double(m.squaredNorm()) / double(m.size()));
}

// Records the residual stream after each block.
struct BlockOutputs final : videomamba::TensorObserver {
  std::vector<MatrixRM> out;
  void observe(videomamba::Tap tap, int, videomamba::Direction, const videomamba::LinearSite*,
               const MatrixRM& v) override {
    if (tap == videomamba::Tap::BlockOut) out.push_back(v);
  }
};

}  // namespace

TEST_CASE("residual rotation: Hadamard matrices of the model widths are orthogonal", "[quant][rotation]") {
  for (int n : {12, 20, 32, 64, 192, 384}) {
    INFO("n = " << n);
    const Eigen::MatrixXd h = quant::hadamard_matrix(n);
    REQUIRE(h.rows() == n);
    CHECK((h.cwiseAbs().array() == 1.0).all());
    CHECK((h * h.transpose() - n * Eigen::MatrixXd::Identity(n, n)).cwiseAbs().maxCoeff() < 1e-9);
  }
  CHECK(quant::hadamard_matrix(36).size() == 0);  // 36 = 4 * 9, 9 - 1 = 8 not a prime = 3 mod 4
  for (int d : {192, 36, 30}) {  // full Hadamard, then the block-diagonal fallbacks
    const Eigen::MatrixXd q = quant::residual_rotation_matrix(d, 5);
    CHECK((q * q.transpose() - Eigen::MatrixXd::Identity(d, d)).cwiseAbs().maxCoeff() < 1e-12);
  }
  // 192: every output channel mixes every input channel (not blocks of 64).
  CHECK((quant::residual_rotation_matrix(192, 1).cwiseAbs().array() > 0.07).all());
  // Random signs depend on the seed.
  CHECK(!quant::residual_rotation_matrix(192, 1).isApprox(quant::residual_rotation_matrix(192, 2)));
}

TEST_CASE("residual rotation: the rotated tiny models give the fp32 logits to 1e-5", "[quant][rotation]") {
  using namespace videomamba;
  for (const char* file : {"tiny_stream.h5", "tiny_clip.h5"}) {
    INFO(file);
    VideoMambaModel model(load_model(test::fixture(file)));
    const ModelConfig& c = model.config();
    ModelWeights w = model.weights();
    // Norm weights far from one, so that folding them is exercised.
    NormalSampler s(3);
    for (auto& l : w.layers) {
      s.fill(l.norm_weight.data(), l.norm_weight.size());
      l.norm_weight.array() += 1.5f;
    }
    s.fill(w.norm_f_weight.data(), w.norm_f_weight.size());
    VideoMambaModel plain(w);
    VideoMambaModel rotated(quant::rotate_residual(w, quant::residual_rotation_matrix(c.embed_dim, 7)));
    const Video v = random_video(c, c.is_stream() ? 3 : c.num_frames, 4);
    const MatrixRM ref = plain.forward(v), got = rotated.forward(v);
    CHECK(test::rel_error(got, ref) < 1e-5);
    // Norm weights are folded away; the weights did change.
    CHECK((rotated.weights().layers[0].norm_weight.array() == 1.0f).all());
    CHECK(!rotated.weights().layers[0].in_proj.weight.isApprox(w.layers[0].in_proj.weight, 1e-2f));
  }
}

TEST_CASE("residual rotation: a planted outlier channel of the residual stream is flattened", "[quant][rotation]") {
  using namespace videomamba;
  VideoMambaModel model(load_model(test::fixture("tiny_stream.h5")));
  ModelWeights w = model.weights();
  // One residual channel 40x larger in every token: the embedding's and every block's output.
  const int ch = 5;
  w.patch_embed.weight.row(ch) *= 40.0f;
  if (w.patch_embed.bias.size()) w.patch_embed.bias[ch] *= 40.0f;
  w.pos_embed.col(ch) *= 40.0f;
  w.cls_token[ch] *= 40.0f;
  VideoMambaModel plain(w);
  VideoMambaModel rotated(quant::rotate_residual(w, quant::residual_rotation_matrix(w.config.embed_dim, 1)));
  const Video v = random_video(w.config, 2, 8);
  BlockOutputs a, b;
  ForwardOptions fa, fb;
  fa.observer = &a;
  fb.observer = &b;
  plain.forward(v, fa);
  rotated.forward(v, fb);
  REQUIRE(a.out.size() == b.out.size());
  for (size_t i = 0; i < a.out.size(); ++i) {
    INFO("block " << i << ": peak/rms " << peak_to_rms(a.out[i]) << " -> " << peak_to_rms(b.out[i]));
    CHECK(a.out[i].row(0).norm() == Approx(b.out[i].row(0).norm()).epsilon(1e-4));  // orthogonal
    CHECK(peak_to_rms(b.out[i]) < peak_to_rms(a.out[i]) / 2);
  }
}

TEST_CASE("residual rotation: a run uses the rotated model, costs no online work, and combines", "[quant][rotation]") {
  run::RunOptions o = test::tiny_run_options(2, 3, 3);
  // Exact hardware: the rotated run must still reproduce fp32 (a wrongly rotated model would not).
  const config::HardwareConfig exact = test::exact_hardware();
  o.recipe.residual_rotation = true;
  auto rep = run::run_hardware(o, exact);
  CHECK(rep.logit_cosine > 0.99999);
  CHECK(rep.agreement == 1.0);

  config::HardwareConfig hw;
  o.recipe = quant::Recipe();
  auto plain = run::run_hardware(o, hw);
  o.recipe = quant::load_recipe(std::string(OASIM_SOURCE_DIR) + "/configs/recipes/w4a8-rotated-gptq.yaml");
  CHECK(o.recipe.residual_rotation);
  auto a = run::run_hardware(o, hw), b = run::run_hardware(o, hw);
  CHECK(a.logit_cosine == b.logit_cosine);  // deterministic
  CHECK(a.logit_cosine != plain.logit_cosine);
  // Only out_proj's online FWHT is added; the residual rotation saves the norms' weight multiplies.
  quant::Recipe rr_only;
  rr_only.residual_rotation = true;
  const videomamba::ModelConfig mc = videomamba::load_model(o.model_path).config;
  const auto p0 = compiler::compile(mc, hw, 1, nullptr), p1 = compiler::compile(mc, hw, 1, &rr_only);
  double muls0 = 0, muls1 = 0, adds0 = 0, adds1 = 0;
  for (auto& op : p0.ops) muls0 += op.digital.muls, adds0 += op.digital.adds;
  for (auto& op : p1.ops) muls1 += op.digital.muls, adds1 += op.digital.adds;
  CHECK(adds1 == adds0);
  CHECK(muls1 == muls0 - double(mc.depth) * mc.sequence_length(1) * mc.embed_dim - mc.embed_dim);
}

TEST_CASE("residual rotation: recipe section parses strictly, online in_proj/head rotation rejected", "[quant][rotation]") {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / "oasim-test-rotation";
  fs::create_directories(dir);
  auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream((dir / name).string()) << text;
    return (dir / name).string();
  };
  auto r = quant::load_recipe(write("ok.yaml", "residual_rotation: {seed: 4}\nhadamard: {sites: [out_proj, x_proj]}\n"));
  CHECK(r.residual_rotation);
  CHECK(r.residual_rotation_seed == 4);
  CHECK(quant::load_recipe(write("ok2.yaml", "residual_rotation: {}\n")).residual_rotation_seed == 1);
  CHECK_THROWS_WITH(quant::load_recipe(write("a.yaml", "name: x\nresidual_rotation: {seed: 1}\nhadamard: {sites: [in_proj]}\n")),
                    Catch::Contains("a.yaml:2") && Catch::Contains("drop them from hadamard.sites"));
  CHECK_THROWS_WITH(quant::load_recipe(write("b.yaml", "hadamard: {sites: [head]}\nresidual_rotation:\n  seed: 2\n")),
                    Catch::Contains("b.yaml:3") && Catch::Contains("in_proj and head"));
  CHECK_THROWS_WITH(quant::load_recipe(write("c.yaml", "residual_rotation:\n  sead: 2\n")),
                    Catch::Contains("c.yaml:2") && Catch::Contains("unknown key 'sead'"));
  CHECK_THROWS_WITH(quant::load_recipe(write("d.yaml", "residual_rotation: {seed: -1}\n")),
                    Catch::Contains("d.yaml:1") && Catch::Contains("residual_rotation.seed"));
}
