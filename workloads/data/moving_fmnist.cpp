#include "workloads/data/moving_fmnist.hpp"

#include <algorithm>

#include "sim/common/error.hpp"
#include "sim/common/rng.hpp"
#include "workloads/data/fashion_mnist.hpp"

namespace oasim::data {
namespace {

constexpr int kItem = 28;
constexpr int kMaxPos = kMfmFrame - kItem;  // 36
constexpr int kDistractorPercent = 20;
constexpr float kMean = 0.2860f, kStd = 0.3530f;
enum Purpose : uint64_t { kItemP = 1, kX, kY, kVx, kVy, kSx, kSy, kDistract, kKind, kNoise, kSegment };

// mix(key, v) = splitmix64(key ^ v); draw = mix(key, purpose) % n (same rule as mfm.py).
uint64_t mix(uint64_t key, uint64_t v) { return splitmix64(key ^ v); }
uint64_t draw(uint64_t key, uint64_t purpose, uint64_t n) { return mix(key, purpose) % n; }

uint64_t split_id(const std::string& split) {
  if (split == "train") return 1;
  if (split == "test") return 2;
  fail_input("unknown Moving Fashion-MNIST split '{}' (expected 'train' or 'test')", split);
}

int direction(int vx, int vy) {
  if (vx > 0) return vy > 0 ? 0 : 3;
  return vy > 0 ? 1 : 2;
}

void bounce(int& p, int& v) {
  p += v;
  if (p < 0) {
    p = -p;
    v = -v;
  } else if (p > kMaxPos) {
    p = 2 * kMaxPos - p;
    v = -v;
  }
}

struct Segment {
  int item, x, y, vx, vy;
  Segment(uint64_t key, int n_items)
      : item(int(draw(key, kItemP, uint64_t(n_items)))),
        x(int(draw(key, kX, kMaxPos + 1))),
        y(int(draw(key, kY, kMaxPos + 1))),
        vx(int(1 + draw(key, kVx, 3)) * (draw(key, kSx, 2) == 0 ? 1 : -1)),
        vy(int(1 + draw(key, kVy, 3)) * (draw(key, kSy, 2) == 0 ? 1 : -1)) {}
  void step() {
    bounce(x, vx);
    bounce(y, vy);
  }
};

void render(uint64_t frame_key, int local_t, const Segment& s, const FashionMnist& fm, uint8_t* out) {
  std::fill(out, out + kMfmFrame * kMfmFrame, uint8_t(0));
  const bool distractor = local_t >= 2 && draw(frame_key, kDistract, 100) < kDistractorPercent;
  if (!distractor) {
    const uint8_t* img = fm.image(s.item);
    for (int r = 0; r < kItem; ++r) std::copy_n(img + r * kItem, kItem, out + (s.y + r) * kMfmFrame + s.x);
  } else if (draw(frame_key, kKind, 2) == 1) {
    const uint64_t base = mix(frame_key, kNoise);
    for (int p = 0; p < kMfmFrame * kMfmFrame; ++p) out[p] = uint8_t(splitmix64(base ^ uint64_t(p)) % 256);
  }
}

}  // namespace

MfmClip make_mfm_clip(const std::string& split, uint64_t seed, uint64_t index, int frames) {
  const FashionMnist& fm = load_fashion_mnist(split);
  const uint64_t key = mix(mix(mix(seed, split_id(split)), 0), index);
  Segment s(key, fm.count);
  MfmClip c;
  c.frames = frames;
  c.pixels.resize(size_t(frames) * kMfmFrame * kMfmFrame);
  c.labels.resize(frames);
  for (int t = 0; t < frames; ++t) {
    if (t > 0) s.step();
    render(mix(key, 1000 + uint64_t(t)), t, s, fm, &c.pixels[size_t(t) * kMfmFrame * kMfmFrame]);
    c.labels[t] = fm.labels[s.item] * 4 + direction(s.vx, s.vy);
  }
  return c;
}

MfmClip make_mfm_stream(const std::string& split, uint64_t seed, uint64_t index, int frames) {
  const FashionMnist& fm = load_fashion_mnist(split);
  const uint64_t key = mix(mix(mix(seed, split_id(split)), 1), index);
  MfmClip c;
  c.frames = frames;
  c.pixels.resize(size_t(frames) * kMfmFrame * kMfmFrame);
  c.labels.resize(frames);
  int t = 0;
  for (uint64_t segment = 0; t < frames; ++segment) {
    const uint64_t seg_key = mix(key, 2000 + segment);
    const int length = 20 + int(draw(seg_key, kSegment, 41));
    Segment s(seg_key, fm.count);
    for (int lt = 0; lt < length && t < frames; ++lt, ++t) {
      if (lt > 0) s.step();
      render(mix(seg_key, 1000 + uint64_t(lt)), lt, s, fm, &c.pixels[size_t(t) * kMfmFrame * kMfmFrame]);
      c.labels[t] = fm.labels[s.item] * 4 + direction(s.vx, s.vy);
    }
  }
  return c;
}

videomamba::Video mfm_to_video(const MfmClip& clip, int first, int count, int channels) {
  if (count < 0) count = clip.frames - first;
  videomamba::Video v(channels, count, kMfmFrame, kMfmFrame);
  const size_t plane = size_t(kMfmFrame) * kMfmFrame;
  for (int t = 0; t < count; ++t)
    for (size_t p = 0; p < plane; ++p) {
      // Same float32 operations, in the same order, as mfm.normalize.
      const float x = (float(clip.pixels[size_t(first + t) * plane + p]) / 255.0f - kMean) / kStd;
      for (int c = 0; c < channels; ++c) v.data[(size_t(c) * count + t) * plane + p] = x;
    }
  return v;
}

std::vector<std::string> mfm_class_names() {
  static const char* cls[] = {"tshirt_top", "trouser", "pullover", "dress", "coat",
                              "sandal",     "shirt",   "sneaker",  "bag",   "ankle_boot"};
  static const char* dir[] = {"right-down", "left-down", "left-up", "right-up"};
  std::vector<std::string> names;
  for (auto c : cls)
    for (auto d : dir) names.push_back(std::string(c) + "/" + d);
  return names;
}

}  // namespace oasim::data
