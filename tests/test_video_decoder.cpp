// FFmpeg decoding on videos generated at test time (tests/fixtures/make_videos.py): frame k of a counter
// video is a uniform grey 16 + 8k, so every decoded frame says which index it is.
#include <catch2/catch.hpp>

#include <cmath>

#include "sim/common/error.hpp"
#include "tests/test_support.hpp"
#include "workloads/data/video_decoder.hpp"

using namespace oasim::data;

namespace {
std::string video(const std::string& name) { return oasim::test::fixture("videos/" + name); }

// The frame index a counter frame shows (its centre pixel, green channel), or -1 if it is not uniform.
int counter_index(const RgbFrame& f) {
  const int g = f.at(f.height / 2, f.width / 2, 1);
  for (int y = 0; y < f.height; y += 3)
    for (int x = 0; x < f.width; x += 3)
      for (int c = 0; c < 3; ++c)
        if (std::abs(int(f.at(y, x, c)) - g) > 3) return -1;
  return int(std::lround((g - 16) / 8.0));
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const oasim::InputError& e) {
    return e.what();
  }
  return "(no error)";
}
}  // namespace

TEST_CASE("video decoder: probe reads size, rate and frame count in every container", "[video]") {
  struct Case {
    const char* file;
    const char* codec;
    double fps;
  };
  for (Case c : {Case{"counter.mp4", "h264", 25}, Case{"counter.avi", "mpeg4", 25}, Case{"counter.webm", "vp9", 25},
                 Case{"counter.mkv", "ffv1", 30}}) {
    INFO(c.file);
    VideoInfo info = probe_video(video(c.file));
    CHECK(info.width == 64);
    CHECK(info.height == 48);
    CHECK(info.frame_count == 30);
    CHECK(info.fps == Approx(c.fps));
    CHECK(info.codec == c.codec);
  }
}

TEST_CASE("video decoder: every frame decodes in order with its own content", "[video]") {
  for (const char* file : {"counter.mp4", "counter.avi", "counter.webm", "counter.mkv", "counter_tall.mp4"}) {
    INFO(file);
    VideoReader r(video(file));
    RgbFrame f;
    int k = 0;
    while (r.next(f)) {
      CHECK(counter_index(f) == k);
      ++k;
    }
    CHECK(k == 30);
    CHECK(r.frames_decoded() == 30);
  }
  VideoReader r(video("counter.mp4"));
  RgbFrame f;
  for (int k = 0; k < 5; ++k) REQUIRE(r.next(f));
  CHECK(f.pts_s == Approx(4 / 25.0));  // timestamps in seconds
}

TEST_CASE("video decoder: selected indices in any order, with repeats", "[video]") {
  for (const char* file : {"counter.mp4", "counter.webm", "counter_wide.mp4"}) {
    INFO(file);
    std::vector<long> idx = {29, 0, 7, 7, 13, 28, 1};
    auto frames = decode_frames(video(file), idx);
    REQUIRE(frames.size() == idx.size());
    for (size_t i = 0; i < idx.size(); ++i) CHECK(counter_index(frames[i]) == idx[i]);
  }
  auto wide = decode_frames(video("counter_wide.mp4"), {3});
  CHECK((wide[0].width == 40 && wide[0].height == 24 && wide[0].rgb.size() == 40 * 24 * 3));
}

TEST_CASE("video decoder: bad files are InputErrors naming the file and the problem", "[video]") {
  auto missing = error_of([] { probe_video(video("no_such_file.mp4")); });
  CHECK_THAT(missing, Catch::Contains("no_such_file.mp4") && Catch::Contains("no such file"));
  auto empty = error_of([] { probe_video(video("empty.mp4")); });
  CHECK_THAT(empty, Catch::Contains("empty.mp4") && Catch::Contains("empty file"));
  auto text = error_of([] { probe_video(video("text.mp4")); });
  CHECK_THAT(text, Catch::Contains("text.mp4") && Catch::Contains("expected mp4/avi/webm/mkv"));
  auto truncated = error_of([] { probe_video(video("truncated.mp4")); });  // its index (moov) was cut off
  CHECK_THAT(truncated, Catch::Contains("truncated.mp4"));
  CHECK(truncated != "(no error)");
  auto audio = error_of([] { probe_video(video("audio_only.mp4")); });
  CHECK_THAT(audio, Catch::Contains("no video stream"));
  CHECK_THROWS_AS(VideoReader(video("text.mp4")), oasim::InputError);
  CHECK_THROWS_AS(decode_frames(video("empty.mp4"), {0}), oasim::InputError);
}

TEST_CASE("video decoder: a file cut in its media data fails when a missing frame is wanted", "[video]") {
  // The header survives, so probing works and the first frames decode; the last ones are gone.
  VideoInfo info = probe_video(video("truncated_faststart.mp4"));
  CHECK(info.frame_count >= 1);
  CHECK_NOTHROW(decode_frames(video("truncated_faststart.mp4"), {0}));
  auto err = error_of([] { decode_frames(video("truncated_faststart.mp4"), {29}); });
  CHECK_THAT(err, Catch::Contains("truncated_faststart.mp4") && Catch::Contains("truncated or corrupt"));
  // Past the end of a good file: the same message, with the count.
  auto past = error_of([] { decode_frames(video("counter.mp4"), {30}); });
  CHECK_THAT(past, Catch::Contains("ends after 30 frames"));
}
