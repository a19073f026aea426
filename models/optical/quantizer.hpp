#pragma once
// Symmetric uniform quantization, shared by the DAC, the weight planes and the ADC.
#include <algorithm>
#include <cmath>

namespace oasim::optical {

// Largest positive code of a signed b-bit converter used symmetrically: 2^(b-1) - 1 (127 for 8 bits).
inline int max_code(int bits) { return (1 << (bits - 1)) - 1; }

// std::round (half away from zero) written so that loops over it vectorise (std::round has no vector
// instruction; trunc has). Equal to std::round for every float: q - trunc(q) is exact, and r +- 1 is
// exact wherever q has a fraction (|q| < 2^23). tests/test_kernels.cpp checks it against std::round.
inline float round_half_away(float q) {
  const float r = std::trunc(q);
  return std::fabs(q - r) >= 0.5f ? r + std::copysign(1.0f, q) : r;
}

// round-half-away-from-zero then clamp to [-levels, levels]; returns the integer code as float.
inline float quantize(float x, float scale, int levels) {
  if (scale <= 0.0f) return 0.0f;
  const float q = round_half_away(x / scale);
  return std::clamp(q, float(-levels), float(levels));
}

}  // namespace oasim::optical
