#pragma once
// Moving Fashion-MNIST (docs/moving-fashion-mnist.md), bit-identical to workloads/python/oasim/mfm.py:
// an item moving and bouncing over 64x64 frames, labels = class x direction (40), ~20 % distractor frames.
#include <cstdint>
#include <string>
#include <vector>

#include "workloads/videomamba/video.hpp"

namespace oasim::data {

constexpr int kMfmFrame = 64;
constexpr int kMfmClasses = 40;

struct MfmClip {
  int frames = 0;
  std::vector<uint8_t> pixels;  // [frames][64][64]
  std::vector<int> labels;      // [frames]
};

// One clip of `frames` frames (split "train" or "test"); a pure function of its arguments.
MfmClip make_mfm_clip(const std::string& split, uint64_t seed, uint64_t index, int frames);
// A long stream: the item and its motion change every K frames, K uniform in [20, 60].
MfmClip make_mfm_stream(const std::string& split, uint64_t seed, uint64_t index, int frames);
// Frames [first, first+count) normalised to float: (v/255 - 0.2860) / 0.3530, as a 1-channel clip.
videomamba::Video mfm_to_video(const MfmClip& clip, int first = 0, int count = -1, int channels = 1);
std::vector<std::string> mfm_class_names();

}  // namespace oasim::data
