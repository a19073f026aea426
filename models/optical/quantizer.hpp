#pragma once
// Symmetric uniform quantization, shared by the DAC, the weight planes and the ADC.
#include <algorithm>
#include <cmath>

namespace oasim::optical {

// Largest positive code of a signed b-bit converter used symmetrically: 2^(b-1) - 1 (127 for 8 bits).
inline int max_code(int bits) { return (1 << (bits - 1)) - 1; }

// std::round (half away from zero) in a form compilers vectorise (std::round itself stays a libm call):
// v - trunc(v) is exact in float, so the result equals std::round(v) for every float. Loops using it need
// -fno-trapping-math (CMakeLists.txt) for gcc to vectorise trunc; that flag changes no value.
inline float round_half_away(float v) {
  const float t = std::trunc(v);
  return t + (std::abs(v - t) >= 0.5f ? std::copysign(1.0f, v) : 0.0f);
}

// round-half-away-from-zero then clamp to [-levels, levels]; returns the integer code as float.
inline float quantize(float x, float scale, int levels) {
  if (scale <= 0.0f) return 0.0f;
  float q = std::round(x / scale);
  return std::clamp(q, float(-levels), float(levels));
}

}  // namespace oasim::optical
