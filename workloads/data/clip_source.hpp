#pragma once
// Where evaluation clips come from: a seeded random source, an HDF5 file of clips, or the generated
// Moving Fashion-MNIST task. Labels are per frame for streams, one per clip otherwise, empty if unknown.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <H5Cpp.h>

#include "workloads/videomamba/model_config.hpp"
#include "workloads/videomamba/video.hpp"

namespace oasim::data {

struct LabeledClip {
  videomamba::Video video;
  std::vector<int> labels;  // per frame (stream task) or a single clip label; empty = unlabelled
  std::string id;
};

class ClipSource {
 public:
  virtual ~ClipSource() = default;
  virtual long size() const = 0;
  virtual LabeledClip get(long index) const = 0;
  virtual std::string describe() const = 0;
  virtual std::vector<std::string> class_names() const { return {}; }
};

// The one seeded N(0,1) clip generator: clip `index` of seed `seed`, so `oasim infer --random-input S` sees
// clip 0 of `oasim run --data random --seed S`.
videomamba::Video random_clip(const videomamba::ModelConfig& model, int frames, uint64_t seed, long index = 0);

// Refuses a clip read from `path`/`dataset` that is empty or holds a NaN or an infinity (it would give
// "nan%" or "0 frame(s)" instead of an error).
void check_clip_values(const std::vector<hsize_t>& shape, const std::vector<float>& values, const std::string& path,
                       const std::string& dataset);

// spec: "random" | "mfm:test" | "mfm:train" | a path to an .h5 clip file (docs/cli.md).
// frames: frames per clip (0 = the model's num_frames); count: clips wanted (0 = all the source has).
std::unique_ptr<ClipSource> open_clip_source(const std::string& spec, const videomamba::ModelConfig& model, int frames,
                                             long count, uint64_t seed);

}  // namespace oasim::data
