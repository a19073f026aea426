// Drift of the light path with simulated time and the controller's recalibration (issue 14): the drift
// processes against their closed forms and moments, the numerics' response to a gain (signal x g, shot-noise
// variance x g, recalibration undoing it), and a drifting long stream's recalibration schedule end to end.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "models/components/drift.hpp"
#include "models/optical/optical_mvm.hpp"
#include "tests/shared_setups.hpp"
#include "tests/test_support.hpp"

using namespace oasim;
namespace fs = std::filesystem;

TEST_CASE("drift: a pure oscillation is its closed form and 1 at calibration time", "[drift]") {
  hw::DriftSpec spec{0, 0.05, 120};
  const double phase = 0.7;
  hw::DriftProcess p(spec, 1, phase);
  for (double t : {0.0, 0.5, 13.0, 60.0, 119.9, 500.25}) {
    const double expect = 1 + 0.05 * (std::sin(2 * M_PI * t / 120 + phase) - std::sin(phase));
    CHECK(p.at(t) == Approx(expect).epsilon(1e-12));
  }
  hw::DriftProcess none(hw::DriftSpec{}, 7, 0);
  for (double t : {0.0, 1.5, 1e4}) CHECK(none.at(t) == 1.0);
}

TEST_CASE("drift: the random walk's variance grows as sigma^2 t and is linear between its 1 s grid points",
          "[drift]") {
  const double sigma_per_sqrt_min = 0.1;  // 10 %/sqrt(min)
  hw::DriftSpec spec{sigma_per_sqrt_min / std::sqrt(60.0), 0, 300};
  const int n = 2000;
  double sum = 0, sum2 = 0;
  for (int s = 0; s < n; ++s) {
    hw::DriftProcess p(spec, uint64_t(1000 + s), 0);
    p.at(29);
    const double b = p.at(30);
    CHECK(p.at(30.0) == b);  // a repeated time is the same value
    const double w = p.at(240) - 1;  // 4 minutes: variance 4 x 0.01
    sum += w;
    sum2 += w * w;
  }
  const double mean = sum / n, var = sum2 / n - mean * mean;
  const double expect = 4 * sigma_per_sqrt_min * sigma_per_sqrt_min;
  CHECK(std::abs(mean) < 4 * std::sqrt(expect / n));
  CHECK(var == Approx(expect).epsilon(0.1));  // the sample variance's standard error is 3 % at n = 2000
  // Between grid points the walk is the straight line between them.
  hw::DriftProcess p(spec, 5, 0);
  const double w10 = p.at(10), w105 = p.at(10.5), w11 = p.at(11);
  CHECK(w105 == Approx(0.5 * (w10 + w11)).epsilon(1e-12));
}

TEST_CASE("drift: sites share their core's laser bank and each site's planes walk on their own", "[drift]") {
  config::HardwareConfig hw;
  hw.laser.drift_walk_pct_per_sqrt_min = 5;
  hw::DeviceDrift laser_only(hw, 3);
  const double a = laser_only.gain("layers.0.mixer.in_proj", 0, 100), b = laser_only.gain("layers.1.mixer.out_proj", 0, 100);
  const double c = laser_only.gain("layers.0.mixer.x_proj_b", 1, 100);
  CHECK(a == b);
  CHECK(a != c);
  CHECK(a != 1.0);
  hw.laser.drift_walk_pct_per_sqrt_min = 0;
  hw.weight_plane.drift_walk_pct_per_sqrt_min = 5;
  hw::DeviceDrift planes_only(hw, 3);
  CHECK(planes_only.gain("layers.0.mixer.in_proj", 0, 100) != planes_only.gain("layers.1.mixer.out_proj", 0, 100));
  hw::DeviceDrift again(hw, 3);
  CHECK(again.gain("layers.0.mixer.in_proj", 0, 100) == planes_only.gain("layers.0.mixer.in_proj", 0, 100));
  hw.weight_plane.drift_walk_pct_per_sqrt_min = 0;
  CHECK_FALSE(hw::DeviceDrift(hw, 3).active());
}

namespace {

MatrixRM outputs(const config::HardwareConfig& hw, float gain, float calibrated, bool noise, bool adc, long n) {
  MatrixRM W = test::randn(8, 64, 11);
  optical::OpticalLinearPlan plan = optical::make_plan("drift-test", W, VectorF(), hw);
  plan.dac_scale = 3.0f / 255;
  plan.adc_full_scale = 2e4f;
  optical::OpticalMvm mvm(hw);
  MatrixRM X = test::randn(1, 64, 12).replicate(n, 1), y;
  NoiseStream stream(99);
  energy::ActionCounts counts;
  optical::MvmMode mode;
  mode.noise = noise;
  mode.adc = adc;
  mode.analog_gain = gain;
  mode.calibrated_gain = calibrated;
  mvm.run(plan, X, y, stream, counts, mode);
  return y;
}
}  // namespace

TEST_CASE("drift: a gain g scales the detector signal by g and its shot-noise variance by g", "[drift][optical]") {
  const auto hw = test::shot_noise_only_device();
  const long n = 20000;
  const MatrixRM y1 = outputs(hw, 1.0f, 1.0f, true, false, n), y2 = outputs(hw, 0.5f, 1.0f, true, false, n);
  for (long m = 0; m < y1.cols(); ++m) {
    const double mean1 = y1.col(m).mean(), mean2 = y2.col(m).mean();
    const double var1 = (y1.col(m).array() - mean1).square().mean(), var2 = (y2.col(m).array() - mean2).square().mean();
    INFO("output " << m);
    CHECK(std::abs(mean2 - 0.5 * mean1) < 5 * std::sqrt((var2 + 0.25 * var1) / double(n)));
    // In output units (x 1 / calibrated gain = 1): variance g x var1 (shot noise ~ light), not g^2 x var1.
    CHECK(var2 == Approx(0.5 * var1).epsilon(0.08));
  }
}

TEST_CASE("drift: recalibration (ADC range and rescale at the measured gain) undoes a gain and without it the "
          "output is off by the gain",
          "[drift][optical]") {
  const auto hw = test::shot_noise_only_device();
  const MatrixRM ref = outputs(hw, 1.0f, 1.0f, false, true, 4);
  const MatrixRM recal = outputs(hw, 1.25f, 1.25f, false, true, 4);
  const MatrixRM stale = outputs(hw, 1.25f, 1.0f, false, true, 4);
  CHECK((recal - ref).cwiseAbs().maxCoeff() <= 1e-5 * ref.cwiseAbs().maxCoeff());
  // Unclipped, the stale outputs are the reference x 1.25 (least-squares gain), each within an ADC step.
  const double k = (stale.array() * ref.array()).sum() / ref.squaredNorm();
  CHECK(k == Approx(1.25).epsilon(0.02));
}

TEST_CASE("drift: a drifting long stream recalibrates on its schedule and compares with a twin that never does",
          "[drift][cli]") {
  const fs::path out = fs::temp_directory_path() / "oasim_drift_stream";
  fs::remove_all(out);
  const std::string base = "run --data mfm:test --clips 1 --frames 4 --calib-clips 1 --stream-frames 40 --window 20 "
                           "--fps 0.5 --hw configs/hw/drifting.yaml ";
  auto r = test::run_oasim(base + "--set controller.recalibrate_every_frames=10 --set controller.recalibrate_threshold_pct=0 -o " +
                           out.string());
  INFO(r.out);
  REQUIRE(r.code == 0);
  h5::Reader h5((out / "long_stream.h5").string());
  const auto at = h5.read_ints("recalibrated_at");
  CHECK(at == std::vector<int64_t>{10, 20, 30});
  const auto drift = h5.read_doubles("max_gain_drift");
  REQUIRE(drift.size() == 40);
  CHECK(drift[0] == 0.0);     // calibrated at t = 0
  CHECK(drift[39] > 0.01);    // 78 s of an unstabilised stack
  CHECK(h5.read_ints("norecal_pred").size() == 40);
  nlohmann::json j;
  std::ifstream(out / "long_stream.json") >> j;
  CHECK(j.at("drift").at("recalibrations") == 3);
  CHECK(j.at("drift").at("recalibration_energy_per_frame_j").get<double>() > 0);
  CHECK(j.at("drift").at("norecal_top1").is_number());
  CHECK_THAT(r.out, Catch::Contains("3 recalibrations"));

  // The shipped default does not drift: no drift section, no twin.
  const fs::path plain = fs::temp_directory_path() / "oasim_drift_stream_default";
  fs::remove_all(plain);
  r = test::run_oasim("run --data mfm:test --clips 1 --frames 4 --calib-clips 1 --stream-frames 10 --window 10 -o " +
                      plain.string());
  REQUIRE(r.code == 0);
  nlohmann::json k;
  std::ifstream(plain / "long_stream.json") >> k;
  CHECK_FALSE(k.contains("drift"));
  CHECK_FALSE(h5::Reader((plain / "long_stream.h5").string()).has_dataset("norecal_pred"));
}
