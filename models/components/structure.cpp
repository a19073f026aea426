#include "models/components/structure.hpp"

#include "models/components/param_rows.hpp"

namespace oasim::hw {

std::vector<config::ParamSpec> Structure::params() const {
  return {
      OASIM_INTEGER("cores.optical", "", 1, kMaxStructureCount,
                    "optical cores, each with its own laser bank, modulators, plane stack, detectors and ADCs; "
                    "the two scan directions of a layer run on cores lane % N",
                    "assumed: 1 (the single-core design)", int, structure.optical_cores),
      OASIM_INTEGER("cores.digital", "", 1, kMaxStructureCount,
                    "digital vector units (digital.lanes each); scan direction d and its optical tails run on "
                    "unit d % M",
                    "assumed: 1", int, structure.digital_units),
      OASIM_INTEGER("cores.sram_banks", "", 1, kMaxStructureCount,
                    "SRAM banks, each a port of sram.bandwidth_gbps; scan direction d's traffic uses bank d % K",
                    "assumed: 1", int, structure.sram_banks),
      OASIM_CHOICE("cores.pipelining", int, (std::vector<std::string>{"off", "token_blocks"}),
                   "off: each op starts when the one before it has finished (the two scan directions overlap); "
                   "token_blocks: an op starts on a block of tokens as soon as that block's inputs exist, so "
                   "layers overlap except where an op needs the whole frame (the backward direction's reversal)",
                   "off: the single-core design every earlier number was timed with", structure.pipelining),
  };
}

int copies(const Component& c, const config::HardwareConfig& hw) {
  switch (c.replication()) {
    case Component::Replication::PerOpticalCore: return hw.structure.optical_cores;
    case Component::Replication::PerDigitalUnit: return hw.structure.digital_units;
    case Component::Replication::One: break;
  }
  return 1;
}

}  // namespace oasim::hw
