#include "sim/systemc/timing_params.hpp"

namespace oasim::timing {

TimingParams TimingParams::from_config(const config::HardwareConfig& hw) {
  TimingParams t;
  t.symbol_period_s = 1.0 / (hw.modulator.symbol_rate_ghz * 1e9);
  t.adc_count = hw.adc.count;
  t.adc_sample_period_s = 1.0 / (hw.adc.sample_rate_gsps * 1e9);
  t.digital_lanes = hw.digital.lanes;
  t.digital_cycle_s = 1.0 / (hw.digital.clock_ghz * 1e9);
  t.sram_bytes_per_s = hw.sram.bandwidth_gbps * 1e9;
  t.dram_bytes_per_s = hw.dram.bandwidth_gbps * 1e9;
  t.plane_program_s = hw.weight_plane.program_time_us * 1e-6;
  t.interconnect_bytes_per_s = hw.interconnect.bandwidth_gbps * 1e9;
  t.optical_cores = hw.structure.optical_cores;
  t.digital_units = hw.structure.digital_units;
  t.sram_banks = hw.structure.sram_banks;
  t.pipelined = hw.structure.pipelining == 1;
  t.double_buffered_reloads = hw.weight_plane.double_buffer == 1;
  t.scan_engines = hw.scan_engine.count;
  t.scan_lanes = hw.scan_engine.lanes;
  t.scan_cycle_s = 1.0 / (hw.scan_engine.clock_ghz * 1e9);
  return t;
}

}  // namespace oasim::timing
