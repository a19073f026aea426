// The run-settings table: `oasim run` flags and sweep keys are one definition, so a value one refuses the
// other refuses with the same words, and a point's command line reproduces its settings exactly.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "sim/common/error.hpp"
#include "sim/run/run_settings.hpp"
#include "sim/sweep/point_runner.hpp"
#include "sim/sweep/sweep_spec.hpp"
#include "tests/test_support.hpp"

using namespace oasim;
namespace fs = std::filesystem;

TEST_CASE("run settings: what a sweep refuses, oasim run refuses with the same message", "[run_settings]") {
  const fs::path dir = fs::temp_directory_path() / "oasim-test-run-settings";
  fs::create_directories(dir);
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"clips", "0"}, {"frames", "-1"}, {"calib_clips", "10001"}, {"data_seed", "-1"},
      {"stream_frames", "1e3"}, {"window", "0"}, {"fps", "0"}, {"fps", "nan"}};
  for (auto& [key, value] : bad) {
    const fs::path sweep = dir / (key + ".yaml");
    std::ofstream(sweep) << "name: s\nbase:\n  " << key << ": '" << value << "'\naxes:\n  adc.bits: [6]\n";
    std::string sweep_error;
    try {
      sweep::expand_points(sweep::load_sweep(sweep.string()));
    } catch (const InputError& e) {
      sweep_error = e.what();
    }
    const std::string expected = "'" + key + "' = '" + value + "': expected";
    CHECK_THAT(sweep_error, Catch::Contains(expected));
    const auto* spec = run::find_run_setting(key);
    REQUIRE(spec);
    auto r = test::run_oasim("run " + run::long_flag(*spec) + " " + value);
    CHECK(r.code == 2);
    CHECK_THAT(r.out, Catch::Contains(expected));
  }
}

TEST_CASE("run settings: a point's command line carries every setting of the table", "[run_settings]") {
  sweep::SweepPoint p;
  p.seed = 5;
  run::set_run_setting(p.run, "data", "random", "test");
  run::set_run_setting(p.run, "clips", "3", "test");
  run::set_run_setting(p.run, "frames", "4", "test");
  run::set_run_setting(p.run, "calib_clips", "2", "test");
  run::set_run_setting(p.run, "data_seed", "18446744073709551615", "test");
  run::set_run_setting(p.run, "stream_frames", "50", "test");
  run::set_run_setting(p.run, "window", "10", "test");
  run::set_run_setting(p.run, "fps", "60", "test");
  const auto argv = sweep::point_command(p, "oasim", "/tmp/p");
  std::string line;
  for (auto& a : argv) line += a + " ";
  for (const char* want : {"--data random", "--clips 3", "--frames 4", "--calib-clips 2",
                           "--data-seed 18446744073709551615", "--stream-frames 50", "--window 10", "--fps 60",
                           "--seed 5", "--out /tmp/p"})
    CHECK_THAT(line, Catch::Contains(want));
  // Settings at their "off" value are left out.
  sweep::SweepPoint plain;
  std::string plain_line;
  for (auto& a : sweep::point_command(plain, "oasim", "/tmp/p")) plain_line += a + " ";
  CHECK_THAT(plain_line, !Catch::Contains("--frames") && !Catch::Contains("--window") && !Catch::Contains("--fps") &&
                             !Catch::Contains("--recipe"));
}
