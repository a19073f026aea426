#include "workloads/data/video_clips.hpp"

#include "workloads/data/video_decoder.hpp"

namespace oasim::data {

TestViews load_test_views(const std::string& path, const TemporalSampling& sampling, const SpatialViews& spatial) {
  const VideoInfo info = probe_video(path);
  TestViews out;
  out.frame_count = info.frame_count;
  out.width = info.width;
  out.height = info.height;
  out.fps = info.fps;
  // All clips' indices in one list, so the file is decoded once however many clips overlap.
  std::vector<long> all;
  for (int k = 0; k < sampling.clips; ++k) {
    auto idx = clip_frame_indices(sampling, info.frame_count, k);
    all.insert(all.end(), idx.begin(), idx.end());
  }
  std::vector<RgbFrame> frames = decode_frames(path, all);
  for (int k = 0; k < sampling.clips; ++k) {
    std::vector<RgbFrame> clip(frames.begin() + long(k) * sampling.frames, frames.begin() + long(k + 1) * sampling.frames);
    for (auto& v : make_views(clip, spatial)) out.views.push_back(std::move(v));
  }
  return out;
}

}  // namespace oasim::data
