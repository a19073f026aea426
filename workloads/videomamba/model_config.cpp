#include "workloads/videomamba/model_config.hpp"

#include "sim/common/error.hpp"

namespace oasim::videomamba {

const char* variant_name(Variant v) { return v == Variant::Clip ? "videomamba" : "videomamba-stream"; }

Variant parse_variant(const std::string& name) {
  if (name == "videomamba") return Variant::Clip;
  if (name == "videomamba-stream") return Variant::Stream;
  fail_input("unknown model variant '{}' (expected 'videomamba' or 'videomamba-stream')", name);
}

long ModelConfig::sequence_length(int frames) const {
  if (is_stream()) return long(frames) * (patches_per_frame() + 1);
  return 1 + long(frames / tubelet_size) * patches_per_frame();
}

void ModelConfig::validate() const {
  auto positive = [](const char* key, int v) {
    if (v <= 0) fail_input("model attribute '{}' = {} must be positive", key, v);
  };
  positive("embed_dim", embed_dim);
  positive("depth", depth);
  positive("d_state", d_state);
  positive("d_conv", d_conv);
  positive("expand", expand);
  positive("dt_rank", dt_rank);
  positive("patch_size", patch_size);
  positive("tubelet_size", tubelet_size);
  positive("num_frames", num_frames);
  positive("img_size", img_size);
  positive("in_chans", in_chans);
  positive("num_classes", num_classes);
  if (img_size % patch_size != 0)
    fail_input("img_size {} is not a multiple of patch_size {}", img_size, patch_size);
  if (num_frames % tubelet_size != 0)
    fail_input("num_frames {} is not a multiple of tubelet_size {}", num_frames, tubelet_size);
  if (is_stream() && tubelet_size != 1)
    fail_input("videomamba-stream needs tubelet_size 1 (one frame per streaming step), found {}", tubelet_size);
}

}  // namespace oasim::videomamba
