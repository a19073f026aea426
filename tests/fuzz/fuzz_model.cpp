// libFuzzer target: the HDF5 model reader (attributes, keys, shapes, values, checksums).
#include <cstdint>

#include "sim/common/error.hpp"
#include "tests/fuzz/fuzz_input.hpp"
#include "workloads/videomamba/model_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = oasim::fuzz::input_file(data, size, ".h5");
  try {
    oasim::videomamba::load_model(path);
  } catch (const oasim::InputError&) {
  }
  return 0;
}
