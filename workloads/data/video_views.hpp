#pragma once
// Spatial side of the official VideoMamba test protocol: resize the short side, cut one or three square
// views along the long side, scale to [0,1] and normalise with the ImageNet mean/std
// (OpenGVLab/VideoMamba: video_sm/functional.py resize_clip, datasets/kinetics_sparse.py and ssv2.py test
// branches, volume_transforms.py ClipToTensor; docs/video-eval.md).
#include <array>
#include <vector>

#include "workloads/data/video_decoder.hpp"
#include "workloads/videomamba/video.hpp"

namespace oasim::data {

struct SpatialViews {
  int short_side = 224;  // the official --short_side_size
  int crop = 224;        // the official --input_size (the model's img_size)
  int crops = 3;         // the official --test_num_crop: 1 (centre) or more (spread along the long side)
  std::array<float, 3> mean{0.485f, 0.456f, 0.406f};  // ImageNet, as in the official Normalize
  std::array<float, 3> std{0.229f, 0.224f, 0.225f};
};

struct Size2 {
  int height = 0, width = 0;
};

// functional.py get_resize_sizes: the short side becomes `short_side`, the long one int(short_side*long/short).
Size2 short_side_size(int height, int width, int short_side);

struct CropBox {
  int y = 0, x = 0, size = 0;
};

// The official test crops of a resized frame: along the long side, start int(k * (long - crop)/(crops-1))
// (crops = 1: int((long - crop)/2)); along the short side centred (a no-op when crop == short_side,
// as in every official script).
std::vector<CropBox> crop_boxes(int height, int width, int crop, int crops);

// Bilinear resize with OpenCV INTER_LINEAR's pixel-centre mapping and edge clamping (the official code
// resizes with cv2.resize), rounded back to 8 bits as cv2 does for uint8 images.
RgbFrame resize_bilinear(const RgbFrame& in, int height, int width);

// (v/255 - mean[c]) / std[c]: ClipToTensor then Normalize.
inline float normalise(uint8_t v, int c, const SpatialViews& s) { return (v / 255.0f - s.mean[c]) / s.std[c]; }

// The views of one temporal clip from frames already resized (short side = s.short_side): `crops` clips
// of [3][T][crop][crop], normalised. Frames shared between clips are resized only once by the caller.
std::vector<videomamba::Video> crop_views(const std::vector<const RgbFrame*>& resized, const SpatialViews& s);

// All views of one temporal clip from its decoded frames in order (resize, then crop_views). Every frame
// is resized to the size the first frame's gives, as resize_clip does for a whole clip.
std::vector<videomamba::Video> make_views(const std::vector<RgbFrame>& frames, const SpatialViews& s);

// One frame as a one-frame clip [channels][1][crop][crop]: short-side resize, centre crop, normalise.
// channels = 1: BT.601 luma (0.299 R + 0.587 G + 0.114 B), normalised with mean[0]/std[0].
videomamba::Video single_view(const RgbFrame& frame, const SpatialViews& s, int channels);

}  // namespace oasim::data
