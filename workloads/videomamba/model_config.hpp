#pragma once
// Architecture of a VideoMamba model (the HDF5 file's root attributes, see docs/model-format.md).
#include <string>

namespace oasim::videomamba {

enum class Variant { Clip, Stream };  // "videomamba" (official) | "videomamba-stream" (oasim's streaming)

struct ModelConfig {
  Variant variant = Variant::Clip;
  int embed_dim = 192;
  int depth = 24;
  int d_state = 16;
  int d_conv = 4;
  int expand = 2;
  int dt_rank = 12;
  int patch_size = 16;
  int tubelet_size = 1;
  int num_frames = 8;
  int img_size = 224;
  int in_chans = 3;
  int num_classes = 400;

  int d_inner() const { return expand * embed_dim; }
  int grid() const { return img_size / patch_size; }
  int patches_per_frame() const { return grid() * grid(); }
  int time_steps() const { return num_frames / tubelet_size; }  // T' of the clip model
  int patch_volume() const { return in_chans * tubelet_size * patch_size * patch_size; }
  // Tokens the clip model sees for `frames` input frames: stream = (n+1) per frame, clip = 1 + T'*n.
  long sequence_length(int frames) const;
  bool is_stream() const { return variant == Variant::Stream; }

  // Throws InputError naming the first inconsistent value.
  void validate() const;
};

const char* variant_name(Variant v);
Variant parse_variant(const std::string& name);  // throws InputError

}  // namespace oasim::videomamba
