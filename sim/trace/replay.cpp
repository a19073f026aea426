#include "sim/trace/replay.hpp"

#include <fmt/format.h>

#include <chrono>

#include "sim/common/error.hpp"
#include "models/components/param_table.hpp"
#include "workloads/compiler/compiler.hpp"

namespace oasim::trace {

bool same_program(const compiler::Program& a, const compiler::Program& b) {
  if (a.tiles.size() != b.tiles.size() || a.ops.size() != b.ops.size() || a.linears.size() != b.linears.size() ||
      a.planes_used != b.planes_used || a.reloads_per_step != b.reloads_per_step ||
      a.frames_per_step != b.frames_per_step || a.buffers.spill_bytes_per_step != b.buffers.spill_bytes_per_step)
    return false;
  for (size_t i = 0; i < a.tiles.size(); ++i) {
    const auto &x = a.tiles[i], &y = b.tiles[i];
    if (x.linear != y.linear || x.row0 != y.row0 || x.rows != y.rows || x.col0 != y.col0 || x.cols != y.cols ||
        x.plane != y.plane || x.plane_row != y.plane_row || x.plane_col != y.plane_col || x.resident != y.resident)
      return false;
  }
  for (size_t i = 0; i < a.ops.size(); ++i) {
    const auto &x = a.ops[i], &y = b.ops[i];
    if (x.kind != y.kind || x.name != y.name || x.linear != y.linear || x.vectors != y.vectors ||
        x.digital.adds != y.digital.adds || x.digital.muls != y.digital.muls ||
        x.digital.nonlinear != y.digital.nonlinear || x.sram_bytes_read != y.sram_bytes_read ||
        x.sram_bytes_written != y.sram_bytes_written || x.dram_bytes != y.dram_bytes ||
        x.planes_reloaded != y.planes_reloaded || x.stream_group != y.stream_group || x.lane != y.lane)
      return false;
  }
  return true;
}

namespace {
int step_frames(const TimingTrace& t) { return t.model.is_stream() ? 1 : t.program.frames_per_step; }

// The recipe the trace was recorded with (its online costs are part of the passes).
compiler::Program compile_like(const TimingTrace& t, const config::HardwareConfig& hw) {
  if (t.recipe_path.empty()) return compiler::compile(t.model, hw, step_frames(t));
  const quant::Recipe r = quant::load_recipe(t.recipe_path);
  return compiler::compile(t.model, hw, step_frames(t), &r);
}
}  // namespace

std::vector<std::string> program_changing_keys(const TimingTrace& t, const config::HardwareConfig& hw) {
  std::vector<std::string> out;
  if (same_program(t.program, compile_like(t, hw))) return out;
  // Which of the changed keys is responsible: apply each alone to the recorded config and recompile.
  for (auto& spec : config::hardware_params()) {
    const std::string old_v = spec.get(t.hw), new_v = spec.get(hw);
    if (old_v == new_v) continue;
    config::HardwareConfig one = t.hw;
    if (!spec.set(one, new_v).empty()) continue;
    bool changes = true;
    try {
      changes = !same_program(t.program, compile_like(t, one));
    } catch (const InputError&) {
    }
    if (changes) out.push_back(fmt::format("{}: {} -> {}", spec.key, old_v, new_v));
  }
  if (out.empty()) out.push_back("a combination of the changed keys");
  return out;
}

ReplayResult replay(const TimingTrace& t, const config::HardwareConfig& hw, bool retile, double input_fps) {
  const auto t0 = std::chrono::steady_clock::now();
  ReplayResult r;
  // The recorded pass stream must be what its own recorded model and config compile to; otherwise the file
  // was damaged or edited, and blaming the new config (below) would mislead.
  const compiler::Program recompiled = compile_like(t, t.hw);
  if (!same_program(t.program, recompiled))
    fail_input("'{}' is corrupt: its pass stream does not match what its recorded model and hardware config "
               "compile to (damaged file, edited by hand, or recorded by another oasim version); record it again "
               "with `oasim run --record-trace`",
               t.path.empty() ? "the trace" : t.path);
  auto changed = program_changing_keys(t, hw);
  if (!changed.empty()) {
    if (!retile) {
      std::string list;
      for (auto& c : changed) list += "\n  " + c;
      fail_input("the new hardware config changes how the model is mapped, so the recorded pass stream no longer "
                 "applies:{}\npass --retile to recompile the mapping from the recorded model shape", list);
    }
    r.program = compile_like(t, hw);
    r.retiled = true;
  } else {
    // Equal to the recorded stream in everything recorded, plus what traces do not store (block sizes and
    // scan marks, ProgramOp::tokens and ::scan, which follow from the shape).
    r.program = recompiled;
  }
  r.cost = costing::cost_program(r.program, hw, input_fps);
  r.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

}  // namespace oasim::trace
