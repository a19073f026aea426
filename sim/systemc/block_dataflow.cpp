#include "sim/systemc/block_dataflow.hpp"

#include <algorithm>

namespace oasim::timing {

using compiler::OpKind;

long blocks_needed(long b, long blocks, long producer_blocks, bool barrier) {
  if (barrier) return producer_blocks;
  // ceil((b + 1) * producer_blocks / blocks), in integers.
  return std::min(producer_blocks, ((b + 1) * producer_blocks + blocks - 1) / blocks);
}

std::vector<OpBlocks> block_dataflow(const compiler::Program& p, const TimingParams& t) {
  const auto& ops = p.ops;
  std::vector<OpBlocks> flow(ops.size());
  const long bv = std::max(1, t.block_vectors);
  for (size_t i = 0; i < ops.size(); ++i) flow[i].blocks = ops[i].tokens > 0 ? (ops[i].tokens + bv - 1) / bv : 1;

  // Which ops run on planes a reload rewrites (their linear has a non-resident tile).
  auto on_reloaded_planes = [&](const compiler::ProgramOp& op) {
    if (op.kind != OpKind::Optical || op.linear < 0) return false;
    for (int ti : p.linears[size_t(op.linear)].tiles)
      if (!p.tiles[size_t(ti)].resident) return true;
    return false;
  };
  std::vector<int> reloads;
  std::vector<BlockEdge> producers;  // what the next op (or both lanes' first ops) reads
  int frame = ops.empty() ? 0 : ops[0].frame;
  for (size_t i = 0; i < ops.size();) {
    const auto& op = ops[i];
    if (op.frame != frame) {  // another stream's frame: it reads nothing of the one before
      frame = op.frame;
      producers.clear();
    }
    if (op.kind == OpKind::Reload) {
      reloads.push_back(int(i++));
      continue;  // a reload feeds no tokens: ops wait for it only through their planes (below)
    }
    if (op.stream_group < 0) {
      flow[i].inputs = producers;
      producers = {{int(i), false}};
      ++i;
      continue;
    }
    // A region of two lanes: each lane a chain from the producers; what follows reads both lanes' ends.
    const int group = op.stream_group;
    int last[2] = {-1, -1};
    for (; i < ops.size() && ops[i].stream_group == group; ++i) {
      const int lane = ops[i].lane & 1;
      if (last[lane] >= 0) {
        flow[i].inputs.push_back({last[lane], false});
      } else {
        flow[i].inputs = producers;
        if (lane == 1)
          for (auto& e : flow[i].inputs) e.barrier = true;  // the backward direction reads the frame reversed
      }
      last[lane] = int(i);
    }
    std::vector<BlockEdge> ends;
    for (int lane = 0; lane < 2; ++lane)
      if (last[lane] >= 0) ends.push_back({last[lane], lane == 1});  // and writes it reversed
    producers = ends;
  }
  // Double-buffered, the tiles an op reads were written into the other plane while the step before
  // computed (steady state): it does not wait, the reload only shares the step.
  for (size_t i = 0; i < ops.size() && !t.double_buffered_reloads; ++i)
    if (on_reloaded_planes(ops[i]))
      for (int r : reloads) flow[i].inputs.push_back({r, true});
  return flow;
}

}  // namespace oasim::timing
