#include "sim/cli/clip_input.hpp"

#include "sim/common/error.hpp"
#include "sim/common/h5_file.hpp"
#include "workloads/data/clip_source.hpp"

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
  data::check_clip_values(arr.shape, arr.data, path, name);
  videomamba::Video v(int(arr.shape[0]), int(arr.shape[1]), int(arr.shape[2]), int(arr.shape[3]));
  v.data = std::move(arr.data);
  return v;
}

videomamba::Video random_clip(const videomamba::ModelConfig& c, int frames, uint64_t seed) {
  return data::random_clip(c, frames, seed, 0);
}

}  // namespace oasim::cli
