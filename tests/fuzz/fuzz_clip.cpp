// libFuzzer target: the HDF5 clip readers (`infer --input`, `run --data FILE`).
#include <cstdint>

#include "sim/cli/clip_input.hpp"
#include "sim/common/error.hpp"
#include "tests/fuzz/fuzz_input.hpp"
#include "workloads/data/clip_source.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = oasim::fuzz::input_file(data, size, ".h5");
  try {
    oasim::cli::read_clip_h5(path, "");
  } catch (const oasim::InputError&) {
  }
  try {
    oasim::videomamba::ModelConfig m;  // a small model input: 1 x 16 x 16, 2 frames
    m.img_size = 16;
    m.patch_size = 8;
    m.in_chans = 1;
    m.num_frames = 2;
    auto source = oasim::data::open_clip_source(path, m, 0, 2, 1);
    for (long i = 0; i < source->size(); ++i) source->get(i);
  } catch (const oasim::InputError&) {
  }
  return 0;
}
