// The official VideoMamba test protocol as pure functions: exact frame indices of each sampling mode
// (expected values computed with the official formulas in Python/numpy, datasets/kinetics*.py, ssv2.py),
// crop geometry, resize, normalisation.
#include <catch2/catch.hpp>

#include "sim/common/error.hpp"
#include "workloads/data/video_sampling.hpp"
#include "workloads/data/video_views.hpp"

using namespace oasim::data;
using V = std::vector<long>;

TEST_CASE("video sampling: sparse (Kinetics_sparse) indices match the official test clips", "[video]") {
  // 300 frames (a 10 s Kinetics clip at 30 fps), 8 frames, 4 temporal clips.
  CHECK(sparse_indices(300, 8, 0, 4) == V{7, 44, 82, 119, 157, 194, 231, 269});
  CHECK(sparse_indices(300, 8, 1, 4) == V{14, 51, 89, 126, 164, 201, 238, 276});
  CHECK(sparse_indices(300, 8, 2, 4) == V{22, 59, 97, 134, 172, 209, 246, 284});
  CHECK(sparse_indices(300, 8, 3, 4) == V{29, 66, 104, 141, 179, 216, 253, 291});
  CHECK(sparse_indices(301, 8, 3, 4) == V{30, 68, 105, 142, 180, 218, 255, 292});
  CHECK(sparse_indices(300, 16, 0, 4) ==
        V{3, 22, 40, 59, 78, 96, 115, 134, 153, 171, 190, 209, 227, 246, 265, 283});
  CHECK(sparse_indices(301, 16, 3, 4) ==
        V{15, 34, 53, 71, 90, 109, 127, 146, 165, 184, 203, 221, 240, 259, 277, 296});
  // np.round is half-to-even: seg = 29/16 = 1.8125, round(1.8125*8 = 14.5) = 14.
  CHECK(sparse_indices(30, 16, 2, 4) == V{1, 3, 5, 6, 8, 10, 12, 14, 15, 17, 19, 21, 23, 25, 26, 28});
  CHECK(sparse_indices(30, 8, 0, 4) == V{0, 4, 7, 11, 14, 18, 22, 25});
  // Fewer frames than wanted: indices repeat, never pass the last frame.
  CHECK(sparse_indices(5, 8, 3, 4) == V{0, 0, 1, 2, 2, 2, 3, 4});
  CHECK(sparse_indices(1, 8, 0, 4) == V(8, 0));
}

TEST_CASE("video sampling: dense (Kinetics) windows with a stride", "[video]") {
  CHECK(dense_indices(300, 8, 4, 0, 4) == V{0, 4, 8, 12, 16, 20, 24, 28});
  CHECK(dense_indices(300, 8, 4, 1, 4) == V{89, 93, 97, 101, 105, 109, 113, 117});
  CHECK(dense_indices(300, 8, 4, 2, 4) == V{178, 182, 186, 190, 194, 198, 202, 206});
  CHECK(dense_indices(300, 8, 4, 3, 4) == V{268, 272, 276, 280, 284, 288, 292, 296});
  CHECK(dense_indices(300, 16, 4, 1, 4) ==
        V{78, 82, 86, 90, 94, 98, 102, 106, 110, 114, 118, 122, 126, 130, 134, 138});
  // Window longer than the video: every clip starts at 0 and the last index repeats.
  CHECK(dense_indices(30, 16, 4, 3, 4) == V{0, 4, 8, 12, 16, 20, 24, 28, 28, 28, 28, 28, 28, 28, 28, 28});
  // One clip (the official code would divide by zero): the centred window.
  CHECK(dense_indices(100, 8, 4, 0, 1) == V{34, 38, 42, 46, 50, 54, 58, 62});
}

TEST_CASE("video sampling: uniform segments (SSv2), clip 0 = segment starts, clip 1 = middles", "[video]") {
  CHECK(segment_indices(300, 8, 0, 2) == V{0, 37, 75, 112, 150, 187, 225, 262});
  CHECK(segment_indices(300, 8, 1, 2) == V{18, 56, 93, 131, 168, 206, 243, 281});
  CHECK(segment_indices(300, 16, 1, 2) ==
        V{9, 28, 46, 65, 84, 103, 121, 140, 159, 178, 196, 215, 234, 253, 271, 290});
  CHECK(segment_indices(30, 8, 1, 2) == V{1, 5, 9, 13, 16, 20, 24, 28});
  CHECK(segment_indices(5, 8, 0, 2) == V{0, 0, 1, 1, 2, 3, 3, 4});
  CHECK(segment_indices(5, 8, 1, 2) == V{0, 0, 1, 2, 2, 3, 4, 4});
}

TEST_CASE("video sampling: clip_frame_indices dispatches and checks its arguments", "[video]") {
  TemporalSampling s;
  s.mode = SamplingMode::Segment;
  s.frames = 8;
  s.clips = 2;
  CHECK(clip_frame_indices(s, 300, 1) == segment_indices(300, 8, 1, 2));
  CHECK_THROWS_AS(clip_frame_indices(s, 300, 2), oasim::InputError);
  CHECK_THROWS_AS(clip_frame_indices(s, 0, 0), oasim::InputError);
  CHECK(parse_sampling_mode("dense") == SamplingMode::Dense);
  CHECK_THROWS_AS(parse_sampling_mode("random"), oasim::InputError);
}

TEST_CASE("video views: short-side resize sizes and three-crop geometry", "[video]") {
  // Kinetics sample shapes: 426x320 (w x h), 320x568 tall, 568x320 wide.
  Size2 a = short_side_size(320, 426, 224);
  CHECK((a.height == 224 && a.width == 298));  // int(224 * 426 / 320) = 298
  Size2 b = short_side_size(568, 320, 224);
  CHECK((b.height == 397 && b.width == 224));  // int(224 * 568 / 320) = 397
  Size2 c = short_side_size(240, 240, 224);
  CHECK((c.height == 224 && c.width == 224));

  // Wide frame: crops move along x at int(k * (298 - 224) / 2) = 0, 37, 74.
  auto wide = crop_boxes(224, 298, 224, 3);
  REQUIRE(wide.size() == 3);
  CHECK((wide[0].x == 0 && wide[1].x == 37 && wide[2].x == 74));
  CHECK((wide[0].y == 0 && wide[1].y == 0 && wide[2].y == 0 && wide[0].size == 224));
  // Tall frame: along y at 0, 86, 173 (int(173/2 * k)).
  auto tall = crop_boxes(397, 224, 224, 3);
  CHECK((tall[0].y == 0 && tall[1].y == 86 && tall[2].y == 173));
  CHECK((tall[1].x == 0));
  // One crop: centre, int((298 - 224) / 2) = 37.
  auto one = crop_boxes(224, 298, 224, 1);
  CHECK((one.size() == 1 && one[0].x == 37));
  // A crop smaller than the short side is centred across.
  auto small = crop_boxes(256, 340, 224, 3);
  CHECK((small[0].y == 16 && small[2].x == 116));
  CHECK_THROWS_AS(crop_boxes(200, 300, 224, 3), oasim::InputError);
}

TEST_CASE("video views: bilinear resize follows cv2 INTER_LINEAR pixel centres", "[video]") {
  RgbFrame f;
  f.width = 4;
  f.height = 1;
  f.rgb = {0, 0, 0, 100, 100, 100, 200, 200, 200, 250, 250, 250};
  // Down 4 -> 2: src x = (d + 0.5) * 2 - 0.5 = 0.5, 2.5 -> means of neighbours.
  RgbFrame d = resize_bilinear(f, 1, 2);
  CHECK(int(d.at(0, 0, 0)) == 50);
  CHECK(int(d.at(0, 1, 0)) == 225);
  // Up 4 -> 8: src x = (d + 0.5) / 2 - 0.5; x=0 -> -0.25 clamps to pixel 0; x=1 -> 0.25 -> 25.
  RgbFrame u = resize_bilinear(f, 1, 8);
  CHECK(int(u.at(0, 0, 0)) == 0);
  CHECK(int(u.at(0, 1, 0)) == 25);
  CHECK(int(u.at(0, 7, 0)) == 250);
  // Same size: unchanged.
  CHECK(resize_bilinear(f, 1, 4).rgb == f.rgb);
}

TEST_CASE("video views: ImageNet normalisation and the [3][T][crop][crop] layout", "[video]") {
  SpatialViews s;
  CHECK(normalise(0, 0, s) == Approx((0 - 0.485f) / 0.229f));
  CHECK(normalise(255, 2, s) == Approx((1 - 0.406f) / 0.225f));
  CHECK(normalise(128, 1, s) == Approx((128 / 255.0f - 0.456f) / 0.224f));

  // Two 6x4 frames (wide), colour (t*50, 100, 200); crop 4 of short side 4: 3 views, x = 0, 1, 2.
  s.short_side = 4;
  s.crop = 4;
  std::vector<RgbFrame> frames(2);
  for (int t = 0; t < 2; ++t) {
    frames[t].width = 6;
    frames[t].height = 4;
    for (int y = 0; y < 4; ++y)
      for (int x = 0; x < 6; ++x) frames[t].rgb.insert(frames[t].rgb.end(), {uint8_t(t * 50 + x), 100, 200});
  }
  auto views = make_views(frames, s);
  REQUIRE(views.size() == 3);
  for (int v = 0; v < 3; ++v) {
    CHECK((views[v].channels == 3 && views[v].frames == 2 && views[v].height == 4 && views[v].width == 4));
    CHECK(views[v].at(0, 1, 2, 0) == Approx(normalise(uint8_t(50 + v), 0, s)));
    CHECK(views[v].at(2, 0, 3, 3) == Approx(normalise(200, 2, s)));
  }
}
