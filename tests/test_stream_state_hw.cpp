// Stream state saved and loaded through the simulated hardware (issue 18): a stream cut in two with
// `infer --hw --save-state` / `--load-state` gives exactly the logits of the uninterrupted stream, because
// the detector-noise streams continue where they stopped; a state saved on other hardware is refused.
#include <unistd.h>

#include <catch2/catch.hpp>

#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "sim/common/h5_file.hpp"
#include "tests/test_support.hpp"
#include "workloads/videomamba/model_file.hpp"

using namespace oasim;
namespace fs = std::filesystem;

namespace {

// A clip file of frames [first, first + n) of one seeded random video: [channels, frames, height, width].
void write_clip(const fs::path& path, const videomamba::ModelConfig& c, int total, int first, int n) {
  const size_t plane = size_t(c.img_size) * size_t(c.img_size);
  std::vector<float> all(size_t(c.in_chans) * size_t(total) * plane);
  std::mt19937 rng(7);
  std::normal_distribution<float> nd;
  for (auto& v : all) v = nd(rng);
  std::vector<float> part(size_t(c.in_chans) * size_t(n) * plane);
  for (int ch = 0; ch < c.in_chans; ++ch)
    for (int t = 0; t < n; ++t)
      std::copy_n(all.begin() + long((size_t(ch) * size_t(total) + size_t(first + t)) * plane), plane,
                  part.begin() + long((size_t(ch) * size_t(n) + size_t(t)) * plane));
  h5::Writer w(path.string());
  w.floats("video", {hsize_t(c.in_chans), hsize_t(n), hsize_t(c.img_size), hsize_t(c.img_size)}, part.data());
}

std::vector<float> logits(const fs::path& p) { return h5::Reader(p.string()).read_floats("logits").data; }

}  // namespace

TEST_CASE("stream state through the hardware: save + load continues the noise exactly", "[cli][stream_state]") {
  const std::string model = test::fixture("tiny_stream.h5");
  const auto c = videomamba::read_model_config(h5::Reader(model));
  const fs::path dir = fs::temp_directory_path() / ("oasim-state-hw-" + std::to_string(getpid()));
  fs::create_directories(dir);
  write_clip(dir / "full.h5", c, 6, 0, 6);
  write_clip(dir / "first.h5", c, 6, 0, 3);
  write_clip(dir / "last.h5", c, 6, 3, 3);
  const std::string hw = " --model '" + model + "' --hw configs/hw/default.yaml --seed 3";
  auto q = [](const fs::path& p) { return " '" + p.string() + "'"; };

  auto r = test::run_oasim("infer" + hw + " --input" + q(dir / "full.h5") + " --logits-out" + q(dir / "a.h5"));
  REQUIRE(r.code == 0);
  r = test::run_oasim("infer" + hw + " --input" + q(dir / "first.h5") + " --save-state" + q(dir / "s.h5"));
  REQUIRE(r.code == 0);
  r = test::run_oasim("infer" + hw + " --input" + q(dir / "last.h5") + " --load-state" + q(dir / "s.h5") +
                      " --logits-out" + q(dir / "b.h5"));
  REQUIRE(r.code == 0);
  const auto a = logits(dir / "a.h5"), b = logits(dir / "b.h5");
  REQUIRE(a.size() == 2 * b.size());
  const std::vector<float> a_last(a.begin() + long(b.size()), a.end());
  CHECK(a_last == b);  // bit for bit: same device, same state, same noise samples

  // The equality is not trivial: another noise seed changes those logits.
  r = test::run_oasim("infer --model '" + model + "' --hw configs/hw/default.yaml --seed 4 --input" + q(dir / "full.h5") +
                      " --logits-out" + q(dir / "c.h5"));
  REQUIRE(r.code == 0);
  const auto other = logits(dir / "c.h5");
  CHECK(std::vector<float>(other.begin() + long(b.size()), other.end()) != b);

  SECTION("a state saved on other hardware is refused, naming what differs") {
    auto bad = test::run_oasim("infer --model '" + model + "' --hw configs/hw/default.yaml --seed 5 --input" +
                               q(dir / "last.h5") + " --load-state" + q(dir / "s.h5"));
    CHECK(bad.code == 2);
    CHECK_THAT(bad.out, Catch::Contains("--seed 3"));
    bad = test::run_oasim("infer" + hw + " --set adc.bits=6 --input" + q(dir / "last.h5") + " --load-state" +
                          q(dir / "s.h5"));
    CHECK(bad.code == 2);
    CHECK_THAT(bad.out, Catch::Contains("another hardware config"));
    CHECK_THAT(bad.out, Catch::Contains("bits"));
  }
  fs::remove_all(dir);
}
