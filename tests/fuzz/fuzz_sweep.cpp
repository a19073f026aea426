// libFuzzer target: the sweep-file parser and the expansion of its points (every point is validated).
#include <cstdint>

#include "sim/common/error.hpp"
#include "sim/sweep/sweep_spec.hpp"
#include "tests/fuzz/fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = oasim::fuzz::input_file(data, size, ".yaml");
  try {
    oasim::sweep::expand_points(oasim::sweep::load_sweep(path));
  } catch (const oasim::InputError&) {
  }
  return 0;
}
