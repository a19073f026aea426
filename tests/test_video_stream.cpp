// `oasim run --video FILE --stream`: frames at their timestamps through the streaming model and the
// simulated hardware; the input queue model; errors.
#include <catch2/catch.hpp>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "sim/common/error.hpp"
#include "models/components/hardware_config_io.hpp"
#include "sim/run/video_stream.hpp"
#include "tests/test_support.hpp"

using namespace oasim;

TEST_CASE("video stream: frames queue in the input buffer when the hardware is slower than the video", "[video]") {
  // 25 frames/s (40 ms apart), 100 ms per frame: each frame waits for the ones before it.
  auto t = run::schedule_frames({0.0, 0.04, 0.08, 0.12}, 0.1);
  REQUIRE(t.size() == 4);
  CHECK(t[0].start_s == Approx(0.0));
  CHECK(t[1].start_s == Approx(0.1));
  CHECK(t[2].start_s == Approx(0.2));
  CHECK(t[3].finish_s == Approx(0.4));
  CHECK(t[3].latency_s() == Approx(0.28));
  CHECK(t[1].queued == 0);  // frame 0 is being processed, not waiting
  CHECK(t[2].queued == 1);  // frame 1 waits
  CHECK(t[3].queued == 1);  // at 0.12 frame 1 runs (since 0.1), frame 2 waits
  // Faster than the video: no queue, latency = compute time.
  auto fast = run::schedule_frames({0.0, 0.04, 0.08}, 0.01);
  for (auto& f : fast) CHECK((f.queued == 0 && f.latency_s() == Approx(0.01)));
}

TEST_CASE("video stream: a generated video through the tiny stream model, fp32 and optical", "[video]") {
  run::VideoStreamOptions o;
  o.video = test::fixture("videos/counter.mp4");
  o.model_path = test::fixture("tiny_stream.h5");
  o.max_frames = 10;
  o.progress = false;
  auto hw = config::load_hardware_config(std::string(OASIM_SOURCE_DIR) + "/configs/hw/default.yaml");
  auto r = run::run_video_stream(o, hw);
  REQUIRE(r.frames.size() == 10);
  CHECK(r.fps == Approx(25));
  CHECK(r.frame_interval_s == Approx(0.04));
  CHECK(r.frames[3].pts_s == Approx(0.12));
  CHECK(r.frames[3].timing.arrival_s == Approx(0.12));
  CHECK(r.frame_compute_s > 0);
  CHECK(r.real_time == (r.frame_compute_s <= 0.04));
  for (auto& f : r.frames) {
    CHECK((f.fp32_pred >= 0 && f.fp32_pred < 10 && f.optical_pred >= 0 && f.optical_pred < 10));
    CHECK(f.timing.latency_s() == Approx(r.frame_compute_s));
  }
  CHECK(r.frame_input_bytes == 3 * 32 * 32 * 4);
  CHECK(r.buffers.capacity_bytes > 0);
}

TEST_CASE("video stream: oasim run --video --stream prints per-frame rows and writes a CSV, bad input exits 2", "[video]") {
  auto out_dir = (std::filesystem::temp_directory_path() / "oasim-test-video-stream").string();
  std::filesystem::remove_all(out_dir);
  const std::string base = "run --model " + test::fixture("tiny_stream.h5") + " -o " + out_dir;
  auto r = test::run_oasim(base + " --video " + test::fixture("videos/counter.webm") + " --stream --video-frames 6");
  INFO(r.out);
  CHECK(r.code == 0);
  CHECK_THAT(r.out, Catch::Contains("25.000 frames/s") && Catch::Contains("real time") &&
                        Catch::Contains("input buffer") && Catch::Contains("on-chip buffers"));
  std::ifstream csv(out_dir + "/video_stream.csv");
  std::string line;
  int rows = -1;
  while (std::getline(csv, line)) ++rows;
  CHECK(rows == 6);

  CHECK(test::run_oasim(base + " --video " + test::fixture("videos/counter.mp4")).code == 2);  // no --stream
  auto clip = test::run_oasim("run --model " + test::fixture("tiny_clip.h5") + " -o " + out_dir + " --video " +
                      test::fixture("videos/counter.mp4") + " --stream");
  CHECK(clip.code == 2);
  CHECK_THAT(clip.out, Catch::Contains("videomamba-stream"));
  auto bad = test::run_oasim(base + " --video " + test::fixture("videos/text.mp4") + " --stream");
  CHECK(bad.code == 2);
  CHECK_THAT(bad.out, Catch::Contains("text.mp4"));
}
