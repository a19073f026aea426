#pragma once
// Seeded random VideoMamba weights with trained-like magnitudes (Mamba's A_log and dt initialisation),
// for tests and benchmarks that need a model without a file.
#include <cstdint>

#include "workloads/videomamba/model_weights.hpp"

namespace oasim::videomamba {

ModelWeights random_weights(const ModelConfig& cfg, uint64_t seed);

}  // namespace oasim::videomamba
