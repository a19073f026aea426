// Steps longer than a few seconds show progress on a terminal: calibration and a recipe's GPTQ statistics
// (run, and infer/eval --hw through the same calibrate()), and nothing of it leaks into logs (no terminal).
#include <catch2/catch.hpp>

#include <filesystem>

#include "tests/test_support.hpp"

using namespace oasim;
namespace fs = std::filesystem;

TEST_CASE("progress: calibration and GPTQ statistics draw a bar on a terminal, none in a log", "[cli]") {
  const fs::path out = fs::temp_directory_path() / "oasim_progress";
  const std::string args = "run --model " + test::fixture("tiny_stream.h5") + " --recipe " +
                           std::string(OASIM_SOURCE_DIR) +
                           "/configs/recipes/w4a8-rotated-gptq.yaml --data random --clips 1 --frames 3 "
                           "--calib-clips 2 -o " + out.string();
  // util-linux `script` gives the command a pseudo-terminal, as an interactive shell would.
  const std::string cmd = "script -qec '" + test::oasim_bin() + " " + args + "' /dev/null";
  std::string tty;
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p);
  char buf[4096];
  while (size_t n = fread(buf, 1, sizeof buf, p)) tty.append(buf, n);
  REQUIRE(pclose(p) == 0);
  CHECK_THAT(tty, Catch::Contains("calibration + recipe statistics [") && Catch::Contains("elapsed"));
  auto log = test::run_oasim(args);  // stdout/stderr into a pipe: no bar
  REQUIRE(log.code == 0);
  CHECK_THAT(log.out, !Catch::Contains("calibration + recipe statistics ["));
}
