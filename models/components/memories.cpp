#include "models/components/memories.hpp"

#include "models/components/param_rows.hpp"

namespace oasim::hw {

std::vector<config::ParamSpec> Sram::params() const {
  return {
      OASIM_NUMBER("sram.capacity_kib", "KiB", 1, 1e9, "on-chip buffer for activations and recurrent state",
                   "assumed 4 MiB", sram.capacity_kib),
      OASIM_NUMBER("sram.bandwidth_gbps", "GB/s", 1e-3, 1e6, "SRAM bandwidth", "assumed", sram.bandwidth_gbps),
      OASIM_NUMBER("sram.energy_pj_per_bit", "pJ", 0, 1e3, "SRAM energy per bit read or written",
                   "Horowitz ISSCC 2014, 45 nm: 20 pJ per 64-bit read of a 32 KB bank, x 0.25 for 7 nm (stated factor)",
                   sram.energy_pj_per_bit),
      OASIM_NUMBER("sram.leakage_mw_per_mib", "mW", 0, 1e4, "SRAM leakage per MiB (static)", "assumed for 7 nm HD SRAM",
                   sram.leakage_mw_per_mib),
      OASIM_NUMBER("sram.area_mm2_per_mib", "mm2", 0, 1e3, "SRAM area per MiB",
                   "7 nm HD bitcell 0.027 um2 x 8.4 Mbit = 0.23 mm2 + periphery (assumed 2x)", sram.area_mm2_per_mib),
  };
}

std::vector<ActionEnergy> Sram::actions(const energy::ActionCounts& a, const config::HardwareConfig& hw) const {
  return {{"bit read", a.sram_bits_read, hw.sram.energy_pj_per_bit * 1e-12},
          {"bit written", a.sram_bits_written, hw.sram.energy_pj_per_bit * 1e-12}};
}
std::vector<PowerState> Sram::power(const config::HardwareConfig& hw) const {
  return {{"leakage", hw.sram.capacity_kib / 1024.0 * hw.sram.leakage_mw_per_mib * 1e-3, false, 0}};
}
double Sram::area_mm2(const config::HardwareConfig& hw) const { return hw.sram.capacity_kib / 1024.0 * hw.sram.area_mm2_per_mib; }

std::vector<config::ParamSpec> Dram::params() const {
  return {
      OASIM_NUMBER("dram.bandwidth_gbps", "GB/s", 1e-3, 1e6, "DRAM bandwidth (spills, weight reloads)",
                   "assumed LPDDR-class", dram.bandwidth_gbps),
      OASIM_NUMBER("dram.energy_pj_per_bit", "pJ", 0, 1e4, "DRAM energy per bit",
                   "62.4 pJ per 16-bit access (Lightening-Transformer memory model) = 3.9 pJ/bit", dram.energy_pj_per_bit),
      OASIM_NUMBER("dram.background_mw", "mW", 0, 1e5, "DRAM background / self-refresh power (static)",
                   "assumed LPDDR-class", dram.background_mw),
      OASIM_NUMBER("dram.phy_area_mm2", "mm2", 0, 1e4, "DRAM interface (PHY) area on the die", "assumed",
                   dram.phy_area_mm2),
  };
}
std::vector<ActionEnergy> Dram::actions(const energy::ActionCounts& a, const config::HardwareConfig& hw) const {
  return {{"bit", a.dram_bits, hw.dram.energy_pj_per_bit * 1e-12}};
}
std::vector<PowerState> Dram::power(const config::HardwareConfig& hw) const {
  return {{"background", hw.dram.background_mw * 1e-3, false, 0}};
}
double Dram::area_mm2(const config::HardwareConfig& hw) const { return hw.dram.phy_area_mm2; }

}  // namespace oasim::hw
