// Golden tests: the C++ VideoMamba against oasim's independent PyTorch reference (computed in float64 by
// tests/fixtures/make_golden.py on the same random-initialised weights, exported through oasim-export).
// Per-block checks make a failure name the block that diverged.
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <map>

#include "tests/test_support.hpp"
#include "workloads/videomamba/model_file.hpp"
#include "workloads/videomamba/videomamba_model.hpp"

using namespace oasim;
using namespace oasim::videomamba;

namespace {

// Keeps the embedding and every block's output.
struct CaptureBlocks : TensorObserver {
  MatrixRM embed;
  std::map<int, MatrixRM> blocks;
  void observe(Tap tap, int layer, Direction, const LinearSite*, const MatrixRM& v) override {
    if (tap == Tap::Embed) embed = v;
    if (tap == Tap::BlockOut) blocks[layer] = v;
  }
};

Video golden_input(const h5::Reader& g) {
  auto arr = g.read_floats("input/video");
  Video v(int(arr.shape[0]), int(arr.shape[1]), int(arr.shape[2]), int(arr.shape[3]));
  v.data = arr.data;
  return v;
}

void check_case(const std::string& name) {
  INFO("golden case " << name);
  VideoMambaModel model(load_model(test::fixture(name + ".h5")));
  h5::Reader g(test::fixture(name + ".golden.h5"));
  Video clip = golden_input(g);
  const ModelConfig& c = model.config();
  const long length = c.sequence_length(clip.frames);

  CaptureBlocks cap;
  ForwardOptions opt;
  opt.observer = &cap;
  MatrixRM logits = model.forward(clip, opt);

  MatrixRM want_embed = test::to_matrix(g.read_floats("expected/embed"), length);
  CHECK(test::rel_error(cap.embed, want_embed) < 1e-6);

  auto blocks = g.read_floats("expected/block_out");
  REQUIRE(blocks.shape[0] == hsize_t(c.depth));
  const size_t per_block = size_t(length) * c.embed_dim;
  for (int i = 0; i < c.depth; ++i) {
    double err = test::rel_error(cap.blocks.at(i).data(), blocks.data.data() + i * per_block, per_block);
    INFO(fmt::format("block {} relative error {:.3e}", i, err));
    REQUIRE(err < 1e-4);  // stop at the first diverging block: later ones only inherit its error
  }

  auto want = g.read_floats("expected/logits");
  MatrixRM want_logits = test::to_matrix(want, logits.rows());
  double err = test::rel_error(logits, want_logits);
  INFO(fmt::format("logits relative error {:.3e}", err));
  CHECK(err < 1e-4);
  CHECK(logits.rows() == (c.is_stream() ? clip.frames : 1));
}

}  // namespace

TEST_CASE("golden: tiny clip model matches the PyTorch reference", "[golden]") { check_case("tiny_clip"); }
TEST_CASE("golden: tiny stream model matches the PyTorch reference", "[golden]") { check_case("tiny_stream"); }
TEST_CASE("golden: VideoMamba-Ti clip model matches the PyTorch reference", "[golden][ti]") { check_case("ti_clip"); }
TEST_CASE("golden: VideoMamba-Ti-shape stream model matches the PyTorch reference", "[golden][ti]") {
  check_case("ti_stream");
}

TEST_CASE("golden: per-direction SSM outputs of the tiny models match", "[golden]") {
  for (std::string name : {"tiny_clip", "tiny_stream"}) {
    INFO("case " << name);
    VideoMambaModel model(load_model(test::fixture(name + ".h5")));
    h5::Reader g(test::fixture(name + ".golden.h5"));
    Video clip = golden_input(g);
    const ModelConfig& c = model.config();
    const long length = c.sequence_length(clip.frames);
    const long seg = c.is_stream() ? c.patches_per_frame() + 1 : length;
    struct CaptureY : TensorObserver {
      std::map<std::pair<int, int>, MatrixRM> y;
      void observe(Tap tap, int layer, Direction dir, const LinearSite*, const MatrixRM& v) override {
        if (tap == Tap::SsmOutput) y[{layer, int(dir)}] = v;
      }
    } cap;
    ForwardOptions opt;
    opt.observer = &cap;
    model.forward(clip, opt);
    auto yf = g.read_floats("expected/y_fwd"), yb = g.read_floats("expected/y_bwd");
    const size_t per = size_t(length) * c.d_inner();
    for (int i = 0; i < c.depth; ++i) {
      MatrixRM f = cap.y.at({i, int(Direction::Forward)});
      MatrixRM b_rev = cap.y.at({i, int(Direction::Backward)});
      // The observer sees the backward output in scan (reversed) order; the reference stores it un-reversed.
      MatrixRM b(b_rev.rows(), b_rev.cols());
      for (long s = 0; s < length; s += seg)
        for (long k = 0; k < seg; ++k) b.row(s + k) = b_rev.row(s + seg - 1 - k);
      INFO("layer " << i);
      CHECK(test::rel_error(f.data(), yf.data.data() + i * per, per) < 1e-4);
      CHECK(test::rel_error(b.data(), yb.data.data() + i * per, per) < 1e-4);
    }
  }
}
