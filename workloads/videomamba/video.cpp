#include "workloads/videomamba/video.hpp"

#include <algorithm>

#include "sim/common/error.hpp"

namespace oasim::videomamba {

Video Video::slice(int first, int count) const {
  if (first < 0 || count < 0 || first + count > frames)
    fail_input("frame range [{}, {}) outside a clip of {} frames", first, first + count, frames);
  Video out(channels, count, height, width);
  const size_t plane = size_t(height) * width;
  for (int c = 0; c < channels; ++c)
    std::copy_n(&data[(size_t(c) * frames + first) * plane], count * plane, &out.data[size_t(c) * count * plane]);
  return out;
}

}  // namespace oasim::videomamba
