#include "sim/cli/cli_checks.hpp"

#include <charconv>
#include <cstdint>

#include "sim/common/memory_budget.hpp"

namespace oasim::cli {

const CLI::Validator& seed_validator() {
  static const CLI::Validator v(
      [](std::string& s) -> std::string {
        uint64_t value = 0;
        const char* end = s.data() + s.size();
        auto [p, ec] = std::from_chars(s.data(), end, value);
        if (s.empty() || ec != std::errc() || p != end)
          return "a seed is an integer in [0, 18446744073709551615], got '" + s + "'";
        return "";
      },
      "SEED");
  return v;
}

void check_clip_memory(const videomamba::ModelConfig& m, long frames, const std::string& what) {
  // Lower bound: the clip itself plus two [tokens, d_inner] activations of one layer (a stream model
  // holds one frame's tokens at a time).
  const double clip = 4.0 * m.in_chans * double(frames) * m.img_size * m.img_size;
  const double tokens = m.is_stream() ? m.patches_per_frame() + 1.0 : 1.0 + double(frames) * m.patches_per_frame();
  check_memory(clip + 2 * 4.0 * tokens * m.d_inner(), what);
}

}  // namespace oasim::cli
