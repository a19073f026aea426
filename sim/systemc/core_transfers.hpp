#pragma once
// Activations that cross between optical cores (the interconnect, models/components/interconnect.hpp).
// An op "runs on" the core place_ops gives it (digital ops of a scan direction included: lane d is core
// d % N, its activations kept there). When an op reads a producer (a data edge of block_dataflow; a reload
// feeds planes, not activations) placed on another core, the producer's output (its SRAM bytes written)
// crosses the link once per destination core, however many ops there read it. With one core nothing
// crosses. Pure structure: the engine times the transfers, costing prices their bits.
#include <vector>

#include "sim/systemc/block_dataflow.hpp"
#include "sim/systemc/timing_engine.hpp"

namespace oasim::timing {

struct CoreTransfer {
  int producer = -1;           // op whose output moves
  int from_core = 0, to_core = 0;
  double bytes = 0;
};

struct TransferPlan {
  std::vector<CoreTransfer> transfers;
  // via[op][k]: the transfer that input edge k of op (block_dataflow's order) reads through, -1 if local.
  std::vector<std::vector<int>> via;
  double total_bytes() const;
};

TransferPlan core_transfers(const compiler::Program& p, const std::vector<OpBlocks>& flow,
                            const std::vector<OpPlacement>& placement);
// The same from the program and the structure alone (what costing prices).
TransferPlan core_transfers(const compiler::Program& p, const TimingParams& t);

}  // namespace oasim::timing
