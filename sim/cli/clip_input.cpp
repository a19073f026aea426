#include "sim/cli/clip_input.hpp"

#include "sim/common/error.hpp"
#include "sim/common/h5_file.hpp"
#include "sim/common/rng.hpp"

namespace oasim::cli {

videomamba::Video read_clip_h5(const std::string& path, const std::string& dataset) {
  h5::Reader r(path);
  std::string name = dataset;
  if (name.empty()) name = r.has_dataset("video") ? "video" : "input/video";
  if (!r.has_dataset(name))
    fail_input("'{}': no dataset '{}' (a clip is a float array [channels, frames, height, width])", path, name);
  auto arr = r.read_floats(name);
  if (arr.shape.size() != 4)
    fail_input("'{}': dataset '{}' has shape {}, expected 4 dimensions [channels, frames, height, width]", path, name,
               h5::shape_str(arr.shape));
  videomamba::Video v(int(arr.shape[0]), int(arr.shape[1]), int(arr.shape[2]), int(arr.shape[3]));
  v.data = std::move(arr.data);
  return v;
}

videomamba::Video random_clip(const videomamba::ModelConfig& c, int frames, uint64_t seed) {
  videomamba::Video v(c.in_chans, frames, c.img_size, c.img_size);
  Rng rng = make_rng(seed, "input");
  std::normal_distribution<float> normal(0.0f, 1.0f);
  for (float& x : v.data) x = normal(rng);
  return v;
}

}  // namespace oasim::cli
