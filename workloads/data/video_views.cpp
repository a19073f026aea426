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

std::vector<videomamba::Video> crop_views(const std::vector<const RgbFrame*>& resized, const SpatialViews& s) {
  if (resized.empty()) fail_input("no frames to make views from");
  const int T = int(resized.size());
  const auto boxes = crop_boxes(resized[0]->height, resized[0]->width, s.crop, s.crops);
  // Normalisation as a table: 256 values per channel.
  std::array<std::array<float, 256>, 3> lut;
  for (int c = 0; c < 3; ++c)
    for (int v = 0; v < 256; ++v) lut[c][v] = normalise(uint8_t(v), c, s);
  std::vector<videomamba::Video> views(boxes.size(), videomamba::Video(3, T, s.crop, s.crop));
  for (int t = 0; t < T; ++t) {
    const RgbFrame& r = *resized[t];
    if (r.height != resized[0]->height || r.width != resized[0]->width)
      fail_input("frames of one clip differ in size ({}x{} vs {}x{})", r.width, r.height, resized[0]->width,
                 resized[0]->height);
    for (size_t v = 0; v < boxes.size(); ++v)
      for (int c = 0; c < 3; ++c)
        for (int y = 0; y < s.crop; ++y) {
          const uint8_t* src = &r.rgb[(size_t(boxes[v].y + y) * r.width + boxes[v].x) * 3 + c];
          float* dst = &views[v].at(c, t, y, 0);
          for (int x = 0; x < s.crop; ++x) dst[x] = lut[c][src[3 * x]];
        }
  }
  return views;
}

std::vector<videomamba::Video> make_views(const std::vector<RgbFrame>& frames, const SpatialViews& s) {
  if (frames.empty()) fail_input("no frames to make views from");
  const Size2 size = short_side_size(frames[0].height, frames[0].width, s.short_side);
  std::vector<RgbFrame> resized;
  resized.reserve(frames.size());
  for (const auto& f : frames) resized.push_back(resize_bilinear(f, size.height, size.width));
  std::vector<const RgbFrame*> ptrs;
  for (const auto& r : resized) ptrs.push_back(&r);
  return crop_views(ptrs, s);
}

videomamba::Video single_view(const RgbFrame& frame, const SpatialViews& s, int channels) {
  if (channels != 1 && channels != 3) fail_input("a video frame gives 1 or 3 channels, the model wants {}", channels);
  const Size2 size = short_side_size(frame.height, frame.width, s.short_side);
  const RgbFrame r = resize_bilinear(frame, size.height, size.width);
  const CropBox b = crop_boxes(r.height, r.width, s.crop, 1)[0];
  videomamba::Video v(channels, 1, s.crop, s.crop);
  for (int y = 0; y < s.crop; ++y)
    for (int x = 0; x < s.crop; ++x) {
      if (channels == 3) {
        for (int c = 0; c < 3; ++c) v.at(c, 0, y, x) = normalise(r.at(b.y + y, b.x + x, c), c, s);
      } else {
        const float luma = 0.299f * r.at(b.y + y, b.x + x, 0) + 0.587f * r.at(b.y + y, b.x + x, 1) +
                           0.114f * r.at(b.y + y, b.x + x, 2);
        v.at(0, 0, y, x) = (luma / 255.0f - s.mean[0]) / s.std[0];
      }
    }
  return v;
}

}  // namespace oasim::data
