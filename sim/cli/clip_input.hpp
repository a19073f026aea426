#pragma once
// Where `oasim infer` and friends get a clip: an HDF5 file, a seeded random clip, or a video file's first
// frames (the data sources `oasim run` reads are opened by data::open_clip_source).
#include <cstdint>
#include <optional>
#include <string>

#include "workloads/videomamba/model_config.hpp"
#include "workloads/videomamba/video.hpp"

namespace oasim::cli {

// Reads a float clip [C, T, H, W] from `dataset` in an HDF5 file (default: "video", else "input/video").
videomamba::Video read_clip_h5(const std::string& path, const std::string& dataset);

// A N(0,1) clip of the model's input shape with `frames` frames: clip 0 of `run --data random --seed SEED`.
videomamba::Video random_clip(const videomamba::ModelConfig& c, int frames, uint64_t seed);

// The first `frames` frames of a video file, preprocessed as `oasim run --video --stream` does (one centre
// view of the model's img_size). InputError naming the file when it cannot be decoded or has no frame.
videomamba::Video video_clip(const std::string& path, const videomamba::ModelConfig& c, int frames);

}  // namespace oasim::cli
