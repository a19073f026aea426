#include "models/components/interconnect.hpp"

#include "models/components/param_rows.hpp"

namespace oasim::hw {

namespace {
bool exists(const config::HardwareConfig& hw) { return hw.structure.optical_cores > 1; }
}  // namespace

std::vector<config::ParamSpec> Interconnect::params() const {
  return {
      OASIM_NUMBER("interconnect.bandwidth_gbps", "GB/s", 1e-3, 1e6,
                   "link between optical cores: activations produced on one core and read on another cross it, "
                   "one transfer at a time (time = bytes / bandwidth)",
                   "UCIe 1.0 advanced-package x64 module at 16 GT/s: 64 lanes x 16 Gb/s = 128 GB/s per direction "
                   "(one module per core pair, assumed)",
                   interconnect.bandwidth_gbps),
      OASIM_NUMBER("interconnect.energy_pj_per_bit", "pJ", 0, 1e3, "energy per bit moved between cores",
                   "UCIe 2.5D (advanced package) at <= 16 GT/s: 0.25 pJ/bit (Das Sharma et al., UCIe, Hot "
                   "Interconnects 2025; the UCIe 1.0 spec's target)",
                   interconnect.energy_pj_per_bit),
      OASIM_NUMBER("interconnect.static_mw", "mW", 0, 1e5,
                   "idle power of the link's PHYs and clocking (static, only with cores.optical > 1)", "assumed",
                   interconnect.static_mw),
      OASIM_NUMBER("interconnect.area_mm2", "mm2", 0, 1e4, "area of the link's PHYs (only with cores.optical > 1)",
                   "assumed: both ends of one UCIe advanced x64 module", interconnect.area_mm2),
  };
}

std::vector<ActionEnergy> Interconnect::actions(const energy::ActionCounts& a, const config::HardwareConfig& hw) const {
  if (!exists(hw)) return {};
  return {{"bit", a.interconnect_bits, hw.interconnect.energy_pj_per_bit * 1e-12}};
}

std::vector<PowerState> Interconnect::power(const config::HardwareConfig& hw) const {
  if (!exists(hw)) return {};
  return {{"PHY idle", hw.interconnect.static_mw * 1e-3, false, 0}};
}

double Interconnect::area_mm2(const config::HardwareConfig& hw) const {
  return exists(hw) ? hw.interconnect.area_mm2 : 0.0;
}

}  // namespace oasim::hw
