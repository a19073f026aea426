#include "workloads/data/video_views.hpp"

#include <algorithm>
#include <cmath>

#include "sim/common/error.hpp"

namespace oasim::data {

Size2 short_side_size(int h, int w, int short_side) {
  if (w < h) return {int(double(short_side) * h / w), short_side};
  return {short_side, int(double(short_side) * w / h)};
}

std::vector<CropBox> crop_boxes(int h, int w, int crop, int crops) {
  if (crop > h || crop > w) fail_input("crop {} larger than the resized frame {}x{}", crop, w, h);
  const bool tall = h >= w;  // the official code crops along H when H >= W
  const int along = tall ? h : w, across = tall ? w : h;
  const int across_start = (across - crop) / 2;
  std::vector<CropBox> out;
  for (int k = 0; k < crops; ++k) {
    int start = crops == 1 ? int(1.0 * (along - crop) / 2) : int(k * (1.0 * (along - crop) / (crops - 1)));
    out.push_back(tall ? CropBox{start, across_start, crop} : CropBox{across_start, start, crop});
  }
  return out;
}

namespace {
// cv2 INTER_LINEAR source coordinate: (dst + 0.5) * scale - 0.5, clamped to the image.
struct Tap {
  int i0, i1;
  float w1;
};
std::vector<Tap> taps(int out, int in) {
  std::vector<Tap> t(out);
  const double scale = double(in) / out;
  for (int d = 0; d < out; ++d) {
    double f = (d + 0.5) * scale - 0.5;
    int i = int(std::floor(f));
    double frac = f - i;
    if (i < 0) i = 0, frac = 0;
    if (i >= in - 1) i = in - 1, frac = 0;
    t[d] = {i, std::min(i + 1, in - 1), float(frac)};
  }
  return t;
}
}  // namespace

RgbFrame resize_bilinear(const RgbFrame& in, int h, int w) {
  if (in.height == h && in.width == w) return in;
  RgbFrame out;
  out.width = w;
  out.height = h;
  out.pts_s = in.pts_s;
  out.rgb.resize(size_t(h) * w * 3);
  const auto ty = taps(h, in.height), tx = taps(w, in.width);
  std::vector<float> row0(size_t(w) * 3), row1(size_t(w) * 3);
  auto hpass = [&](int y, std::vector<float>& row) {
    const uint8_t* src = &in.rgb[size_t(y) * in.width * 3];
    for (int x = 0; x < w; ++x)
      for (int c = 0; c < 3; ++c)
        row[x * 3 + c] = src[tx[x].i0 * 3 + c] * (1 - tx[x].w1) + src[tx[x].i1 * 3 + c] * tx[x].w1;
  };
  for (int y = 0; y < h; ++y) {
    hpass(ty[y].i0, row0);
    hpass(ty[y].i1, row1);
    const float a = ty[y].w1;
    uint8_t* dst = &out.rgb[size_t(y) * w * 3];
    for (int i = 0; i < w * 3; ++i) {
      float v = row0[i] * (1 - a) + row1[i] * a;
      dst[i] = uint8_t(std::clamp(std::lround(v), 0L, 255L));
    }
  }
  return out;
}

std::vector<videomamba::Video> make_views(const std::vector<RgbFrame>& frames, const SpatialViews& s) {
  if (frames.empty()) fail_input("no frames to make views from");
  const int T = int(frames.size());
  const Size2 size = short_side_size(frames[0].height, frames[0].width, s.short_side);
  const auto boxes = crop_boxes(size.height, size.width, s.crop, s.crops);
  std::vector<videomamba::Video> views(boxes.size(), videomamba::Video(3, T, s.crop, s.crop));
  for (int t = 0; t < T; ++t) {
    // Every frame is resized to the first frame's target, as resize_clip does for a whole clip.
    const RgbFrame r = resize_bilinear(frames[t], size.height, size.width);
    for (size_t v = 0; v < boxes.size(); ++v)
      for (int y = 0; y < s.crop; ++y)
        for (int x = 0; x < s.crop; ++x)
          for (int c = 0; c < 3; ++c)
            views[v].at(c, t, y, x) = normalise(r.at(boxes[v].y + y, boxes[v].x + x, c), c, s);
  }
  return views;
}

}  // namespace oasim::data
