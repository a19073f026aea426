#pragma once
// Which frames of a video make up each temporal test clip: the official VideoMamba test protocol
// (OpenGVLab/VideoMamba, videomamba/video_sm/datasets/; docs/video-eval.md gives the file per mode).
// Pure functions of the frame count, so tests can check every index.
#include <string>
#include <vector>

namespace oasim::data {

enum class SamplingMode {
  Dense,    // kinetics.py: `frames` frames `stride` apart, clip starts spread evenly over the video
  Sparse,   // kinetics_sparse.py (the K400 scripts' 'Kinetics_sparse'): one frame per segment, offset per clip
  Segment,  // ssv2.py: TSN-style uniform segments, clip k takes the point k/clips into each segment
};

SamplingMode parse_sampling_mode(const std::string& name);  // "dense" | "sparse" | "segment"; InputError
std::string to_string(SamplingMode m);

struct TemporalSampling {
  SamplingMode mode = SamplingMode::Sparse;
  int frames = 8;   // frames per clip (the model's num_frames)
  int stride = 4;   // dense only: the official --sampling_rate (default 4)
  int clips = 4;    // temporal clips per video (the official --test_num_segment)
};

// Frame indices (0-based, in [0, frame_count)) of temporal clip `clip` in [0, clips). frame_count >= 1.
std::vector<long> clip_frame_indices(const TemporalSampling& s, long frame_count, int clip);

// Mode-specific forms, exposed for the tests.
std::vector<long> dense_indices(long frame_count, int frames, int stride, int clip, int clips);
std::vector<long> sparse_indices(long frame_count, int frames, int clip, int clips);
std::vector<long> segment_indices(long frame_count, int frames, int clip, int clips);

}  // namespace oasim::data
