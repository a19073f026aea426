#include "workloads/data/video_sampling.hpp"

#include <algorithm>
#include <cmath>

#include "sim/common/error.hpp"

namespace oasim::data {

SamplingMode parse_sampling_mode(const std::string& name) {
  if (name == "dense") return SamplingMode::Dense;
  if (name == "sparse") return SamplingMode::Sparse;
  if (name == "segment") return SamplingMode::Segment;
  fail_input("unknown sampling mode '{}': expected dense, sparse or segment", name);
}

std::string to_string(SamplingMode m) {
  switch (m) {
    case SamplingMode::Dense: return "dense";
    case SamplingMode::Sparse: return "sparse";
    case SamplingMode::Segment: return "segment";
  }
  return "?";
}

// kinetics.py, test mode: a window of frames*stride frames; the clips' starts are spread evenly over
// [0, N - window] (temporal_step = max((N - window) / (clips - 1), 0)); indices past the end repeat the
// last one. The official code divides by clips - 1; with one clip we take the centred window instead.
std::vector<long> dense_indices(long n, int frames, int stride, int clip, int clips) {
  const long window = long(frames) * stride;
  double step = clips > 1 ? std::max(double(n - window) / (clips - 1), 0.0) : std::max(double(n - window) / 2, 0.0);
  long start = clips > 1 ? long(clip * step) : long(step);
  long bound = std::min(start + window, n);
  std::vector<long> idx;
  for (long i = start; i < bound; i += stride) idx.push_back(i);
  if (idx.empty()) idx.push_back(std::min(start, n - 1));
  while (int(idx.size()) < frames) idx.push_back(idx.back());
  return idx;
}

// kinetics_sparse.py `_get_seq_frames`, test mode: segments of (N-1)/frames frames; clip k takes
// round(seg*i) + int(seg/(clips+1) * (k+1)). np.round rounds half to even, as std::nearbyint does
// in the default rounding mode.
std::vector<long> sparse_indices(long n, int frames, int clip, int clips) {
  const double seg = std::max(0.0, double(n - 1) / frames);
  const double duration = seg / (clips + 1);
  std::vector<long> idx;
  for (int i = 0; i < frames; ++i) {
    long start = long(std::nearbyint(seg * i));
    idx.push_back(std::min(start + long(duration * (clip + 1)), n - 1));
  }
  return idx;
}

// ssv2.py (decord path), test mode: tick = N/frames; with two clips the official code samples the
// segment starts int(tick*x) and middles int(tick/2 + tick*x), sorts them and takes every second one,
// which is clip 0 = starts, clip 1 = middles. The raw-frame path generalises to int(tick*k/clips + tick*x)
// for clip k, which equals it at clips = 2; we use that form.
std::vector<long> segment_indices(long n, int frames, int clip, int clips) {
  const double tick = double(n) / frames;
  std::vector<long> idx;
  for (int x = 0; x < frames; ++x) idx.push_back(std::min(long(tick * clip / clips + tick * x), n - 1));
  return idx;
}

std::vector<long> clip_frame_indices(const TemporalSampling& s, long n, int clip) {
  if (n < 1) fail_input("cannot sample frames from a video with {} frames", n);
  if (clip < 0 || clip >= s.clips) fail_input("temporal clip {} out of range [0, {})", clip, s.clips);
  switch (s.mode) {
    case SamplingMode::Dense: return dense_indices(n, s.frames, s.stride, clip, s.clips);
    case SamplingMode::Sparse: return sparse_indices(n, s.frames, clip, s.clips);
    case SamplingMode::Segment: return segment_indices(n, s.frames, clip, s.clips);
  }
  return {};
}

}  // namespace oasim::data
