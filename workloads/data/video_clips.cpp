#include "workloads/data/video_clips.hpp"

#include <algorithm>
#include <map>

#include "workloads/data/video_decoder.hpp"

namespace oasim::data {

TestViews load_test_views(const std::string& path, const TemporalSampling& sampling, const SpatialViews& spatial) {
  const VideoInfo info = probe_video(path);
  TestViews out;
  out.frame_count = info.frame_count;
  out.width = info.width;
  out.height = info.height;
  out.fps = info.fps;
  // Every clip's indices first, so the file is decoded once and each distinct frame converted and
  // resized once however much the clips overlap.
  std::vector<std::vector<long>> clips;
  std::vector<long> unique;
  for (int k = 0; k < sampling.clips; ++k) {
    clips.push_back(clip_frame_indices(sampling, info.frame_count, k));
    unique.insert(unique.end(), clips.back().begin(), clips.back().end());
  }
  std::sort(unique.begin(), unique.end());
  unique.erase(std::unique(unique.begin(), unique.end()), unique.end());
  std::vector<RgbFrame> frames = decode_frames(path, unique);
  // The official code resizes each clip to the size its first frame gives; the frames of a video share
  // one size, so the first decoded frame decides for all.
  const Size2 size = short_side_size(frames[0].height, frames[0].width, spatial.short_side);
  std::map<long, RgbFrame> resized;
  for (size_t i = 0; i < unique.size(); ++i)
    resized[unique[i]] = resize_bilinear(frames[i], size.height, size.width);
  frames.clear();
  for (const auto& idx : clips) {
    std::vector<const RgbFrame*> clip;
    for (long i : idx) clip.push_back(&resized.at(i));
    for (auto& v : crop_views(clip, spatial)) out.views.push_back(std::move(v));
  }
  return out;
}

}  // namespace oasim::data
