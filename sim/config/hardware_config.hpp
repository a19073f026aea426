#pragma once
// The optical accelerator's configuration, parsed once from YAML into these typed structs (units in
// the field names). Nothing below sim/config reads YAML. The YAML tree mirrors this struct tree; the
// key table in hardware_params.cpp declares every key with unit, default, range and meaning, and
// drives parsing, validation, `oasim describe` and sweeps alike.
#include <cstdint>
#include <string>

namespace oasim::config {

enum class SignedEncoding { Differential, Offset };
enum class NoiseModel { Physical, Gaussian, Off };
enum class AdcRange { Static, Dynamic };
enum class WeightScale { PerChannel, Group };
enum class ActivationScale { Static, Dynamic };
enum class StatePrecision { Fp32, Fp16, Bf16, Int8 };

struct ModulatorConfig {            // modulator array + DACs encoding the input vector
  int channels = 256;               // inputs driven in parallel (= weight-plane columns used per pass)
  int dac_bits = 8;
  SignedEncoding signed_encoding = SignedEncoding::Differential;
  ActivationScale scale = ActivationScale::Dynamic;
  double static_percentile = 99.99;  // calibration percentile for static scales
  double symbol_rate_ghz = 10.0;
  double modulator_energy_fj_per_symbol = 10.0;
  double dac_fom_fj_per_step = 5.0;  // Walden-style: E = FoM * 2^bits per conversion
};

struct WeightPlaneConfig {          // stacked spatial light modulators holding Int4 weights
  int rows = 256;                   // outputs per plane
  int cols = 256;                   // inputs per plane (balanced pixel pair per weight)
  int planes = 64;                  // planes in the 3D stack
  int weight_bits = 4;
  WeightScale scale = WeightScale::PerChannel;
  int group_size = 128;
  double fixed_pattern_sigma = 0.01;  // per-pixel relative transmission error, drawn once per device
  double crosstalk = 0.002;           // fraction of each neighbouring detector's light that leaks in
  double program_time_us = 100.0;     // time to rewrite one plane
  double program_energy_nj = 50.0;    // energy to rewrite one plane
};

struct LaserConfig {
  double power_per_channel_uw = 100.0;  // optical power of one input at full scale, at the plane
  double wall_plug_efficiency = 0.2;
  double optical_efficiency = 0.5;      // plane transmission x fan-out x coupling losses to the detector
};

struct DetectorConfig {             // photodetector + TIA, one per plane row
  NoiseModel noise_model = NoiseModel::Physical;
  double sigma_rel = 0.01;          // gaussian model: noise std as a fraction of the ADC full scale
  double noise_scale = 1.0;         // multiplies the noise std of either model (2 = "2x noise" studies)
  double responsivity_a_per_w = 0.9;
  double dark_current_na = 1.0;
  double rin_db_per_hz = -150.0;
  double tia_feedback_kohm = 10.0;
  double temperature_k = 300.0;
  double power_mw = 1.0;            // TIA power per detector while streaming
};

struct AdcConfig {
  int bits = 8;
  int count = 256;                  // ADCs in parallel (one per detector row by default)
  double sample_rate_gsps = 10.0;
  AdcRange range = AdcRange::Static;
  double calibration_percentile = 99.99;  // static range: percentile of |y| over calibration data
  double walden_fom_fj_per_step = 20.0;
};

struct SramConfig {
  double capacity_kib = 4096.0;
  double bandwidth_gbps = 1024.0;   // gigabytes per second
  double energy_pj_per_bit = 0.15;
};

struct DramConfig {
  double bandwidth_gbps = 64.0;
  double energy_pj_per_bit = 20.0;
};

struct DigitalConfig {              // scan, nonlinearities, norms, accumulation
  double clock_ghz = 1.0;
  int lanes = 256;                  // elementwise ops per cycle
  double energy_pj_per_add = 0.1;
  double energy_pj_per_mul = 0.4;
  double energy_pj_per_nonlinear = 2.0;   // exp / SiLU / softplus / rsqrt
  StatePrecision state_precision = StatePrecision::Fp32;
};

struct HardwareConfig {
  std::string name = "default";
  std::string source_file;          // where it was read from ("" = built-in defaults)
  uint64_t seed = 1;                // device seed: fixed-pattern errors
  ModulatorConfig modulator;
  WeightPlaneConfig weight_plane;
  LaserConfig laser;
  DetectorConfig detector;
  AdcConfig adc;
  SramConfig sram;
  DramConfig dram;
  DigitalConfig digital;
};

}  // namespace oasim::config
