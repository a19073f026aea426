#pragma once
// Data-converter energy and limits shared by the DAC bank and the ADC bank (Murmann's ADC survey):
// - Walden: E = FoM_W * 2^ENOB per conversion (ENOB, not the nominal bits: an 8-bit 10 GS/s design has
//   ENOB about 6.6). Good up to about 10 ENOB.
// - Schreier (thermal-noise regime): FoM_S = SNDR + 10 log10((fs/2) / P), so E = P / fs =
//   0.5 * 10^((SNDR - FoM_S)/10), energy x4 per added bit. The larger of the two is used.
// - Aperture jitter caps the SNR at a Nyquist input: SNR_j = -20 log10(2 pi (fs/2) sigma_j).
#include <algorithm>
#include <cmath>
#include <string>

#include <fmt/format.h>

namespace oasim::hw {

inline double enob(int bits, double enob_loss_bits) { return std::max(1.0, double(bits) - enob_loss_bits); }
inline double sndr_db(double enob_bits) { return 6.02 * enob_bits + 1.76; }

inline double walden_energy_j(double enob_bits, double fom_fj_per_step) {
  return fom_fj_per_step * 1e-15 * std::pow(2.0, enob_bits);
}
inline double schreier_energy_j(double enob_bits, double fom_db) {
  return 0.5 * std::pow(10.0, (sndr_db(enob_bits) - fom_db) / 10.0);
}
inline double conversion_energy_j(double enob_bits, double walden_fj, double schreier_db) {
  return std::max(walden_energy_j(enob_bits, walden_fj), schreier_energy_j(enob_bits, schreier_db));
}
// The highest ENOB aperture jitter allows at sample rate fs (Nyquist-rate input).
inline double jitter_limited_enob(double fs_hz, double jitter_s) {
  const double snr = -20.0 * std::log10(2.0 * M_PI * (fs_hz / 2.0) * jitter_s);
  return (snr - 1.76) / 6.02;
}

// The flag both converter banks raise when their resolution x rate is beyond the jitter limit ("" if within).
inline std::string jitter_warning(const char* bits_key, int bits, double enob_bits, const char* rate_key, double rate_gs,
                                  double jitter_fs) {
  const double limit = jitter_limited_enob(rate_gs * 1e9, jitter_fs * 1e-15);
  if (enob_bits <= limit) return "";
  return fmt::format("{} = {} (ENOB {:.1f}) at {} = {:g} exceeds what aperture jitter allows (adc.jitter_fs = {:g}: "
                     "ENOB <= {:.1f}); no real converter does this",
                     bits_key, bits, enob_bits, rate_key, rate_gs, jitter_fs, limit);
}

}  // namespace oasim::hw
