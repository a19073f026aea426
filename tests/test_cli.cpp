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

  auto two_inputs = run_oasim("infer --model " + oasim::test::fixture("tiny_clip.h5") + " --random-input 1 --data random");
  CHECK(two_inputs.code == 2);
  CHECK_THAT(two_inputs.out, Catch::Contains("give one input"));

  auto wrong_frames = run_oasim("infer --model " + oasim::test::fixture("tiny_clip.h5") + " --random-input 1 --frames 2");
  CHECK(wrong_frames.code == 2);
  CHECK_THAT(wrong_frames.out, Catch::Contains("expects exactly 3 frames"));

  auto unknown = run_oasim("frobnicate");
  CHECK(unknown.code == 2);
}

TEST_CASE("cli: infer takes run's defaults and data sources (shipped model, mfm:test, --data, --video)", "[cli]") {
  // No model, no input: the shipped model on clip 0 of mfm:test, labelled, like `oasim run`.
  auto d = run_oasim("infer --frames 3");
  INFO(d.out);
  REQUIRE(d.code == 0);
  CHECK_THAT(d.out, Catch::Contains("videomamba-stream-mfm.h5") && Catch::Contains("--data mfm:test clip 0") &&
                        Catch::Contains("frame    2:") && Catch::Contains("label "));
  // --data random --data-seed S is --random-input S (the one generator): the same logits.
  const std::string m = " --model " + oasim::test::fixture("tiny_stream.h5") + " --frames 2 -k 3";
  auto a = run_oasim("infer" + m + " --data random --data-seed 4");
  auto b = run_oasim("infer" + m + " --random-input 4");
  REQUIRE(a.code == 0);
  REQUIRE(b.code == 0);
  auto tail = [](const std::string& s) { return s.substr(s.find("frame    0:")); };
  CHECK(tail(a.out).substr(0, 80) == tail(b.out).substr(0, 80));
  auto v = run_oasim("infer" + m + " --video " + oasim::test::fixture("videos/counter.webm"));
  INFO(v.out);
  CHECK(v.code == 0);
  CHECK_THAT(v.out, Catch::Contains("video ") && Catch::Contains("frame    1:"));
  auto bad = run_oasim("infer" + m + " --video /nonexistent.mp4");
  CHECK(bad.code == 2);
  CHECK_THAT(bad.out, Catch::Contains("/nonexistent.mp4"));
  auto idx = run_oasim("infer" + m + " --data random --clip-index 5");
  CHECK(idx.code == 0);
}

TEST_CASE("cli: infer streams a stream model frame by frame", "[cli]") {
  auto r = run_oasim("infer --model " + oasim::test::fixture("tiny_stream.h5") + " --random-input 7 --frames 3 -k 2");
  CHECK(r.code == 0);
  CHECK_THAT(r.out, Catch::Contains("frame    2:"));
}
