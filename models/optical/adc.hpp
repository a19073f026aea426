#pragma once
// ADC: uniform signed quantizer over [-full_scale, +full_scale] with 2^bits - 1 codes (symmetric),
// saturating; Walden energy per conversion E = FoM * 2^bits.
#include "sim/common/tensor.hpp"

namespace oasim::optical {

struct AdcStats {
  long samples = 0;
  long saturated = 0;
};

// Quantizes v in place: code = clamp(round(v / step)), v = code * step, step = full_scale / levels.
inline float adc_convert(float v, float full_scale, int levels, AdcStats& st) {
  ++st.samples;
  if (full_scale <= 0) return 0.0f;
  const float step = full_scale / float(levels);
  float code = std::round(v / step);
  if (code > levels || code < -levels) {
    ++st.saturated;
    code = code > 0 ? float(levels) : float(-levels);
  }
  return code * step;
}

inline double adc_energy_j(int bits, double fom_fj_per_step) { return fom_fj_per_step * 1e-15 * double(1L << bits); }

}  // namespace oasim::optical
