// Streaming: frames fed one at a time through the state equal one multi-frame call of videomamba-stream;
// the state can be reset, saved and restored; its size does not grow with the stream.
#include <catch2/catch.hpp>

#include <filesystem>

#include "sim/common/error.hpp"
#include "tests/test_support.hpp"
#include "workloads/videomamba/model_file.hpp"
#include "workloads/videomamba/stream_session.hpp"

using namespace oasim;
using namespace oasim::videomamba;

namespace {

Video fixture_clip(const std::string& name) {
  auto arr = h5::Reader(test::fixture(name + ".golden.h5")).read_floats("input/video");
  Video v(int(arr.shape[0]), int(arr.shape[1]), int(arr.shape[2]), int(arr.shape[3]));
  v.data = arr.data;
  return v;
}

void check_frame_by_frame(const std::string& name) {
  VideoMambaModel model(load_model(test::fixture(name + ".h5")));
  Video clip = fixture_clip(name);
  MatrixRM whole = model.forward(clip);
  StreamSession s(model);
  MatrixRM one(clip.frames, model.config().num_classes);
  for (int t = 0; t < clip.frames; ++t) one.row(t) = s.feed(clip.slice(t, 1)).row(0);
  INFO("case " << name << ", relative difference " << test::rel_error(one, whole));
  CHECK(test::rel_error(one, whole) < 1e-6);
  CHECK(s.frames_seen() == clip.frames);
}

}  // namespace

TEST_CASE("stream: tiny model frame by frame equals one multi-frame call", "[stream]") {
  check_frame_by_frame("tiny_stream");
}

TEST_CASE("stream: Ti-shape model frame by frame equals one multi-frame call", "[stream][ti]") {
  check_frame_by_frame("ti_stream");
}

TEST_CASE("stream: uneven chunks, save/load and reset give the same logits", "[stream]") {
  VideoMambaModel model(load_model(test::fixture("tiny_stream.h5")));
  Video clip = fixture_clip("tiny_stream");
  REQUIRE(clip.frames >= 3);
  MatrixRM whole = model.forward(clip);
  const int T = clip.frames;

  SECTION("chunks of 2 then the rest") {
    StreamSession s(model);
    MatrixRM a = s.feed(clip.slice(0, 2));
    MatrixRM b = s.feed(clip.slice(2, T - 2));
    CHECK(test::rel_error(a, MatrixRM(whole.topRows(2))) < 1e-6);
    CHECK(test::rel_error(b, MatrixRM(whole.bottomRows(T - 2))) < 1e-6);
  }
  SECTION("save after 2 frames, restore in a new session") {
    auto path = (std::filesystem::temp_directory_path() / "oasim_test_state.h5").string();
    StreamSession s(model);
    s.feed(clip.slice(0, 2));
    const long bytes_after_2 = s.state().bytes();
    s.save_state(path);
    StreamSession r(model);
    r.load_state(path);
    CHECK(r.frames_seen() == 2);
    MatrixRM rest = r.feed(clip.slice(2, T - 2));
    CHECK(test::rel_error(rest, MatrixRM(whole.bottomRows(T - 2))) < 1e-6);
    CHECK(r.state().bytes() == bytes_after_2);  // fixed-size state, whatever the stream length
    std::filesystem::remove(path);
  }
  SECTION("reset starts over") {
    StreamSession s(model);
    s.feed(clip);
    s.reset();
    CHECK(s.frames_seen() == 0);
    MatrixRM first = s.feed(clip.slice(0, 1));
    CHECK(test::rel_error(first, MatrixRM(whole.topRows(1))) < 1e-6);
  }
  SECTION("the state changes the answer: a second pass over the clip differs from the first") {
    StreamSession s(model);
    s.feed(clip);
    MatrixRM again = s.feed(clip.slice(0, 1));
    CHECK(test::rel_error(again, MatrixRM(whole.topRows(1))) > 1e-3);
  }
}

TEST_CASE("stream: a state from another architecture is refused", "[stream]") {
  VideoMambaModel tiny(load_model(test::fixture("tiny_stream.h5")));
  VideoMambaModel ti(load_model(test::fixture("ti_stream.h5")));
  auto path = (std::filesystem::temp_directory_path() / "oasim_test_state_ti.h5").string();
  StreamSession(ti).save_state(path);
  StreamSession s(tiny);
  CHECK_THROWS_WITH(s.load_state(path), Catch::Contains("state was saved with depth = 24"));
  std::filesystem::remove(path);
}

TEST_CASE("stream: a clip model cannot stream", "[stream]") {
  VideoMambaModel clip_model(load_model(test::fixture("tiny_clip.h5")));
  CHECK_THROWS_AS(StreamSession(clip_model), InputError);
}
