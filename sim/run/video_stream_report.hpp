#pragma once
// report.json of `oasim run --video FILE --stream`: the same schema as a run's report (provenance, run,
// accuracy, energy_per_frame, throughput, mapping, wall_s, hardware_config; docs/report-format.md) with the
// energy priced at the video's frame rate and a `video` section for the stream's timing.
#include <string>

#include "models/components/hardware_config.hpp"
#include "sim/run/video_stream.hpp"

namespace oasim::run {

void write_video_stream_json(const VideoStreamResult& r, const VideoStreamOptions& opt, const config::HardwareConfig& hw,
                             const std::string& path);

}  // namespace oasim::run
