#include "sim/run/provenance_json.hpp"

#include "sim/common/provenance.hpp"

namespace oasim::run {

nlohmann::json provenance_json(const ProvenanceInputs& in) {
  using nlohmann::json;
  auto hashed = [](const std::string& path) -> json {
    if (path.empty()) return nullptr;
    return {{"path", path}, {"sha256", sha256_file(path)}};
  };
  auto seed = [](const std::optional<uint64_t>& s) -> json { return s ? json(*s) : json(nullptr); };
  json j = {{"oasim_version", oasim_version()},
            {"command_line", command_line().empty() ? json(nullptr) : json(command_line())},
            {"seed", seed(in.seed)}, {"data_seed", seed(in.data_seed)}, {"device_seed", seed(in.device_seed)},
            {"hardware_config", hashed(in.hw_path)}, {"recipe", hashed(in.recipe_path)},
            {"model", hashed(in.model_path)}};
  for (const auto& [key, path] : in.extra_files) j[key] = hashed(path);
  return j;
}

}  // namespace oasim::run
