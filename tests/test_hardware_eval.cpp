// `oasim eval --hw`: the official video protocol through the simulated optical hardware, on the generated
// videos and the tiny golden model the fp32 eval tests use (tests/fixtures). The hardware path must
// really run (probabilities differ from fp32), stay close to fp32 on the default design, degrade on a
// 2-bit design, and be reproducible for a seed.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "tests/test_support.hpp"

using namespace oasim;

namespace {

std::filesystem::path work_dir() {
  auto dir = std::filesystem::temp_directory_path() / "oasim-test-hardware-eval";
  std::filesystem::create_directories(dir);
  return dir;
}

std::string eval_config() {  // the tiny golden model takes 3 frames of 32x32
  auto p = (work_dir() / "tiny_eval.yaml").string();
  std::ofstream(p) << "name: tiny\nsampling:\n  mode: sparse\n  frames: 0\n  clips: 2\nviews:\n  short_side: 40\n"
                      "  crop: 32\n  crops: 3\n";
  return p;
}

struct Prediction {
  int pred = -1;
  double prob = 0;
};

// Runs `oasim eval` with extra arguments; returns the evaluated videos' predictions by id.
std::map<std::string, Prediction> eval(const std::string& name, const std::string& extra, std::string* log = nullptr) {
  const auto csv = (work_dir() / (name + ".csv")).string();
  auto r = test::run_oasim("eval --model " + test::fixture("tiny_clip.h5") + " --data " +
                           test::fixture("videos/list.csv") + " --root " + test::fixture("videos/classes") +
                           " --classes " + test::fixture("videos/classes.txt") + " --config " + eval_config() +
                           " --out " + csv + " " + extra);
  INFO(r.out);
  REQUIRE(r.code == 0);
  CHECK_THAT(r.out, Catch::Contains("videos: 6 (evaluated 4, skipped 2)"));
  if (log) *log = r.out;
  std::map<std::string, Prediction> out;
  std::ifstream in(csv);
  std::string line;
  std::getline(in, line);  // header: id,label,pred,pred_name,prob,...,status,error
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::stringstream ss(line);
    for (std::string x; std::getline(ss, x, ',');) f.push_back(x);
    if (f.size() > 11 && f[11] == "ok") out[f[0]] = {std::stoi(f[2]), std::stod(f[4])};
  }
  return out;
}

double mean_prob_gap(const std::map<std::string, Prediction>& a, const std::map<std::string, Prediction>& b) {
  double s = 0;
  for (auto& [id, p] : a) s += std::abs(p.prob - b.at(id).prob);
  return s / double(a.size());
}

}  // namespace

TEST_CASE("hardware eval: oasim eval --hw runs the official protocol through the simulated hardware",
          "[video][hardware]") {
  const std::string hw = " --hw " + std::string(OASIM_SOURCE_DIR) + "/configs/hw/default.yaml";
  const auto fp32 = eval("fp32", "");
  std::string log;
  // Dynamic ADC ranges: the static ones would be calibrated on random clips (--calibration-data), not on
  // the videos' statistics, which is a test of the calibration data rather than of the hardware path.
  const std::string quiet_hw = hw + " --set detector.noise_model=off --set adc.range=dynamic";
  const auto quiet = eval("hw-quiet", quiet_hw, &log);
  CHECK_THAT(log, Catch::Contains("on simulated hardware 'lumai-like-default'"));
  REQUIRE(fp32.size() == 4);
  REQUIRE(quiet.size() == 4);
  int same_class = 0;
  for (auto& [id, p] : fp32) same_class += quiet.at(id).pred == p.pred;
  const double gap_default = mean_prob_gap(quiet, fp32);
  INFO("default design: mean |p_hw - p_fp32| of the top class = " << gap_default);
  CHECK(gap_default > 0);             // the hardware numerics really ran
  CHECK(gap_default < 0.05);          // W4A8 with 8-bit ADC stays close to fp32 on this model
  CHECK(same_class == 4);

  const auto harsh =
      eval("hw-harsh", quiet_hw + " --set weight_plane.weight_bits=2 --set modulator.dac_bits=2 --set adc.bits=2");
  int same_harsh = 0;
  for (auto& [id, p] : fp32) same_harsh += harsh.at(id).pred == p.pred;
  CHECK(same_harsh < same_class);  // a 2-bit design changes predictions the W4A8 design keeps

  // Detector noise on: reproducible for a seed, different for another seed.
  const auto a = eval("noisy-a", hw + " --seed 3 --set detector.noise_scale=50");
  const auto b = eval("noisy-b", hw + " --seed 3 --set detector.noise_scale=50");
  const auto c = eval("noisy-c", hw + " --seed 4 --set detector.noise_scale=50");
  CHECK(mean_prob_gap(a, b) == 0);
  CHECK(mean_prob_gap(a, c) > 0);
}

TEST_CASE("hardware eval: hardware options need --hw", "[video][hardware]") {
  auto r = test::run_oasim("eval --model " + test::fixture("tiny_clip.h5") + " --data " +
                           test::fixture("videos/list.csv") + " --recipe w4a8-rtn");
  CHECK(r.code == 2);
  CHECK_THAT(r.out, Catch::Contains("--recipe, --set and --device-out need --hw CONFIG"));
}
