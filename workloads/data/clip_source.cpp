#include "workloads/data/clip_source.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "sim/common/error.hpp"
#include "sim/common/h5_file.hpp"
#include "sim/common/normal_sampler.hpp"
#include "sim/common/rng.hpp"

namespace oasim::data {
namespace {

class RandomClips : public ClipSource {
 public:
  RandomClips(const videomamba::ModelConfig& m, int frames, long count, uint64_t seed)
      : m_(m), frames_(frames), count_(count), seed_(seed) {}
  long size() const override { return count_; }
  LabeledClip get(long i) const override {
    LabeledClip c;
    c.video = random_clip(m_, frames_, seed_, i);
    c.id = fmt::format("random/{}", i);
    return c;
  }
  std::string describe() const override { return fmt::format("{} random N(0,1) clips (seed {})", count_, seed_); }

 private:
  videomamba::ModelConfig m_;
  int frames_;
  long count_;
  uint64_t seed_;
};

// An HDF5 file with `clips` [N, C, T, H, W] float and optional integer `labels` [N] or [N, T].
class H5Clips : public ClipSource {
 public:
  H5Clips(const std::string& path, int frames, long count) : reader_(path), path_(path), frames_(frames) {
    if (!reader_.has_dataset("clips"))
      fail_input("'{}': no dataset 'clips' (expected float [clips, channels, frames, height, width])", path);
    shape_ = reader_.dataset_shape("clips");
    if (shape_.size() != 5) fail_input("'{}': 'clips' has shape {}, expected 5 dimensions", path, h5::shape_str(shape_));
    check_clip_values(shape_, {}, path, "clips");  // an empty dimension, before the frame count is compared
    if (frames_ <= 0) frames_ = int(shape_[2]);
    if (frames_ > int(shape_[2])) fail_input("'{}': clips have {} frames, {} asked for", path, shape_[2], frames_);
    count_ = count > 0 ? std::min<long>(count, long(shape_[0])) : long(shape_[0]);
    all_ = reader_.read_floats("clips");
    check_clip_values(shape_, all_.data, path, "clips");
    if (reader_.has_dataset("labels")) labels_ = reader_.read_ints("labels");
  }
  long size() const override { return count_; }
  LabeledClip get(long i) const override {
    const int c = int(shape_[1]), t = int(shape_[2]), h = int(shape_[3]), w = int(shape_[4]);
    videomamba::Video full(c, t, h, w);
    const size_t per = size_t(c) * t * h * w;
    std::copy_n(all_.data.begin() + long(i * per), per, full.data.begin());
    LabeledClip out;
    out.video = full.slice(0, frames_);
    if (!labels_.empty()) {
      const size_t per_clip = labels_.size() / shape_[0];
      for (size_t k = 0; k < std::min<size_t>(per_clip, per_clip == 1 ? 1 : size_t(frames_)); ++k)
        out.labels.push_back(int(labels_[i * per_clip + k]));
    }
    out.id = fmt::format("{}#{}", path_, i);
    return out;
  }
  std::string describe() const override { return fmt::format("{} clips from {}", count_, path_); }

 private:
  h5::Reader reader_;
  std::string path_;
  int frames_;
  long count_ = 0;
  std::vector<hsize_t> shape_;
  h5::FloatArray all_;
  std::vector<int64_t> labels_;
};

}  // namespace

videomamba::Video random_clip(const videomamba::ModelConfig& m, int frames, uint64_t seed, long index) {
  videomamba::Video v(m.in_chans, frames, m.img_size, m.img_size);
  NormalSampler s(stream_seed(seed, fmt::format("random_clip/{}", index)));
  s.fill(v.data.data(), long(v.data.size()));
  return v;
}

void check_clip_values(const std::vector<hsize_t>& shape, const std::vector<float>& values, const std::string& path,
                       const std::string& dataset) {
  for (size_t d = 0; d < shape.size(); ++d)
    if (shape[d] == 0)
      fail_input("'{}': dataset '{}' has shape {}: dimension {} is empty, so there is no clip to evaluate", path,
                 dataset, h5::shape_str(shape), d);
  for (size_t i = 0; i < values.size(); ++i)
    if (!std::isfinite(values[i]))
      fail_input("'{}': dataset '{}' holds {} at flat index {} (clip values must be finite)", path, dataset, values[i],
                 i);
}

std::unique_ptr<ClipSource> make_mfm_source(const std::string& split, const videomamba::ModelConfig& m, int frames,
                                            long count, uint64_t seed);

std::unique_ptr<ClipSource> open_clip_source(const std::string& spec, const videomamba::ModelConfig& m, int frames,
                                             long count, uint64_t seed) {
  const int f = frames > 0 ? frames : m.num_frames;
  if (spec == "random") return std::make_unique<RandomClips>(m, f, count > 0 ? count : 4, seed);
  if (spec.rfind("mfm:", 0) == 0) return make_mfm_source(spec.substr(4), m, f, count, seed);
  if (std::filesystem::is_directory(spec)) fail_input("data '{}' is a directory, expected an .h5 clip file", spec);
  if (std::filesystem::exists(spec)) return std::make_unique<H5Clips>(spec, frames, count);
  fail_input("data '{}': not a file, and not one of 'random', 'mfm:test', 'mfm:train'", spec);
}

}  // namespace oasim::data
