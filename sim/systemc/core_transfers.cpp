#include "sim/systemc/core_transfers.hpp"

#include <map>

namespace oasim::timing {

double TransferPlan::total_bytes() const {
  double b = 0;
  for (const CoreTransfer& t : transfers) b += t.bytes;
  return b;
}

TransferPlan core_transfers(const compiler::Program& p, const std::vector<OpBlocks>& flow,
                            const std::vector<OpPlacement>& placement) {
  TransferPlan plan;
  plan.via.resize(p.ops.size());
  std::map<std::pair<int, int>, int> made;  // (producer, destination core) -> transfer
  for (size_t i = 0; i < p.ops.size(); ++i) {
    const int to = placement[i].optical_core;
    for (const BlockEdge& e : flow[i].inputs) {
      int via = -1;
      const int from = placement[size_t(e.from)].optical_core;
      if (p.ops[size_t(e.from)].kind != compiler::OpKind::Reload && from != to) {
        auto [it, fresh] = made.try_emplace({e.from, to}, int(plan.transfers.size()));
        if (fresh) plan.transfers.push_back({e.from, from, to, p.ops[size_t(e.from)].sram_bytes_written});
        via = it->second;
      }
      plan.via[i].push_back(via);
    }
  }
  return plan;
}

TransferPlan core_transfers(const compiler::Program& p, const TimingParams& t) {
  return core_transfers(p, block_dataflow(p, t), place_ops(p, t));
}

}  // namespace oasim::timing
