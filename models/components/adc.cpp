#include "models/components/adc.hpp"

#include "models/components/converter_physics.hpp"
#include "models/components/param_rows.hpp"
#include "models/optical/quantizer.hpp"

namespace oasim::hw {

int adc_levels(const config::HardwareConfig& hw) { return optical::max_code(hw.adc.bits); }
double adc_energy_j(const config::HardwareConfig& hw) {
  const auto& a = hw.adc;
  return conversion_energy_j(enob(a.bits, a.enob_loss_bits), a.walden_fom_fj_per_step, a.schreier_fom_db);
}

namespace {
// One sample as adc_convert computes it; returns 1 when it saturated.
inline int convert_one(float& v, float full_scale, float lv) {
  const float step = full_scale / lv;
  float code = optical::round_half_away(v / step);
  const int saturated = (code > lv) | (code < -lv);
  code = std::clamp(code, -lv, lv);
  v = full_scale > 0 ? code * step : 0.0f;
  return saturated & int(full_scale > 0);
}
}  // namespace

void adc_convert_row(float* v, const float* full_scale, long n, int levels, AdcStats& st) {
  const float lv = float(levels);
  long saturated = 0;
  for (long i = 0; i < n; ++i) saturated += convert_one(v[i], full_scale[i], lv);
  st.samples += n;
  st.saturated += saturated;
}

void adc_convert_row(float* v, float full_scale, long n, int levels, AdcStats& st) {
  const float lv = float(levels);
  long saturated = 0;
  for (long i = 0; i < n; ++i) saturated += convert_one(v[i], full_scale, lv);
  st.samples += n;
  st.saturated += saturated;
}

std::vector<config::ParamSpec> Adc::params() const {
  using config::AdcRange;
  return {
      OASIM_INTEGER("adc.bits", "bit", 1, 16, "ADC resolution (signed codes)", "A8 outputs (quantization.md)", int, adc.bits),
      OASIM_INTEGER("adc.count", "", 1, 65536, "ADCs in parallel", "assumed: one per detector row", int, adc.count),
      OASIM_NUMBER("adc.sample_rate_gsps", "GS/s", 1e-3, 1e3, "samples per second per ADC", "matches the symbol rate",
                   adc.sample_rate_gsps),
      OASIM_CHOICE("adc.range", AdcRange, (std::vector<std::string>{"static", "dynamic"}),
                   "ADC full scale: static per layer from calibration data, or dynamic per vector",
                   "static per-layer range from calibration", adc.range),
      OASIM_NUMBER("adc.calibration_percentile", "%", 50, 100, "static range: percentile of |output| over calibration data",
                   "max of calibration data: 99.99 clipped patch_embed outputs (measured -4.5 points top-1)",
                   adc.calibration_percentile),
      OASIM_NUMBER("adc.walden_fom_fj_per_step", "fJ", 0, 1e6, "Walden figure of merit (E = FoM * 2^ENOB)",
                   "Murmann ADC survey, ISSCC 2025: 8 b 10 GS/s at 21.9 mW = 22 fJ/step", adc.walden_fom_fj_per_step),
      OASIM_NUMBER("adc.enob_loss_bits", "bit", 0, 8, "ENOB = bits - this",
                   "the same ISSCC 2025 design: 2.19 pJ/sample = 22 fJ x 2^6.6, ENOB 6.6 of 8 bits", adc.enob_loss_bits),
      OASIM_NUMBER("adc.schreier_fom_db", "dB", 100, 200,
                   "Schreier figure of merit for the thermal-noise regime (E = 0.5 * 10^((SNDR - FoM)/10))",
                   "assumed: envelope of GS/s designs in the Murmann survey", adc.schreier_fom_db),
      OASIM_NUMBER("adc.jitter_fs", "fs", 1, 1e6, "sampling-clock jitter (caps ENOB at high rates)",
                   "assumed: 50 fs, a good multi-GHz clock; gives about 9 ENOB at 10 GS/s (optical-hardware.md)",
                   adc.jitter_fs),
      OASIM_NUMBER("adc.idle_mw", "mW", 0, 1e4, "static power per ADC while awake (references, clock)", "assumed",
                   adc.idle_mw),
      OASIM_GATING("adc", "the ADCs", adc.power_gating),
      OASIM_NUMBER("adc.wake_up_us", "us", 0, 1e6, "ADC wake-up time per frame when gated", "assumed", adc.wake_up_us),
      OASIM_NUMBER("adc.area_mm2", "mm2", 0, 1e3, "area per ADC", "assumed: GS/s 8-bit ADCs 0.02-0.5 mm2 in the survey",
                   adc.area_mm2),
  };
}

std::vector<ActionEnergy> Adc::actions(const energy::ActionCounts& a, const config::HardwareConfig& hw) const {
  return {{"sample", a.adc_samples, adc_energy_j(hw)}};
}

std::vector<PowerState> Adc::power(const config::HardwareConfig& hw) const {
  return {{"idle", hw.adc.count * hw.adc.idle_mw * 1e-3, hw.adc.power_gating == 1, hw.adc.wake_up_us * 1e-6}};
}

double Adc::area_mm2(const config::HardwareConfig& hw) const { return hw.adc.count * hw.adc.area_mm2; }

void Adc::check(const config::HardwareConfig& hw, Checks& c) const {
  const auto& a = hw.adc;
  const std::string w = jitter_warning("adc.bits", a.bits, enob(a.bits, a.enob_loss_bits), "adc.sample_rate_gsps",
                                       a.sample_rate_gsps, a.jitter_fs);
  if (!w.empty()) c.warnings.push_back(w);
  if (a.count < 1) c.errors.push_back("adc.count must be positive");
}

}  // namespace oasim::hw
