#include "sim/cli/clip_input.hpp"

#include "sim/common/error.hpp"
#include "sim/common/h5_file.hpp"
#include "sim/run/video_stream.hpp"
#include "workloads/data/clip_source.hpp"
#include "workloads/data/video_decoder.hpp"

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

videomamba::Video video_clip(const std::string& path, const videomamba::ModelConfig& c, int frames) {
  data::probe_video(path);  // a missing or undecodable file fails here, naming it
  data::VideoReader reader(path);
  const data::SpatialViews view = run::stream_view(c);
  std::vector<videomamba::Video> views;
  data::RgbFrame f;
  while (int(views.size()) < frames && reader.next(f)) views.push_back(data::single_view(f, view, c.in_chans));
  if (views.empty()) fail_input("video '{}': no decodable frame", path);
  videomamba::Video clip(c.in_chans, int(views.size()), c.img_size, c.img_size);
  for (int t = 0; t < clip.frames; ++t)
    for (int ch = 0; ch < c.in_chans; ++ch)
      std::copy_n(&views[size_t(t)].at(ch, 0, 0, 0), size_t(c.img_size) * c.img_size, &clip.at(ch, t, 0, 0));
  return clip;
}

}  // namespace oasim::cli
