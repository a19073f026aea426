#pragma once
// The `provenance` object every measuring command writes into its report (run, run --video --stream,
// replay, eval): one function, so the keys cannot drift apart (docs/report-format.md).
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace oasim::run {

struct ProvenanceInputs {
  std::optional<uint64_t> seed, data_seed, device_seed;  // absent: the command has no such seed (null)
  std::string hw_path, recipe_path, model_path;          // "" = not an input of this command (null)
  // Further input files, stored as {path, sha256} under their key (replay: "trace", eval: "eval_config").
  std::vector<std::pair<std::string, std::string>> extra_files;
};

// {oasim_version, command_line, seed, data_seed, device_seed, hardware_config, recipe, model, ...extra}.
nlohmann::json provenance_json(const ProvenanceInputs& in);

}  // namespace oasim::run
