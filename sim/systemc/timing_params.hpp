#pragma once
// Timing parameters of the modelled datapath, derived once from the hardware config.
#include "models/components/hardware_config.hpp"

namespace oasim::timing {

struct TimingParams {
  double symbol_period_s = 1e-10;  // one optical pass of one vector through one tile
  int adc_count = 1;
  double adc_sample_period_s = 1e-10;
  int digital_lanes = 1;
  double digital_cycle_s = 1e-9;
  double nonlinear_cycles = 4;     // lane-cycles per exp/SiLU/softplus (polynomial evaluation)
  double sram_bytes_per_s = 1e12;
  double dram_bytes_per_s = 1e10;
  double plane_program_s = 1e-4;
  double interconnect_bytes_per_s = 1.28e11;  // the link between optical cores (core_transfers.hpp)
  int block_vectors = 16;          // vectors per transaction through the optical pipeline
  int optical_cores = 1;           // cores.optical
  int digital_units = 1;           // cores.digital
  int sram_banks = 1;              // cores.sram_banks (each sram_bytes_per_s)
  int scan_engines = 0;            // scan_engine.count (0: scans on the digital units)
  int scan_lanes = 1;
  double scan_cycle_s = 1e-9;
  bool pipelined = false;          // cores.pipelining: token_blocks (block_dataflow.hpp)
  bool double_buffered_reloads = false;  // weight_plane.double_buffer: reloads overlap the step, nothing waits
  bool record_activity = false;    // fill StepTiming::activities (timelines, tests)

  static TimingParams from_config(const config::HardwareConfig& hw);
};

}  // namespace oasim::timing
