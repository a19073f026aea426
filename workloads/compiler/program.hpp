#pragma once
// The compiled program: how a VideoMamba model sits on the optical accelerator (tiles on planes,
// buffers) and the per-frame sequence of operations the controller executes. Values-independent:
// built from shapes and the hardware config only, so timing and energy can be replayed without numerics.
#include <string>
#include <vector>

#include "workloads/videomamba/linear_executor.hpp"

namespace oasim::compiler {

// One plane-sized piece of a Linear's weight matrix: output rows [row0, row0+rows), inputs [col0, col0+cols).
struct Tile {
  int linear = 0;        // index into Program::linears
  int row0 = 0, rows = 0, col0 = 0, cols = 0;
  int plane = -1;        // where it is placed; a tile is a sub-rectangle of a plane
  int plane_row = 0, plane_col = 0;
  bool resident = true;  // false: the plane it sits on is reprogrammed every frame
};

struct LinearMapping {
  videomamba::LinearSite site;
  std::string name;
  int out_features = 0, in_features = 0;
  int row_tiles = 0, col_tiles = 0;  // col_tiles = input chunks = optical passes per vector
  long vectors_per_frame = 0;        // input vectors it sees per frame (stream) or per clip
  std::vector<int> tiles;            // indices into Program::tiles
};

enum class OpKind { Optical, Digital, Reload };

struct DigitalWork {
  double adds = 0, muls = 0, nonlinear = 0;
  double total() const { return adds + muls + nonlinear; }
};

// One step of the per-frame schedule, in execution order.
struct ProgramOp {
  OpKind kind = OpKind::Digital;
  std::string name;          // e.g. "layers.2.mixer.x_proj_b" or "layers.2.scan_fwd"
  int layer = -1;
  int linear = -1;           // Optical: index into Program::linears
  long vectors = 0;          // Optical: vectors streamed
  DigitalWork digital;       // Digital: work; Optical: the digital tail (rescale, accumulate)
  double sram_bytes_read = 0, sram_bytes_written = 0;
  double dram_bytes = 0;     // spills and weight reloads
  int planes_reloaded = 0;   // Reload
  // Consecutive ops with the same non-negative `stream_group` form a region whose two lanes (the two
  // scan directions) run concurrently, each lane in order; -1 = strictly sequential.
  int stream_group = -1;
  int lane = 0;
  // Token vectors the op works through per step (optical: = vectors), the unit of block pipelining
  // (cores.pipelining: token_blocks); 0 = one indivisible block. Derived by the compiler from the model's
  // shape, so not stored in traces (the player takes it from the recompiled program).
  long tokens = 0;
  bool scan = false;         // a selective scan (runs on a scan engine when the design has one; not in traces)
  int frame = 0;             // independent frame (another stream's) in timing::overlap_frames; 0 when compiled
};

struct BufferPlan {
  double state_bytes = 0;        // recurrent SSM + conv state of every layer and direction
  double activation_bytes = 0;   // peak live activations of one layer
  double capacity_bytes = 0;
  double spill_bytes_per_step = 0;  // what does not fit goes to DRAM and back
  // A recipe's digital outlier path (OuroMamba) multiplies outlier channels by the planes' Int4 codes in the
  // digital unit: a copy of those sites' codes and per-row scales stays resident in SRAM (issue 20).
  double weight_copy_bytes = 0;
  double resident_bytes() const { return state_bytes + activation_bytes + weight_copy_bytes; }
  bool fits() const { return resident_bytes() <= capacity_bytes; }
};

struct Program {
  std::string model_variant;
  long tokens_per_step = 0;       // tokens per frame (stream) or per clip
  int frames_per_step = 1;        // frames the schedule covers (1 for streaming)
  std::vector<LinearMapping> linears;
  std::vector<Tile> tiles;
  int planes_used = 0, planes_available = 0;
  int reloads_per_step = 0;       // plane rewrites needed per schedule step when the model does not fit
  double plane_utilisation = 0;   // weights / (planes_used * rows * cols)
  BufferPlan buffers;
  std::vector<ProgramOp> ops;
  double total_macs() const;
};

}  // namespace oasim::compiler
