#pragma once
// The evaluation protocol of `oasim eval`, parsed once from YAML (configs/eval/*.yaml; docs/video-eval.md).
#include <string>

#include "workloads/data/video_sampling.hpp"
#include "workloads/data/video_views.hpp"

namespace oasim::config {

struct EvalConfig {
  std::string name = "k400";          // preset name, for reports
  data::TemporalSampling sampling;    // frames = 0 means "the model's num_frames"
  data::SpatialViews views;
  std::string list_separator = "auto";  // "auto" (comma or whitespace), ",", " " or "\t"
  int topk = 5;
  std::string source_file;            // where it was read from ("" = built-in default)

  int views_per_video() const { return sampling.clips * views.crops; }
};

// The official Kinetics-400 test protocol of VideoMamba (sparse, 4 clips x 3 crops, 224): the default.
EvalConfig default_eval_config();

// Parses and validates; errors are InputErrors "FILE:LINE: key 'a.b' = 'v': expected ...".
EvalConfig load_eval_config(const std::string& path);

// Checks ranges and combinations; `origin` prefixes the message.
void validate(const EvalConfig& c, const std::string& origin);

}  // namespace oasim::config
