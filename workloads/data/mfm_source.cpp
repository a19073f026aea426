// Moving Fashion-MNIST as a ClipSource: `--data mfm:test` (evaluation) and `mfm:train` (calibration).
#include <fmt/format.h>

#include "workloads/data/clip_source.hpp"
#include "workloads/data/moving_fmnist.hpp"
#include "sim/common/error.hpp"

namespace oasim::data {
namespace {

class MfmClips : public ClipSource {
 public:
  MfmClips(std::string split, const videomamba::ModelConfig& m, int frames, long count, uint64_t seed)
      : split_(std::move(split)), channels_(m.in_chans), frames_(frames), count_(count), seed_(seed) {
    if (m.img_size != kMfmFrame)
      fail_input("Moving Fashion-MNIST frames are {}x{} px, the model expects {}x{}", kMfmFrame, kMfmFrame,
                 m.img_size, m.img_size);
    if (m.num_classes != kMfmClasses)
      fail_input("Moving Fashion-MNIST has {} classes, the model's head has {}", kMfmClasses, m.num_classes);
    make_mfm_clip(split_, seed_, 0, 1);  // validates the split and loads the images now, not mid-run
  }
  long size() const override { return count_; }
  LabeledClip get(long i) const override {
    MfmClip c = make_mfm_clip(split_, seed_, uint64_t(i), frames_);
    LabeledClip out;
    out.video = mfm_to_video(c, 0, -1, channels_);
    out.labels = c.labels;
    out.id = fmt::format("mfm:{}/{}/{}", split_, seed_, i);
    return out;
  }
  std::string describe() const override {
    return fmt::format("{} Moving Fashion-MNIST {} clips (seed {})", count_, split_, seed_);
  }
  std::vector<std::string> class_names() const override { return mfm_class_names(); }

 private:
  std::string split_;
  int channels_, frames_;
  long count_;
  uint64_t seed_;
};

}  // namespace

std::unique_ptr<ClipSource> make_mfm_source(const std::string& split, const videomamba::ModelConfig& m, int frames,
                                            long count, uint64_t seed) {
  return std::make_unique<MfmClips>(split, m, frames, count > 0 ? count : 100, seed);
}

}  // namespace oasim::data
