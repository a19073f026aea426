#pragma once
// ADC bank: one ADC per detector row by default. Numerics: a uniform signed quantizer over
// [-full_scale, +full_scale] with 2^bits - 1 codes (symmetric), saturating; the full scale is static per
// layer (calibrated) or dynamic per vector. Energy per conversion from ENOB (converter_physics.hpp).
// Realizability: resolution x rate beyond the aperture-jitter limit is flagged.
#include <cmath>

#include "models/components/component.hpp"
#include "sim/common/tensor.hpp"

namespace oasim::config {
enum class AdcRange { Static, Dynamic };
struct AdcConfig {
  int bits = 8;
  int count = 256;                  // ADCs in parallel (one per detector row by default)
  double sample_rate_gsps = 10.0;
  AdcRange range = AdcRange::Static;
  double calibration_percentile = 100.0;  // static range: percentile of |y| over calibration data
  double walden_fom_fj_per_step = 22.0;
  double enob_loss_bits = 1.4;
  double schreier_fom_db = 170.0;
  double jitter_fs = 50.0;
  double idle_mw = 1.0;             // per ADC while awake (references, clock)
  int power_gating = 1;
  double wake_up_us = 1.0;
  double area_mm2 = 0.05;           // per ADC
};
}  // namespace oasim::config

namespace oasim::hw {

struct AdcStats {
  long samples = 0;
  long saturated = 0;
};

int adc_levels(const config::HardwareConfig& hw);
double adc_energy_j(const config::HardwareConfig& hw);

// Quantizes v: code = clamp(round(v / step)), v = code * step, step = full_scale / levels.
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

// adc_convert over n samples, each with its own full scale (static ranges per output row) or one for all
// (a dynamic range): the same numbers, in loops that vectorise.
void adc_convert_row(float* v, const float* full_scale, long n, int levels, AdcStats& st);
void adc_convert_row(float* v, float full_scale, long n, int levels, AdcStats& st);

class Adc : public Component {
 public:
  Replication replication() const override { return Replication::PerOpticalCore; }
  std::string name() const override { return "ADC"; }
  std::string section() const override { return "adc"; }
  std::vector<config::ParamSpec> params() const override;
  std::vector<ActionEnergy> actions(const energy::ActionCounts& a, const config::HardwareConfig& hw) const override;
  std::vector<PowerState> power(const config::HardwareConfig& hw) const override;
  double area_mm2(const config::HardwareConfig& hw) const override;
  void check(const config::HardwareConfig& hw, Checks& c) const override;
};

}  // namespace oasim::hw
