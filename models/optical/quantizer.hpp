#pragma once
// Symmetric uniform quantization, shared by the DAC, the weight planes and the ADC.
#include <algorithm>
#include <cmath>

namespace oasim::optical {

// Largest positive code of a signed b-bit converter used symmetrically: 2^(b-1) - 1 (127 for 8 bits).
inline int max_code(int bits) { return (1 << (bits - 1)) - 1; }

// round-half-away-from-zero then clamp to [-levels, levels]; returns the integer code as float.
inline float quantize(float x, float scale, int levels) {
  if (scale <= 0.0f) return 0.0f;
  float q = std::round(x / scale);
  return std::clamp(q, float(-levels), float(levels));
}

}  // namespace oasim::optical
