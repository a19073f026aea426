#pragma once
// Loading oasim model files (HDF5, one dataset per official state-dict key; docs/model-format.md).
#include <string>
#include <utility>
#include <vector>

#include "sim/common/h5_file.hpp"
#include "workloads/videomamba/model_weights.hpp"

namespace oasim::videomamba {

constexpr const char* kModelFormat = "oasim-videomamba";
constexpr long kModelFormatVersion = 1;

struct ExpectedKey {
  std::string name;
  std::vector<hsize_t> shape;
};

// Every state-dict key (with its shape) that a model of this architecture must have, in official order.
std::vector<ExpectedKey> expected_keys(const ModelConfig& cfg);

// Reads and validates the root attributes. Throws InputError ("not an oasim model file", missing attribute...).
ModelConfig read_model_config(const h5::Reader& file);

// The architecture attributes alone, each name prefixed (e.g. "model." in a trace file), and back.
ModelConfig read_architecture(const h5::Reader& file, const std::string& prefix);
void write_architecture(h5::Writer& w, const ModelConfig& c, const std::string& prefix);

// Loads and validates everything; the first problem (missing key, wrong shape with expected vs found,
// wrong dtype, unexpected key, not an oasim file) is an InputError naming the file and key.
ModelWeights load_model(const std::string& path);

}  // namespace oasim::videomamba
