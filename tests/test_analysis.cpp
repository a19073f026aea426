// Activation outlier statistics (sim/analysis): planted outlier channels are found with the right
// persistence, kurtosis and percentiles match closed forms, per-step maxima have the right shape and
// values, results are deterministic; `oasim analyze` writes the documented HDF5 groups.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <random>
#include <string>

#include "sim/analysis/activation_stats.hpp"
#include "sim/common/h5_file.hpp"
#include "tests/test_support.hpp"

using namespace oasim;
using namespace oasim::analysis;
using videomamba::Direction;
using videomamba::LinearKind;
using videomamba::LinearSite;
using videomamba::Tap;

namespace {

constexpr long kSteps = 12, kRows = 8, kChannels = 16;

// |x| uniform in [0.5, 1] with random signs: no channel is ever more than 2x the step median.
MatrixRM base_matrix(std::mt19937& rng) {
  std::uniform_real_distribution<float> mag(0.5f, 1.0f);
  std::bernoulli_distribution sign(0.5);
  MatrixRM m(kRows, kChannels);
  for (long r = 0; r < kRows; ++r)
    for (long c = 0; c < kChannels; ++c) m(r, c) = sign(rng) ? mag(rng) : -mag(rng);
  return m;
}

// Channel 5 scaled x30 in steps 2..9; channel 11 scaled x3 everywhere (not an outlier at k = 6).
std::vector<TensorStats> planted_run(std::vector<MatrixRM>* inputs = nullptr) {
  ActivationStats stats;
  std::mt19937 rng(1234);
  LinearSite site{LinearKind::InProj, 0, Direction::None};
  for (long s = 0; s < kSteps; ++s) {
    MatrixRM m = base_matrix(rng);
    if (s >= 2 && s <= 9) m.col(5) *= 30.0f;
    m.col(11) *= 3.0f;
    stats.begin_pass(PassLayout::single_step(kRows, s));
    stats.observe(Tap::LinearInput, 0, Direction::None, &site, m);
    if (inputs) inputs->push_back(m);
  }
  return stats.finish();
}


}  // namespace

TEST_CASE("analysis: planted outlier channel is found with its persistence", "[analysis]") {
  auto t = planted_run();
  REQUIRE(t.size() == 1);
  const TensorStats& s = t[0];
  CHECK(s.name == "layers.0.mixer.in_proj.input");
  CHECK(s.kind == "in_proj.input");
  CHECK(s.channels == kChannels);
  CHECK(s.samples == kSteps * kRows);
  REQUIRE(s.outlier_channels() == std::vector<long>{5});
  CHECK(s.persistence[5] == Approx(8.0 / 12.0).margin(1e-12));
  for (long c = 0; c < kChannels; ++c)
    if (c != 5) CHECK(s.persistence[size_t(c)] == 0.0);
  for (long st = 0; st < kSteps; ++st) CHECK(s.step_outliers[size_t(st)] == (st >= 2 && st <= 9 ? 1 : 0));
  CHECK(s.outlier_peak_ratio[5] > 15.0f);   // >= 30 * 0.5 / 1
  CHECK(s.outlier_peak_ratio[11] <= 6.0f);  // 3x channel stays below k
  CHECK(s.outlier_peak_ratio[11] >= 1.5f);

  // A lower threshold catches the 3x channel in every step too.
  ActivationStats low(ActivationStatsOptions{2.5, {}, true});
  std::mt19937 rng(99);
  LinearSite site{LinearKind::InProj, 0, Direction::None};
  for (long st = 0; st < kSteps; ++st) {
    MatrixRM m = base_matrix(rng);
    m.col(11) *= 6.0f;
    low.begin_pass(PassLayout::single_step(kRows, st));
    low.observe(Tap::LinearInput, 0, Direction::None, &site, m);
  }
  auto lt = low.finish();
  CHECK(lt[0].outlier_channels() == std::vector<long>{11});
  CHECK(lt[0].persistence[11] == 1.0);
}

TEST_CASE("analysis: per-step max matrix and per-token max", "[analysis]") {
  std::vector<MatrixRM> in;
  auto t = planted_run(&in);
  const TensorStats& s = t[0];
  REQUIRE(s.step_index.size() == size_t(kSteps));
  REQUIRE(s.step_max.size() == size_t(kSteps * kChannels));
  REQUIRE(s.token_max.size() == size_t(kSteps * kRows));
  CHECK(s.rows_per_step == kRows);
  for (long st = 0; st < kSteps; ++st) {
    CHECK(s.step_index[size_t(st)] == st);
    for (long c = 0; c < kChannels; ++c)
      CHECK(s.step_max[size_t(st * kChannels + c)] == in[size_t(st)].col(c).cwiseAbs().maxCoeff());
    for (long r = 0; r < kRows; ++r)
      CHECK(s.token_max[size_t(st * kRows + r)] == in[size_t(st)].row(r).cwiseAbs().maxCoeff());
  }
  float gmax = 0;
  for (auto& m : in) gmax = std::max(gmax, m.cwiseAbs().maxCoeff());
  CHECK(s.max == gmax);
  for (long c = 0; c < kChannels; ++c) {
    float cm = 0;
    for (auto& m : in) cm = std::max(cm, m.col(c).cwiseAbs().maxCoeff());
    CHECK(s.channel_max[size_t(c)] == cm);
  }
  // Static vs dynamic: the outlier tokens have ratio ~1, the rest about 30x.
  CHECK(s.static_dynamic_median >= 1.0);
  CHECK(s.static_dynamic_p90 >= s.static_dynamic_median);
}

TEST_CASE("analysis: kurtosis convention and batch merging", "[analysis]") {
  // Constant +-1: m2 = 1, m4 = 1 -> Pearson kurtosis 1 (excess -2).
  ActivationStats stats;
  LinearSite site{LinearKind::OutProj, 2, Direction::None};
  for (long st = 0; st < 5; ++st) {
    MatrixRM m(6, 3);
    for (long r = 0; r < 6; ++r) m.row(r).setConstant(r % 2 ? 1.0f : -1.0f);
    stats.begin_pass(PassLayout::single_step(6, st));
    stats.observe(Tap::LinearInput, 2, Direction::None, &site, m);
  }
  auto t = stats.finish();
  for (double k : t[0].channel_kurtosis) CHECK(k == Approx(1.0).epsilon(1e-12));
  CHECK(t[0].kurtosis == Approx(1.0).epsilon(1e-12));

  // Gaussian: 3; uniform: 1.8. Merged over many small batches with shifted means (checks Pébay's update).
  std::mt19937 rng(7);
  std::normal_distribution<float> g(4.0f, 2.0f);
  std::uniform_real_distribution<float> u(-1.0f, 3.0f);
  ActivationStats s2;
  for (long st = 0; st < 400; ++st) {
    MatrixRM m(50, 2);
    for (long r = 0; r < 50; ++r) {
      m(r, 0) = g(rng);
      m(r, 1) = u(rng);
    }
    s2.begin_pass(PassLayout::single_step(50, st));
    s2.observe(Tap::SsmOutput, 1, Direction::Forward, nullptr, m);
  }
  auto t2 = s2.finish();
  REQUIRE(t2[0].name == "layers.1.mixer.ssm.y");
  CHECK(t2[0].channel_kurtosis[0] == Approx(3.0).margin(0.1));
  CHECK(t2[0].channel_kurtosis[1] == Approx(1.8).margin(0.05));
  CHECK(t2[0].channel_mean[0] == Approx(4.0).margin(0.05));
  CHECK(t2[0].channel_std[0] == Approx(2.0).margin(0.05));

  Moments a, b, whole;
  // Merge of two exact batches equals the whole: {1,2,3} + {10,20}.
  auto batch = [](std::vector<double> v) {
    Moments m;
    m.n = double(v.size());
    for (double x : v) m.mean += x / m.n;
    for (double x : v) {
      double d = x - m.mean;
      m.m2 += d * d;
      m.m3 += d * d * d;
      m.m4 += d * d * d * d;
    }
    return m;
  };
  a = batch({1, 2, 3});
  b = batch({10, 20});
  whole = batch({1, 2, 3, 10, 20});
  a.merge(b);
  CHECK(a.mean == Approx(whole.mean));
  CHECK(a.m2 == Approx(whole.m2));
  CHECK(a.m3 == Approx(whole.m3));
  CHECK(a.m4 == Approx(whole.m4));
}

TEST_CASE("analysis: histogram percentiles", "[analysis]") {
  // Channel values 1..1000: p99 = 990, p99.9 = 999 (to the histogram's ~4 % bins).
  ActivationStats stats;
  MatrixRM m(1000, 1);
  for (long r = 0; r < 1000; ++r) m(r, 0) = float(r + 1);
  stats.begin_pass(PassLayout::single_step(1000, 0));
  stats.observe(Tap::Delta, 0, Direction::Forward, nullptr, m);
  auto t = stats.finish();
  CHECK(t[0].channel_p99[0] == Approx(990).epsilon(0.04));
  CHECK(t[0].channel_p999[0] == Approx(999).epsilon(0.04));
  CHECK(t[0].channel_p999[0] <= 1000.0f);
  CHECK(t[0].p99 == Approx(990).epsilon(0.04));
  // Bins: 16 per octave, contiguous edges; a value lands in the bin that holds it.
  for (float v : {1e-3f, 0.37f, 1.0f, 5.5f, 1234.5f}) {
    int b = hist_bin(v);
    CHECK(hist_bin_low(b) <= v);
    CHECK(v < hist_bin_high(b));
    CHECK(hist_bin_high(b) / hist_bin_low(b) <= 1.0 + 1.0 / 16 + 1e-9);
  }
  CHECK(hist_bin(0.0f) == 0);
  CHECK(hist_bin(1e30f) == kHistBins - 1);
}

TEST_CASE("analysis: backward rows are put back in forward order, state and layer filter", "[analysis]") {
  ActivationStatsOptions o;
  o.layers = {3};
  ActivationStats stats(o);
  // Two frames of 4 tokens in one pass; the backward branch sees each frame reversed.
  PassLayout l;
  l.step_of_row = {0, 0, 0, 0, 1, 1, 1, 1};
  l.backward_segment = 4;
  l.steps = {0, 1};
  stats.begin_pass(l);
  MatrixRM fwd(8, 2);
  for (long r = 0; r < 8; ++r) fwd.row(r) << float(r + 1), -float(r + 1) / 2;
  MatrixRM rev(8, 2);
  for (long s = 0; s < 8; s += 4)
    for (long i = 0; i < 4; ++i) rev.row(s + i) = fwd.row(s + 3 - i);
  stats.observe(Tap::SsmOutput, 3, Direction::Backward, nullptr, rev);
  stats.observe(Tap::SsmOutput, 4, Direction::Backward, nullptr, rev);  // filtered out
  MatrixRM state = MatrixRM::Constant(5, 3, 0.5f);                      // [d_inner x d_state]
  state(2, 1) = -7;
  stats.observe(Tap::SsmState, 3, Direction::Forward, nullptr, state);
  auto t = stats.finish();
  REQUIRE(t.size() == 2);
  CHECK(t[0].name == "layers.3.mixer.ssm_b.y");
  CHECK(t[0].direction == "backward");
  for (long r = 0; r < 8; ++r) CHECK(t[0].token_max[size_t(r)] == float(r + 1));
  CHECK(t[0].step_max[0] == 4.0f);  // step 0, channel 0
  CHECK(t[0].step_max[2] == 8.0f);  // step 1, channel 0
  CHECK(t[1].name == "layers.3.mixer.ssm.state");
  CHECK(t[1].channels == 5);
  CHECK(t[1].samples == 3);
  REQUIRE(t[1].step_index == std::vector<long>{1});  // the pass's last step
  CHECK(t[1].channel_max[2] == 7.0f);
  CHECK(t[1].token_max == std::vector<float>{7.0f});
}

TEST_CASE("analysis: deterministic", "[analysis]") {
  auto a = planted_run(), b = planted_run();
  REQUIRE(a.size() == b.size());
  CHECK(a[0].step_max == b[0].step_max);
  CHECK(a[0].channel_p999 == b[0].channel_p999);
  CHECK(a[0].channel_kurtosis == b[0].channel_kurtosis);
  CHECK(a[0].persistence == b[0].persistence);
  CHECK(a[0].hist == b[0].hist);
}

TEST_CASE("analysis: oasim analyze on the shipped model writes the documented groups", "[analysis][cli]") {
  namespace fs = std::filesystem;
  const std::string model = std::string(OASIM_SOURCE_DIR) + "/models/videomamba-stream-mfm.h5";
  const fs::path out = fs::temp_directory_path() / "oasim_test_analyze";
  fs::remove_all(out);
  auto r = test::run_oasim("analyze --model " + model + " --data mfm:test --clips 1 --frames 3 --layers 0,2 --out " +
                   out.string());
  INFO(r.out);
  REQUIRE(r.code == 0);
  CHECK_THAT(r.out, Catch::Contains("0.mixer.in_proj.input"));
  h5::Reader h(( out / "analysis.h5").string());
  CHECK(h.string_attribute("oasim_format").value() == "oasim-analysis");
  CHECK(h.int_attribute("steps_per_clip").value() == 3);
  const long tokens = h.int_attribute("tokens_per_step").value();
  CHECK(h.int_attribute("readout_position").value() == tokens - 1);
  for (const char* g : {"layers.0.mixer.in_proj.input", "layers.0.mixer.x_proj.input", "layers.0.mixer.x_proj_b.input",
                        "layers.0.mixer.dt_proj.input", "layers.0.mixer.out_proj.input", "layers.2.mixer.ssm.u",
                        "layers.2.mixer.ssm.delta", "layers.2.mixer.ssm.B", "layers.2.mixer.ssm_b.C",
                        "layers.2.mixer.ssm.y", "layers.2.mixer.ssm_b.y", "layers.2.mixer.ssm.state", "head.input"}) {
    INFO(g);
    CHECK(h.has_group(std::string("tensors/") + g));
  }
  CHECK_FALSE(h.has_group("tensors/layers.1.mixer.in_proj.input"));
  auto shape = h.dataset_shape("tensors/layers.0.mixer.in_proj.input/step_max");
  REQUIRE(shape.size() == 2);
  CHECK(shape[0] == 3);
  CHECK(long(h.dataset_shape("tensors/layers.0.mixer.in_proj.input/token_max")[0]) == 3 * tokens);
  CHECK(h.dataset_shape("tensors/layers.2.mixer.ssm.state/step_max")[0] == 3);
  CHECK(h.read_strings("summary/name").size() == h.dataset_shape("summary/max")[0]);

  auto bad = test::run_oasim("analyze --model " + model + " --clips 1 --layers 99 --out " + out.string());
  CHECK(bad.code == 2);
  CHECK_THAT(bad.out, Catch::Contains("--layers"));
  fs::remove_all(out);
}
