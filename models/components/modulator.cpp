#include "models/components/modulator.hpp"

#include "models/components/converter_physics.hpp"
#include "models/components/param_rows.hpp"
#include "models/components/units.hpp"
#include "models/optical/quantizer.hpp"

namespace oasim::hw {

using config::DifferentialRails;
using config::SignedEncoding;

int dac_levels(const config::HardwareConfig& hw) { return optical::max_code(hw.modulator.dac_bits); }
int rails_per_channel(const config::HardwareConfig& hw) {
  return hw.modulator.signed_encoding == SignedEncoding::Differential ? 2 : 1;
}
int sources_per_channel(const config::HardwareConfig& hw) {
  return rails_per_channel(hw) == 2 && hw.modulator.differential_rails == DifferentialRails::TwoSources ? 2 : 1;
}
double rail_power_share(const config::HardwareConfig& hw) {
  return rails_per_channel(hw) == 2 && hw.modulator.differential_rails == DifferentialRails::Split ? 0.5 : 1.0;
}
double input_light_floor(const config::HardwareConfig& hw) {
  // The modulator's full scale is the largest code it carries: L (differential), 2L (offset: x + L).
  const double full_scale = dac_levels(hw) * (rails_per_channel(hw) == 2 ? 1.0 : 2.0);
  return full_scale / (db_ratio(hw.modulator.extinction_ratio_db) - 1.0);
}
double dac_energy_j(const config::HardwareConfig& hw) {
  const auto& m = hw.modulator;
  // The DAC shares the ADC's thermal-noise regime (Schreier FoM) at high resolution.
  return conversion_energy_j(enob(m.dac_bits, m.dac_enob_loss_bits), m.dac_fom_fj_per_step, hw.adc.schreier_fom_db);
}

void dac_quantize(const MatrixRM& x, const MatrixRM& sx, const std::vector<int>& bounds, int levels, MatrixRM& codes) {
  codes.resize(x.rows(), x.cols());
  for (long t = 0; t < x.rows(); ++t)
    for (size_t g = 0; g + 1 < bounds.size(); ++g) {
      // optical::quantize, written out so the loop vectorises (same numbers).
      const float s = sx(t, long(g)), lv = float(levels);
      const float* in = x.row(t).data();
      float* out = codes.row(t).data();
      if (s <= 0.0f) {
        std::fill(out + bounds[g], out + bounds[g + 1], 0.0f);
        continue;
      }
      for (long k = bounds[g]; k < bounds[g + 1]; ++k) out[k] = std::clamp(optical::round_half_away(in[k] / s), -lv, lv);
    }
}

std::vector<config::ParamSpec> Modulator::params() const {
  using config::ActivationScale;
  return {
      OASIM_INTEGER("modulator.channels", "", 1, 65536, "input channels modulated in parallel per symbol",
                    "assumed: one per plane column", int, modulator.channels),
      OASIM_INTEGER("modulator.dac_bits", "bit", 1, 16, "DAC resolution of each input (signed levels)",
                    "Quamba-style A8 inputs (quantization.md)", int, modulator.dac_bits),
      OASIM_CHOICE("modulator.signed_encoding", SignedEncoding, (std::vector<std::string>{"differential", "offset"}),
                   "signed inputs on non-negative light: differential = two rails (x+, x-) with balanced detection; "
                   "offset = one rail carrying x + bias, bias term removed digitally",
                   "two rails + balanced detection (optical-hardware.md)", modulator.signed_encoding),
      OASIM_CHOICE("modulator.differential_rails", DifferentialRails, (std::vector<std::string>{"split", "two_sources"}),
                   "differential: the two rails share one source split in two (-3 dB each) or have a source each "
                   "(twice the lasers)",
                   "assumed: split (half the lasers)", modulator.differential_rails),
      OASIM_CHOICE("modulator.scale", ActivationScale, (std::vector<std::string>{"static", "dynamic"}),
                   "DAC input scale: static per layer from calibration, or dynamic per token (a digital "
                   "max-reduction per vector)",
                   "dynamic per token: Quamba/W4A8 practice (quantization.md)", modulator.scale),
      OASIM_NUMBER("modulator.static_percentile", "%", 50, 100, "static DAC scale: percentile of |x| over calibration data",
                   "assumed", modulator.static_percentile),
      OASIM_NUMBER("modulator.symbol_rate_ghz", "GHz", 1e-3, 1e3, "input symbols per second per channel",
                   "modulators run 1-50 GHz (optical-hardware.md); 10 GHz mid-range", modulator.symbol_rate_ghz),
      OASIM_NUMBER("modulator.modulator_energy_fj_per_symbol", "fJ", 0, 1e6, "modulator drive energy per rail per symbol",
                   "micro-ring 0.9-7 fJ/bit (Timurdogan 2014; Dube-Demers 2016); upper end with driver",
                   modulator.modulator_energy_fj_per_symbol),
      OASIM_NUMBER("modulator.insertion_loss_db", "dB", 0, 60, "modulator loss at full transmission",
                   "assumed: micro-ring / Mach-Zehnder modulators 1-5 dB", modulator.insertion_loss_db),
      OASIM_NUMBER("modulator.extinction_ratio_db", "dB", 0.1, 80, "full / zero transmission of a modulator",
                   "assumed: 10 dB, typical of low-voltage ring modulators", modulator.extinction_ratio_db),
      OASIM_NUMBER("modulator.heater_mw", "mW", 0, 1e4, "thermal tuning power per modulator (static, always on)",
                   "1.2 mW per ring (Lightening-Transformer device parameters)", modulator.heater_mw),
      OASIM_NUMBER("modulator.dac_fom_fj_per_step", "fJ", 0, 1e6, "DAC Walden figure of merit (E = FoM * 2^ENOB)",
                   "8 b 14 GS/s 50 mW in 16 nm (IEEE Xplore 9162776): 3.6 pJ/sample = 36 fJ x 2^6.6",
                   modulator.dac_fom_fj_per_step),
      OASIM_NUMBER("modulator.dac_enob_loss_bits", "bit", 0, 8, "DAC ENOB = dac_bits - this",
                   "assumed equal to the ADC's (multi-GS/s 8-bit converters reach ENOB about 6.6)",
                   modulator.dac_enob_loss_bits),
      OASIM_NUMBER("modulator.dac_idle_mw", "mW", 0, 1e4, "static power per DAC while awake", "assumed",
                   modulator.dac_idle_mw),
      OASIM_GATING("modulator", "the DACs", modulator.power_gating),
      OASIM_NUMBER("modulator.wake_up_us", "us", 0, 1e6, "DAC wake-up time per frame when gated", "assumed",
                   modulator.wake_up_us),
      OASIM_NUMBER("modulator.modulator_area_mm2", "mm2", 0, 1e3, "area per modulator with its driver",
                   "assumed: a 10 um ring plus driver", modulator.modulator_area_mm2),
      OASIM_NUMBER("modulator.dac_area_mm2", "mm2", 0, 1e3, "area per DAC", "assumed", modulator.dac_area_mm2),
  };
}

std::vector<ActionEnergy> Modulator::actions(const energy::ActionCounts& a, const config::HardwareConfig& hw) const {
  return {{"DAC conversion", a.dac_conversions, dac_energy_j(hw)},
          // Every rail's modulator is driven each symbol (the idle rail is held at zero).
          {"rail-symbol", a.modulator_symbols * rails_per_channel(hw), hw.modulator.modulator_energy_fj_per_symbol * 1e-15}};
}

std::vector<PowerState> Modulator::power(const config::HardwareConfig& hw) const {
  const auto& m = hw.modulator;
  // Heaters must hold the rings on resonance all the time; the DACs can sleep between frames.
  return {{"ring heaters", m.channels * rails_per_channel(hw) * m.heater_mw * 1e-3, false, 0},
          {"DAC idle", m.channels * m.dac_idle_mw * 1e-3, m.power_gating == 1, m.wake_up_us * 1e-6}};
}

double Modulator::area_mm2(const config::HardwareConfig& hw) const {
  const auto& m = hw.modulator;
  return m.channels * (rails_per_channel(hw) * m.modulator_area_mm2 + m.dac_area_mm2);
}

std::vector<LightStage> Modulator::light_stages(const config::HardwareConfig& hw) const {
  std::vector<LightStage> s;
  if (rail_power_share(hw) < 1) s.push_back({"split into two rails (differential)", 0.5, "modulator.differential_rails"});
  s.push_back({"modulator insertion loss", db_loss_factor(hw.modulator.insertion_loss_db), "modulator.insertion_loss_db"});
  s.push_back({"modulation depth (1 - 1/extinction)", 1.0 - 1.0 / db_ratio(hw.modulator.extinction_ratio_db),
               "modulator.extinction_ratio_db"});
  return s;
}

void Modulator::check(const config::HardwareConfig& hw, Checks& c) const {
  const auto& m = hw.modulator;
  const std::string w = jitter_warning("modulator.dac_bits", m.dac_bits, enob(m.dac_bits, m.dac_enob_loss_bits),
                                       "modulator.symbol_rate_ghz", m.symbol_rate_ghz, hw.adc.jitter_fs);
  if (!w.empty()) c.warnings.push_back(w);
  if (m.channels < hw.weight_plane.cols)
    c.errors.push_back(fmt::format("modulator.channels = {} is smaller than weight_plane.cols = {}: every plane column "
                                   "needs a modulated input",
                                   m.channels, hw.weight_plane.cols));
}

}  // namespace oasim::hw
