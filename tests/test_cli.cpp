// The `oasim` binary: exit code 2 and a message on stderr for bad input; 0 and the expected output otherwise.
#include <catch2/catch.hpp>

#include <string>

#include "tests/test_support.hpp"

using oasim::test::run_oasim;

TEST_CASE("cli: inspect prints the architecture", "[cli]") {
  auto r = run_oasim("inspect " + oasim::test::fixture("ti_clip.h5"));
  CHECK(r.code == 0);
  CHECK_THAT(r.out, Catch::Contains("embed_dim    192   depth 24"));
  CHECK_THAT(r.out, Catch::Contains("sequence of 1569 tokens"));
}

TEST_CASE("cli: bad input exits with code 2 and says why", "[cli]") {
  auto missing = run_oasim("inspect /nonexistent/model.h5");
  CHECK(missing.code == 2);
  CHECK_THAT(missing.out, Catch::Contains("no such file"));

  auto bad = run_oasim("inspect " + oasim::test::fixture("bad_shape.h5"));
  CHECK(bad.code == 2);
  CHECK_THAT(bad.out, Catch::Contains("expected [128,32]"));

  auto no_input = run_oasim("infer --model " + oasim::test::fixture("tiny_clip.h5"));
  CHECK(no_input.code == 2);
  CHECK_THAT(no_input.out, Catch::Contains("give exactly one input"));

  auto wrong_frames = run_oasim("infer --model " + oasim::test::fixture("tiny_clip.h5") + " --random-input 1 --frames 2");
  CHECK(wrong_frames.code == 2);
  CHECK_THAT(wrong_frames.out, Catch::Contains("expects exactly 3 frames"));

  auto unknown = run_oasim("frobnicate");
  CHECK(unknown.code == 2);
}

TEST_CASE("cli: infer streams a stream model frame by frame", "[cli]") {
  auto r = run_oasim("infer --model " + oasim::test::fixture("tiny_stream.h5") + " --random-input 7 --frames 3 -k 2");
  CHECK(r.code == 0);
  CHECK_THAT(r.out, Catch::Contains("frame    2:"));
}
