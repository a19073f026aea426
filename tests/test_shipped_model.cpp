// The shipped default model: it loads, its C++ fp32 accuracy on the first 64 Moving Fashion-MNIST test
// clips reproduces the figure recorded next to it (models/videomamba-stream-mfm.json, docs/), and it
// is far above chance (1/40), so a broken model, loader or generator fails here.
#include <catch2/catch.hpp>

#include <fstream>
#include <nlohmann/json.hpp>

#include "sim/run/hardware_run.hpp"
#include "workloads/videomamba/model_file.hpp"

using namespace oasim;

TEST_CASE("shipped model: fp32 accuracy on test clips reproduces the recorded figure", "[shipped]") {
  const std::string root = OASIM_SOURCE_DIR;
  std::ifstream jf(root + "/models/videomamba-stream-mfm.json");
  REQUIRE(jf.good());
  auto rec = nlohmann::json::parse(jf);
  run::RunOptions o;
  o.model_path = root + "/models/videomamba-stream-mfm.h5";
  o.data_spec = "mfm:test";
  o.clips = rec["clips"].get<long>();
  o.frames = rec["frames"].get<int>();
  o.skip_frames = rec["skip_frames"].get<int>();
  o.seed = rec["seed"].get<uint64_t>();
  o.fp32_only = true;
  o.progress = false;
  auto r = run::run_hardware(o, config::HardwareConfig{});
  CHECK(r.scored_frames == o.clips * (o.frames - o.skip_frames));
  CHECK(r.fp32_top1 == Approx(rec["fp32_top1"].get<double>()).margin(1e-9));
  CHECK(r.fp32_top1 > 0.7);
}
