#pragma once
// Block-level dataflow of a compiled program (cores.pipelining: token_blocks): each op works through its
// tokens in blocks of TimingParams::block_vectors, in order, and block b of an op may start once the
// blocks of its producers that hold those tokens exist. Producers follow the program's structure: the op
// before it; inside a region of two lanes (the scan directions) the op before it in its lane, the first op
// of a lane the op before the region; the op after a region both lanes' last ops.
// Two edges need a whole frame (barriers): the backward lane reads its input in reverse token order, so its
// first op needs all of the op before the region; and it produces in reverse order, so the op joining the
// lanes needs all of the backward lane's last op. Ops on planes that a weight reload rewrites wait for the
// whole reload, unless reloads are double-buffered (TimingParams::double_buffered_reloads). Ops of another frame (ProgramOp::frame, independent streams) read nothing of the frame
// before. Pure structure, no SystemC: the engine (timing_engine.cpp) executes it; tests inspect it.
#include <vector>

#include "sim/systemc/timing_params.hpp"
#include "workloads/compiler/program.hpp"

namespace oasim::timing {

struct BlockEdge {
  int from = -1;         // producer op
  bool barrier = false;  // needs all of the producer's blocks
};

struct OpBlocks {
  long blocks = 1;
  std::vector<BlockEdge> inputs;
};

std::vector<OpBlocks> block_dataflow(const compiler::Program& p, const TimingParams& t);

// Blocks of a producer with `producer_blocks` that must be complete before block b (0-based) of an op with
// `blocks` blocks may start: the producer's share of tokens up to the end of block b, rounded up.
long blocks_needed(long b, long blocks, long producer_blocks, bool barrier);

}  // namespace oasim::timing
