#include "sim/run/video_stream_report.hpp"

#include <fstream>
#include <nlohmann/json.hpp>

#include "models/components/hardware_config_io.hpp"
#include "sim/common/error.hpp"
#include "sim/run/provenance_json.hpp"
#include "sim/run/report_writer.hpp"

namespace oasim::run {

void write_video_stream_json(const VideoStreamResult& r, const VideoStreamOptions& opt, const config::HardwareConfig& hw,
                             const std::string& path) {
  using nlohmann::json;
  json j;
  j["oasim_report_version"] = kReportVersion;
  ProvenanceInputs prov;
  prov.seed = opt.seed;
  prov.device_seed = hw.seed;  // no data seed: the frames come from the video file, hashed below
  prov.hw_path = opt.hw_path;
  prov.recipe_path = opt.recipe_path;
  prov.model_path = opt.model_path;
  prov.extra_files = {{"video", opt.video}};
  j["provenance"] = provenance_json(prov);
  j["run"] = {{"model", opt.model_path}, {"model_variant", r.model_variant}, {"hw", opt.hw_path},
              {"hw_name", hw.name}, {"data", "video:" + opt.video}, {"frames", r.frames.size()},
              {"seed", opt.seed}, {"fp32_only", opt.fp32_only}};
  // A video has no labels: only the agreement of the two paths is measured (null when optical did not run).
  j["accuracy"] = {{"labelled", false}, {"scored", r.frames.size()},
                   {"agreement", opt.fp32_only ? json(nullptr) : json(r.agreement)}};
  j["energy_per_frame"] = cost_json(r.cost);
  j["video"] = {{"width", r.width}, {"height", r.height}, {"fps", r.fps}, {"frame_interval_s", r.frame_interval_s},
                {"real_time", r.real_time}, {"mean_latency_s", r.mean_latency_s}, {"max_latency_s", r.max_latency_s},
                {"max_queued_frames", r.max_queued}, {"frame_input_bytes", r.frame_input_bytes}};
  j["throughput"] = throughput_json(r.cost, r.program);
  j["mapping"] = mapping_json(r.program);
  j["wall_s"] = {{"total", r.wall_s}};
  j["hardware_config"] = config::to_yaml(hw);
  std::ofstream out(path);
  out << j.dump(2) << "\n";
  if (!out.flush()) fail_input("cannot write '{}'", path);
}

}  // namespace oasim::run
