#pragma once
// Counted actions (Accelergy-style): components count what they do; energy_model.hpp turns counts into
// joules with the components' per-action tables (models/components).
namespace oasim::energy {

struct ActionCounts {
  double dac_conversions = 0;     // one per input value per optical pass
  double modulator_symbols = 0;   // channel-symbols driven (laser light on)
  double detector_samples = 0;    // detector/TIA output samples
  double adc_samples = 0;
  double adc_saturations = 0;
  double digital_adds = 0;
  double digital_muls = 0;
  double digital_nonlinear = 0;   // exp, SiLU, softplus, rsqrt
  double scan_adds = 0;           // the scans' work when a scan engine runs them (else in digital_*)
  double scan_muls = 0;
  double scan_nonlinear = 0;
  double sram_bits_read = 0;
  double sram_bits_written = 0;
  double dram_bits = 0;
  double interconnect_bits = 0;   // activations moved between optical cores
  double plane_programs = 0;      // weight-plane rewrites
  double macs = 0;                // useful multiply-accumulates done optically (for pJ/MAC, TOPS/W)
  double detector_light = 0;      // not an action: light on the detector pairs summed over samples, in
                                  // accumulator units (numerics only; photons per output, light_budget.hpp)

  ActionCounts& operator+=(const ActionCounts& o) {
    dac_conversions += o.dac_conversions;
    modulator_symbols += o.modulator_symbols;
    detector_samples += o.detector_samples;
    adc_samples += o.adc_samples;
    adc_saturations += o.adc_saturations;
    digital_adds += o.digital_adds;
    digital_muls += o.digital_muls;
    digital_nonlinear += o.digital_nonlinear;
    scan_adds += o.scan_adds;
    scan_muls += o.scan_muls;
    scan_nonlinear += o.scan_nonlinear;
    sram_bits_read += o.sram_bits_read;
    sram_bits_written += o.sram_bits_written;
    dram_bits += o.dram_bits;
    interconnect_bits += o.interconnect_bits;
    plane_programs += o.plane_programs;
    macs += o.macs;
    detector_light += o.detector_light;
    return *this;
  }
};

}  // namespace oasim::energy
