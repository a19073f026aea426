// libFuzzer target: the HDF5 timing-trace reader and a replay of what it accepts on the recorded config.
#include <cstdint>

#include "sim/common/error.hpp"
#include "sim/trace/replay.hpp"
#include "sim/trace/trace_file.hpp"
#include "tests/fuzz/fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = oasim::fuzz::input_file(data, size, ".h5");
  try {
    auto t = oasim::trace::read_trace(path);
    t.recipe_path.clear();  // a path inside the input would make the fuzzer read arbitrary files (/dev/zero)
    oasim::trace::replay(t, t.hw, false);
  } catch (const oasim::InputError&) {
  }
  return 0;
}
