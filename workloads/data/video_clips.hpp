#pragma once
// One video in, every test view out: decode the frames all temporal clips need (one sequential pass),
// then resize, crop and normalise them (the official test protocol; docs/video-eval.md).
#include <string>
#include <vector>

#include "workloads/data/video_sampling.hpp"
#include "workloads/data/video_views.hpp"

namespace oasim::data {

struct TestViews {
  std::vector<videomamba::Video> views;  // clips x crops, clip-major: view = clip * crops + crop
  long frame_count = 0;
  int width = 0, height = 0;
  double fps = 0;
};

// InputError (naming the file) if it cannot be read or is too short/truncated for the wanted frames.
TestViews load_test_views(const std::string& path, const TemporalSampling& sampling, const SpatialViews& spatial);

}  // namespace oasim::data
