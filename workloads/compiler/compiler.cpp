#include "workloads/compiler/compiler.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <numeric>

#include "models/optical/input_chunks.hpp"
#include "sim/common/error.hpp"
#include "workloads/quant/quamba2_groups.hpp"

namespace oasim::compiler {
namespace {

using videomamba::Direction;
using videomamba::LinearKind;
using videomamba::LinearSite;

constexpr double kFp32 = 4.0;

struct Builder {
  const videomamba::ModelConfig& m;
  const config::HardwareConfig& hw;
  const quant::Recipe* recipe;
  Program p;

  int add_linear(LinearSite site, int out, int in, long vectors) {
    LinearMapping lm;
    lm.site = site;
    lm.name = site.name();
    lm.out_features = out;
    lm.in_features = in;
    lm.vectors_per_frame = vectors;
    const auto& wp = hw.weight_plane;
    // The same optical passes as the numerics (make_plan): plane width, weight- and input-scale groups.
    const auto chunks = optical::input_chunk_ranges(in, hw, recipe ? quant::x_group_bounds(*recipe, site.kind, in)
                                                                   : std::vector<int>{});
    lm.row_tiles = (out + wp.rows - 1) / wp.rows;
    lm.col_tiles = int(chunks.size());
    const int index = int(p.linears.size());
    for (int r = 0; r < lm.row_tiles; ++r)
      for (const auto& c : chunks) {
        Tile t;
        t.linear = index;
        t.row0 = r * wp.rows;
        t.rows = std::min(wp.rows, out - t.row0);
        t.col0 = c.k0;
        t.cols = c.width;
        lm.tiles.push_back(int(p.tiles.size()));
        p.tiles.push_back(t);
      }
    p.linears.push_back(lm);
    return index;
  }

  // Optical op + its digital tail: per output sample and pass, two rescales and one accumulate.
  void optical(int linear, long vectors, int layer, int group = -1, int lane = 0) {
    const LinearMapping& lm = p.linears[linear];
    ProgramOp op;
    op.kind = OpKind::Optical;
    op.name = lm.name;
    op.layer = layer;
    op.linear = linear;
    op.vectors = vectors;
    op.tokens = vectors;
    const double samples = double(vectors) * lm.out_features * lm.col_tiles;
    op.digital.muls = 2 * samples;
    op.digital.adds = samples;
    if (hw.modulator.scale == config::ActivationScale::Dynamic) op.digital.adds += double(vectors) * lm.in_features;
    if (recipe) {  // the recipe's online transforms and outlier path run in the digital unit
      const quant::OnlineCost c = quant::online_cost(*recipe, lm.site.kind, lm.in_features, lm.out_features,
                                                     hw.modulator.scale == config::ActivationScale::Dynamic,
                                                     hw.weight_plane.weight_bits);
      op.digital.adds += double(vectors) * c.adds;
      op.digital.muls += double(vectors) * c.muls;
      op.digital.nonlinear += double(vectors) * c.nonlinear;
      op.sram_bytes_read += double(vectors) * c.sram_bytes_read;  // outlier columns' weight codes
    }
    op.sram_bytes_read += double(vectors) * lm.in_features * kFp32;
    op.sram_bytes_written = double(vectors) * lm.out_features * kFp32;
    op.stream_group = group;
    op.lane = lane;
    p.ops.push_back(op);
  }

  void digital(std::string name, int layer, DigitalWork w, double read, double written, int group = -1,
               int lane = 0) {
    ProgramOp op;
    op.kind = OpKind::Digital;
    op.name = std::move(name);
    op.layer = layer;
    op.digital = w;
    op.sram_bytes_read = read;
    op.sram_bytes_written = written;
    op.stream_group = group;
    op.lane = lane;
    p.ops.push_back(op);
  }
};

void pack_tiles(Program& p, const config::HardwareConfig& hw) {
  const int rows = hw.weight_plane.rows, cols = hw.weight_plane.cols;
  // Shelf packing, tallest tiles first: each plane is filled with horizontal shelves; a shelf is as tall
  // as its first tile and takes tiles left to right until the plane's columns run out.
  std::vector<int> order(p.tiles.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return p.tiles[a].rows > p.tiles[b].rows; });
  struct Shelf { int plane, row0, height, used_cols; };
  std::vector<Shelf> shelves;
  std::vector<int> plane_rows_used;
  for (int ti : order) {
    Tile& t = p.tiles[ti];
    bool placed = false;
    for (auto& s : shelves)
      if (t.rows <= s.height && s.used_cols + t.cols <= cols) {
        t.plane = s.plane;
        t.plane_row = s.row0;
        t.plane_col = s.used_cols;
        s.used_cols += t.cols;
        placed = true;
        break;
      }
    if (placed) continue;
    int plane = -1;
    for (int q = 0; q < int(plane_rows_used.size()); ++q)
      if (plane_rows_used[q] + t.rows <= rows) { plane = q; break; }
    if (plane < 0) {
      plane = int(plane_rows_used.size());
      plane_rows_used.push_back(0);
    }
    shelves.push_back({plane, plane_rows_used[plane], t.rows, t.cols});
    t.plane = plane;
    t.plane_row = plane_rows_used[plane];
    t.plane_col = 0;
    plane_rows_used[plane] += t.rows;
  }
  p.planes_used = int(plane_rows_used.size());
  p.planes_available = hw.weight_plane.planes;
  double weights = 0;
  for (auto& t : p.tiles) weights += double(t.rows) * t.cols;
  p.plane_utilisation = weights / (double(p.planes_used) * rows * cols);
  // Not enough planes: keep planes_available - 1 resident, cycle the rest through the last plane, which
  // is rewritten once for each extra plane's worth of tiles every step. Double-buffered, the last two planes
  // alternate (one read while the other is written): one resident plane fewer, and a stack of one plane
  // cannot alternate, so it is refused.
  const int reload_planes = hw.weight_plane.double_buffer ? 2 : 1;
  if (p.planes_used > p.planes_available) {
    if (p.planes_available < reload_planes)
      fail_input("weight_plane.planes: {} plane cannot hold the model's {} planes of tiles with "
                 "weight_plane.double_buffer on (two planes alternate); give it at least 2 planes or turn "
                 "double buffering off",
                 p.planes_available, p.planes_used);
    p.reloads_per_step = p.planes_used - (p.planes_available - reload_planes);
    for (auto& t : p.tiles) t.resident = t.plane < p.planes_available - reload_planes;
  }
}

}  // namespace

double state_element_bytes(config::StatePrecision p) {
  switch (p) {
    case config::StatePrecision::Fp32: return 4;
    case config::StatePrecision::Fp16:
    case config::StatePrecision::Bf16: return 2;
    case config::StatePrecision::Int8: return 1;
  }
  return 4;
}

double Program::total_macs() const {
  double macs = 0;
  for (auto& op : ops)
    if (op.kind == OpKind::Optical) macs += double(op.vectors) * linears[op.linear].out_features * linears[op.linear].in_features;
  return macs;
}

Program compile(const videomamba::ModelConfig& m, const config::HardwareConfig& hw, int frames,
                const quant::Recipe* recipe) {
  if (frames <= 0) fail_input("compile: frames must be positive, got {}", frames);
  if (!m.is_stream() && frames != m.num_frames)
    fail_input("compile: the clip model runs {} frames per clip, asked for {}", m.num_frames, frames);
  Builder b{m, hw, recipe, {}};
  Program& p = b.p;
  p.model_variant = videomamba::variant_name(m.variant);
  p.frames_per_step = frames;
  const long n = m.patches_per_frame();
  const long L = m.sequence_length(frames);
  const long D = m.embed_dim, Di = m.d_inner(), N = m.d_state, K = m.d_conv, R = m.dt_rank;
  const long readouts = m.is_stream() ? frames : 1;
  p.tokens_per_step = L;

  // Linears in execution order.
  const int patch = b.add_linear({LinearKind::PatchEmbed}, int(D), m.patch_volume(), long(frames / m.tubelet_size) * n);
  struct LayerLinears { int in, xf, df, xb, db, out; };
  std::vector<LayerLinears> ll;
  for (int i = 0; i < m.depth; ++i) {
    LayerLinears l;
    l.in = b.add_linear({LinearKind::InProj, i}, int(2 * Di), int(D), L);
    l.xf = b.add_linear({LinearKind::XProj, i, Direction::Forward}, int(R + 2 * N), int(Di), L);
    l.df = b.add_linear({LinearKind::DtProj, i, Direction::Forward}, int(Di), int(R), L);
    l.xb = b.add_linear({LinearKind::XProj, i, Direction::Backward}, int(R + 2 * N), int(Di), L);
    l.db = b.add_linear({LinearKind::DtProj, i, Direction::Backward}, int(Di), int(R), L);
    l.out = b.add_linear({LinearKind::OutProj, i}, int(D), int(Di), L);
    ll.push_back(l);
  }
  const int head = b.add_linear({LinearKind::Head}, m.num_classes, int(D), readouts);
  pack_tiles(p, hw);

  const double sb = state_element_bytes(hw.digital.state_precision);
  p.buffers.capacity_bytes = hw.sram.capacity_kib * 1024.0;
  const double layer_state = double(Di) * (N + (K - 1)) * sb;  // one layer's SSM + conv state
  p.buffers.state_bytes = m.is_stream() ? m.depth * layer_state : 0.0;
  // A scan engine keeps the state it updates in its own memory: at least one layer's, else it cannot run.
  const auto& se = hw.scan_engine;
  bool engine_holds_states = false;
  if (se.count > 0) {
    if (se.state_kib * 1024.0 < layer_state)
      fail_input("scan_engine.state_kib: {:g} KiB holds less than one layer's recurrent state ({:g} KiB: d_inner {} x "
                 "(d_state {} + d_conv {} - 1) x {:g} bytes)",
                 se.state_kib, layer_state / 1024.0, Di, N, K, sb);
    // Every layer's state resident in the engines: no state round trip through SRAM, none kept there.
    engine_holds_states = se.count * se.state_kib * 1024.0 >= p.buffers.state_bytes;
    if (engine_holds_states) p.buffers.state_bytes = 0;
  }
  // Live in one layer: residual + normed (D), xz (2 Di), per direction u, delta, y (3 Di) and B, C, dt.
  p.buffers.activation_bytes = double(L) * (2 * D + 2 * Di + 2 * (3 * Di + R + 2 * N)) * kFp32;
  if (recipe && recipe->outliers.threshold > 0)
    for (const auto& lm : p.linears)
      if (quant::in_set(recipe->outlier_sites, lm.site.kind))
        p.buffers.weight_copy_bytes += double(lm.out_features) * lm.in_features * hw.weight_plane.weight_bits / 8.0 +
                                       double(lm.out_features) * kFp32;  // codes + one fp32 scale per row
  const double overflow = p.buffers.resident_bytes() - p.buffers.capacity_bytes;
  // What does not fit is written to DRAM and read back once per layer.
  p.buffers.spill_bytes_per_step = overflow > 0 ? 2.0 * overflow * m.depth : 0.0;

  if (p.reloads_per_step > 0) {
    ProgramOp op;
    op.kind = OpKind::Reload;
    op.name = "weight reload";
    op.planes_reloaded = p.reloads_per_step;
    // Weight codes come from DRAM: rows*cols pixels of weight_bits each per plane.
    op.dram_bytes = double(p.reloads_per_step) * hw.weight_plane.rows * hw.weight_plane.cols *
                    hw.weight_plane.weight_bits / 8.0;
    p.ops.push_back(op);
  }

  b.digital("patch_embed.im2col", -1, {}, double(frames) * m.in_chans * m.img_size * m.img_size * kFp32, 0);
  b.optical(patch, long(frames / m.tubelet_size) * n, -1);
  // Embedding: add positional (and temporal) embeddings.
  b.digital("embed.add_pos", -1, {double(L) * D * (m.is_stream() ? 1 : 2), 0, 0}, double(L) * D * kFp32,
            double(L) * D * kFp32);
  const double spill_per_layer = p.buffers.spill_bytes_per_step / std::max(1, m.depth);
  const double norm_muls = recipe && recipe->residual_rotation ? 2.0 : 3.0;
  for (int i = 0; i < m.depth; ++i) {
    const std::string pre = fmt::format("layers.{}.", i);
    // RMSNorm: square, mean, rsqrt, scale, weight (folded into in_proj by a residual rotation: no multiply).
    b.digital(pre + "norm", i, {double(L) * D, norm_muls * L * D, double(L)}, double(L) * D * kFp32, double(L) * D * kFp32);
    if (spill_per_layer > 0) b.p.ops.back().dram_bytes += spill_per_layer;
    b.optical(ll[i].in, L, i);
    for (int dir = 0; dir < 2; ++dir) {
      const std::string sfx = dir ? "_b" : "";
      const int group = i;  // both directions may run concurrently
      // Depthwise causal conv (K taps) + bias + SiLU (sigmoid + multiply).
      b.digital(pre + "conv1d" + sfx, i, {double(L) * Di * K, double(L) * Di * (K + 1), double(L) * Di},
                double(L) * Di * kFp32, double(L) * Di * kFp32, group, dir);
      b.optical(dir ? ll[i].xb : ll[i].xf, L, i, group, dir);
      b.optical(dir ? ll[i].db : ll[i].df, L, i, group, dir);
      // softplus; scan per token and channel: exp(delta*A) and N-wide update + readout; D skip; SiLU gate.
      DigitalWork scan;
      scan.nonlinear = double(L) * Di * (N + 2);        // exp per state, softplus, SiLU(z)
      scan.muls = double(L) * Di * (4.0 * N + 3);        // delta*A, decay*h, dB*u, C*h, D*u, gate
      scan.adds = double(L) * Di * (2.0 * N + 1);
      double state_io = dir == 0 && m.is_stream() && !engine_holds_states ? 2.0 * layer_state : 0.0;
      b.digital(pre + "scan" + sfx, i, scan, double(L) * (3 * Di + 2 * N) * kFp32 + state_io / 2,
                double(L) * Di * kFp32 + state_io / 2, group, dir);
      b.p.ops.back().scan = true;
    }
    b.digital(pre + "sum_directions", i, {double(L) * Di, 0, 0}, 2.0 * L * Di * kFp32, double(L) * Di * kFp32);
    b.optical(ll[i].out, L, i);
    b.digital(pre + "residual_add", i, {double(L) * D, 0, 0}, 2.0 * L * D * kFp32, double(L) * D * kFp32);
  }
  for (auto& op : p.ops)
    if (op.kind == OpKind::Digital) op.tokens = L;  // every digital op so far works token by token
  b.digital("norm_f", -1, {double(readouts) * D, norm_muls * readouts * D, double(readouts)}, double(readouts) * D * kFp32,
            double(readouts) * D * kFp32);
  p.ops.back().tokens = readouts;
  b.optical(head, readouts, -1);
  return p;
}

}  // namespace oasim::compiler
