#pragma once
// Checks shared by the subcommands' flags: seeds, and the memory a clip of a given length needs.
#include <CLI/CLI.hpp>

#include <string>

#include "workloads/videomamba/model_config.hpp"

namespace oasim::cli {

// A seed flag's value: decimal digits only, 0 .. 2^64-1. Without it CLI11 wraps "-1" to 2^64-1 and clamps
// values that do not fit, so two different requests silently run the same seed.
const CLI::Validator& seed_validator();

// InputError when one clip of `frames` frames through `model` (the clip and the activations of one layer)
// cannot fit in this machine's memory; `what` names the flag ("--frames 100000000").
void check_clip_memory(const videomamba::ModelConfig& model, long frames, const std::string& what);

}  // namespace oasim::cli
