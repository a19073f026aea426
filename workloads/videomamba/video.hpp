#pragma once
// A clip in the layout the PyTorch model takes for batch size one: [channels][frames][height][width].
#include <cstddef>
#include <vector>

namespace oasim::videomamba {

struct Video {
  int channels = 0, frames = 0, height = 0, width = 0;
  std::vector<float> data;

  Video() = default;
  Video(int c, int t, int h, int w) : channels(c), frames(t), height(h), width(w), data(size_t(c) * t * h * w) {}
  float& at(int c, int t, int y, int x) { return data[((size_t(c) * frames + t) * height + y) * width + x]; }
  float at(int c, int t, int y, int x) const { return data[((size_t(c) * frames + t) * height + y) * width + x]; }
  // Frames [first, first+count) as a clip of their own.
  Video slice(int first, int count) const;
};

}  // namespace oasim::videomamba
