// libFuzzer target: the HDF5 timing-trace reader and the mapping check a replay makes on what it accepts.
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
    // The mapping check of a replay (compiles the recorded model on the recorded config). Not the timing
    // simulation itself: SystemC elaborates once per process, so it cannot run once per fuzz input.
    oasim::trace::program_changing_keys(t, t.hw);
  } catch (const oasim::InputError&) {
  }
  return 0;
}
