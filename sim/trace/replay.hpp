#pragma once
// Trace replay (the DRAMSys idea): the recorded pass stream drives the same SystemC timing modules and
// the same energy table as a full run, on another hardware config, with no numerics at all.
#include <string>
#include <vector>

#include "sim/costing/program_cost.hpp"
#include "sim/trace/trace_file.hpp"

namespace oasim::trace {

struct ReplayResult {
  compiler::Program program;         // the recorded one, or the re-tiled one
  bool retiled = false;
  costing::ProgramCost cost;         // timing and energy, priced at the input frame rate
  double wall_s = 0;
};

// Keys whose change alone alters the compiled program (tiling, placement, buffers, op list) of the
// trace's model: "weight_plane.rows: 256 -> 128". Empty when the recorded program stays valid.
std::vector<std::string> program_changing_keys(const TimingTrace& t, const config::HardwareConfig& hw);

// Re-times and re-costs the trace on `hw`. If the new config changes the program, refuses with an
// InputError naming the keys, unless `retile` (then recompiles from the recorded model shape).
ReplayResult replay(const TimingTrace& t, const config::HardwareConfig& hw, bool retile, double input_fps);

// Structural equality of two programs (mapping and op stream), for the check above and for tests.
bool same_program(const compiler::Program& a, const compiler::Program& b);

}  // namespace oasim::trace
