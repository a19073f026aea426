// The three real Kinetics-400 clips next to the source tree (../shared/data/kinetics-samples): decode,
// sample 8 and 16 frames with the official K400 protocol, check shapes and value ranges. Skipped with a
// warning when the folder is absent (a checkout without the shared data).
#include <catch2/catch.hpp>

#include <filesystem>

#include "workloads/data/eval_config.hpp"
#include "workloads/data/video_clips.hpp"
#include "workloads/data/video_decoder.hpp"

using namespace oasim;

namespace {
const std::filesystem::path kSamples = std::filesystem::path(OASIM_SOURCE_DIR) / "../shared/data/kinetics-samples";
}

TEST_CASE("video kinetics samples: decode and sample 8 and 16 frames with the K400 protocol", "[video]") {
  if (!std::filesystem::exists(kSamples / "yoga.mp4")) {
    WARN("skipped: " << kSamples.string() << " not found");
    return;
  }
  auto cfg = config::load_eval_config(std::string(OASIM_SOURCE_DIR) + "/configs/eval/k400.yaml");
  // (file, width, height) as ffprobe reports them.
  struct Clip {
    const char* file;
    int w, h;
  };
  for (Clip c : {Clip{"hitting_baseball.mp4", 426, 320}, Clip{"hoverboarding.mp4", 320, 568}, Clip{"yoga.mp4", 568, 320}}) {
    INFO(c.file);
    const std::string path = (kSamples / c.file).string();
    data::VideoInfo info = data::probe_video(path);
    CHECK(info.width == c.w);
    CHECK(info.height == c.h);
    CHECK(info.fps == Approx(30));
    CHECK(info.frame_count >= 300);
    CHECK(info.frame_count <= 301);
    for (int frames : {8, 16}) {
      data::TemporalSampling s = cfg.sampling;
      s.frames = frames;
      auto tv = data::load_test_views(path, s, cfg.views);
      REQUIRE(tv.views.size() == 12);  // 4 clips x 3 crops
      for (const auto& v : tv.views) {
        CHECK((v.channels == 3 && v.frames == frames && v.height == 224 && v.width == 224));
        // Normalised [0,1] pixels lie in [(0 - mean)/std, (1 - mean)/std] per channel.
        float lo = 1e9f, hi = -1e9f;
        double sum = 0;
        for (float x : v.data) {
          lo = std::min(lo, x);
          hi = std::max(hi, x);
          sum += x;
        }
        CHECK(lo >= (0 - 0.485f) / 0.229f - 1e-4f);
        CHECK(hi <= (1 - 0.406f) / 0.225f + 1e-4f);
        CHECK(hi - lo > 1.0f);                               // real content, not a flat frame
        CHECK(std::abs(sum / double(v.data.size())) < 2.0);  // roughly centred
      }
      // The three crops of a clip differ (they look at different parts of the frame).
      CHECK(tv.views[0].data != tv.views[2].data);
    }
  }
}
