#include "sim/trace/trace_file.hpp"

#include <filesystem>
#include <cmath>
#include <functional>
#include <set>

#include "sim/common/error.hpp"
#include "sim/common/h5_file.hpp"
#include "models/components/hardware_config_io.hpp"
#include "workloads/videomamba/model_file.hpp"
#include "sim/common/path_checks.hpp"

namespace oasim::trace {
namespace {

using compiler::OpKind;

const char* kind_name(OpKind k) { return k == OpKind::Optical ? "optical" : k == OpKind::Digital ? "digital" : "reload"; }

template <typename T, typename F>
std::vector<int64_t> int_column(const std::vector<T>& v, F f) {
  std::vector<int64_t> out;
  for (auto& x : v) out.push_back(int64_t(f(x)));
  return out;
}
template <typename T, typename F>
std::vector<double> double_column(const std::vector<T>& v, F f) {
  std::vector<double> out;
  for (auto& x : v) out.push_back(double(f(x)));
  return out;
}

void write_layers(h5::Writer& w, const std::vector<LayerActivations>& layers) {
  std::vector<std::string> names;
  for (auto& l : layers) {
    names.push_back(l.name);
    const std::string g = "activations/" + l.name + "/";
    w.floats(g + "input", {hsize_t(l.rows), hsize_t(l.in)}, l.input.data());
    w.floats(g + "weight", {hsize_t(l.out), hsize_t(l.in)}, l.weight.data());
    if (!l.bias.empty()) w.floats(g + "bias", {hsize_t(l.out)}, l.bias.data());
    if (!l.output.empty()) w.floats(g + "output", {hsize_t(l.rows), hsize_t(l.out)}, l.output.data());
  }
  w.strings("activations/names", names);
}

std::vector<LayerActivations> read_layers(const h5::Reader& r) {
  std::vector<LayerActivations> out;
  if (!r.has_dataset("activations/names")) return out;
  for (auto& name : r.read_strings("activations/names")) {
    LayerActivations l;
    l.name = name;
    const std::string g = "activations/" + name + "/";
    auto in = r.read_floats(g + "input");
    auto wt = r.read_floats(g + "weight");
    if (in.shape.size() != 2 || wt.shape.size() != 2 || in.shape[1] != wt.shape[1])
      fail_input("'{}': layer '{}': input {} and weight {} do not fit (expected [rows, in] and [out, in])", r.path(),
                 name, h5::shape_str(in.shape), h5::shape_str(wt.shape));
    l.rows = long(in.shape[0]);
    l.in = long(in.shape[1]);
    l.out = long(wt.shape[0]);
    l.input = std::move(in.data);
    l.weight = std::move(wt.data);
    if (r.has_dataset(g + "bias")) {
      auto b = r.read_floats(g + "bias");
      if (b.size() != size_t(l.out))
        fail_input("'{}': layer '{}': bias has {} values, expected {}", r.path(), name, b.size(), l.out);
      l.bias = std::move(b.data);
    }
    if (r.has_dataset(g + "output")) {
      auto o = r.read_floats(g + "output");
      if (o.shape.size() != 2 || long(o.shape[0]) != l.rows || long(o.shape[1]) != l.out)
        fail_input("'{}': layer '{}': output {} expected [{}, {}]", r.path(), name, h5::shape_str(o.shape), l.rows,
                   l.out);
      l.output = std::move(o.data);
    }
    out.push_back(std::move(l));
  }
  return out;
}

}  // namespace

namespace {
// Writes through `path`.tmp renamed at the end (no half-written file under the real name); on any
// failure the temporary file is removed and the error names `path`.
void write_atomically(const std::string& path, const std::function<void(h5::Writer&)>& body) {
  if (is_folder(path)) fail_input("cannot write '{}': it is a directory, expected a file", path);
  const std::string tmp = path + ".tmp";
  try {
    {
      h5::Writer w(tmp);
      body(w);
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) fail_input("cannot write '{}': {}", path, ec.message());
  } catch (...) {
    std::error_code ignored;
    std::filesystem::remove(tmp, ignored);
    throw;
  }
}
}  // namespace

void write_trace(const std::string& path, const TimingTrace& t) {
  write_atomically(path, [&](h5::Writer& w) {
    const auto& p = t.program;
    w.attribute("oasim_format", std::string(kTraceFormat));
    w.attribute("format_version", kTraceFormatVersion);
    w.attribute("model_path", t.model_path);
    w.attribute("recipe_path", t.recipe_path);
    videomamba::write_architecture(w, t.model, "model.");
    w.attribute("hardware_config", config::to_yaml(t.hw));
    w.attribute("program.model_variant", p.model_variant);
    w.attribute("program.tokens_per_step", p.tokens_per_step);
    w.attribute("program.frames_per_step", long(p.frames_per_step));
    w.attribute("program.planes_used", long(p.planes_used));
    w.attribute("program.planes_available", long(p.planes_available));
    w.attribute("program.reloads_per_step", long(p.reloads_per_step));
    w.attribute("program.plane_utilisation", p.plane_utilisation);
    w.attribute("buffers.state_bytes", p.buffers.state_bytes);
    w.attribute("buffers.activation_bytes", p.buffers.activation_bytes);
    w.attribute("buffers.capacity_bytes", p.buffers.capacity_bytes);
    w.attribute("buffers.spill_bytes_per_step", p.buffers.spill_bytes_per_step);
    w.attribute("buffers.weight_copy_bytes", p.buffers.weight_copy_bytes);
    w.attribute("recorded.step_s", t.step.total_s);
    w.attribute("recorded.energy_per_frame_j", t.energy_per_frame_j);
    w.attribute("bits.dac", long(t.hw.modulator.dac_bits));
    w.attribute("bits.adc", long(t.hw.adc.bits));
    w.attribute("bits.weight", long(t.hw.weight_plane.weight_bits));

    // Linears and tiles: the mapping.
    const hsize_t nl = p.linears.size(), nt = p.tiles.size(), no = p.ops.size();
    w.strings("linears/name", [&] {
      std::vector<std::string> v;
      for (auto& l : p.linears) v.push_back(l.name);
      return v;
    }());
    auto wi = [&](const std::string& n, const std::vector<int64_t>& v, hsize_t len) { w.ints(n, {len}, v.data()); };
    auto wd = [&](const std::string& n, const std::vector<double>& v, hsize_t len) { w.doubles(n, {len}, v.data()); };
    wi("linears/out_features", int_column(p.linears, [](auto& l) { return l.out_features; }), nl);
    wi("linears/in_features", int_column(p.linears, [](auto& l) { return l.in_features; }), nl);
    wi("linears/row_tiles", int_column(p.linears, [](auto& l) { return l.row_tiles; }), nl);
    wi("linears/col_tiles", int_column(p.linears, [](auto& l) { return l.col_tiles; }), nl);
    wi("linears/vectors_per_frame", int_column(p.linears, [](auto& l) { return l.vectors_per_frame; }), nl);
    wi("tiles/linear", int_column(p.tiles, [](auto& x) { return x.linear; }), nt);
    wi("tiles/row0", int_column(p.tiles, [](auto& x) { return x.row0; }), nt);
    wi("tiles/rows", int_column(p.tiles, [](auto& x) { return x.rows; }), nt);
    wi("tiles/col0", int_column(p.tiles, [](auto& x) { return x.col0; }), nt);
    wi("tiles/cols", int_column(p.tiles, [](auto& x) { return x.cols; }), nt);
    wi("tiles/plane", int_column(p.tiles, [](auto& x) { return x.plane; }), nt);
    wi("tiles/plane_row", int_column(p.tiles, [](auto& x) { return x.plane_row; }), nt);
    wi("tiles/plane_col", int_column(p.tiles, [](auto& x) { return x.plane_col; }), nt);
    wi("tiles/resident", int_column(p.tiles, [](auto& x) { return x.resident; }), nt);

    // The pass stream, in execution order, with its recorded times and actions.
    std::vector<std::string> names, kinds;
    for (auto& op : p.ops) {
      names.push_back(op.name);
      kinds.push_back(kind_name(op.kind));
    }
    w.strings("passes/name", names);
    w.strings("passes/kind", kinds);
    wi("passes/layer", int_column(p.ops, [](auto& o) { return o.layer; }), no);
    wi("passes/linear", int_column(p.ops, [](auto& o) { return o.linear; }), no);
    wi("passes/vectors", int_column(p.ops, [](auto& o) { return o.vectors; }), no);
    wi("passes/stream_group", int_column(p.ops, [](auto& o) { return o.stream_group; }), no);
    wi("passes/lane", int_column(p.ops, [](auto& o) { return o.lane; }), no);
    wi("passes/planes_reloaded", int_column(p.ops, [](auto& o) { return o.planes_reloaded; }), no);
    wd("passes/digital_adds", double_column(p.ops, [](auto& o) { return o.digital.adds; }), no);
    wd("passes/digital_muls", double_column(p.ops, [](auto& o) { return o.digital.muls; }), no);
    wd("passes/digital_nonlinear", double_column(p.ops, [](auto& o) { return o.digital.nonlinear; }), no);
    wd("passes/sram_bytes_read", double_column(p.ops, [](auto& o) { return o.sram_bytes_read; }), no);
    wd("passes/sram_bytes_written", double_column(p.ops, [](auto& o) { return o.sram_bytes_written; }), no);
    wd("passes/dram_bytes", double_column(p.ops, [](auto& o) { return o.dram_bytes; }), no);
    if (t.step.ops.size() != p.ops.size()) throw std::runtime_error("trace: timing does not cover every op");
    wd("passes/start_s", double_column(t.step.ops, [](auto& o) { return o.start_s; }), no);
    wd("passes/end_s", double_column(t.step.ops, [](auto& o) { return o.end_s; }), no);
    // Per-pass component actions (what the energy table multiplies).
    std::vector<double> dac, adc, macs, tiles;
    for (auto& op : p.ops) {
      double d = 0, a = 0, m = 0, n = 0;
      if (op.kind == OpKind::Optical)
        for (int ti : p.linears[size_t(op.linear)].tiles) {
          const auto& tl = p.tiles[size_t(ti)];
          d += double(op.vectors) * tl.cols;
          a += double(op.vectors) * tl.rows;
          m += double(op.vectors) * tl.rows * tl.cols;
          n += 1;
        }
      dac.push_back(d);
      adc.push_back(a);
      macs.push_back(m);
      tiles.push_back(n);
    }
    wd("passes/dac_conversions", dac, no);
    wd("passes/adc_samples", adc, no);
    wd("passes/macs", macs, no);
    wd("passes/tiles", tiles, no);
    if (!t.activations.empty()) write_layers(w, t.activations);
  });
}

TimingTrace read_trace(const std::string& path) {
  h5::Reader r(path);
  auto format = r.string_attribute("oasim_format");
  if (!format || *format != kTraceFormat)
    fail_input("'{}' is not an oasim trace (root attribute oasim_format = '{}' expected, found {})", path, kTraceFormat,
               format ? "'" + *format + "'" : "none");
  auto version = r.int_attribute("format_version");
  if (!version || *version != kTraceFormatVersion)
    fail_input("'{}': trace format_version {} is not supported (this oasim reads {})", path,
               version ? std::to_string(*version) : "missing", kTraceFormatVersion);
  auto need_int = [&](const std::string& n) {
    auto v = r.int_attribute(n);
    if (!v) fail_input("'{}': missing root attribute '{}' (an integer)", path, n);
    return *v;
  };
  auto need_float = [&](const std::string& n) {
    auto v = r.float_attribute(n);
    if (!v) fail_input("'{}': missing root attribute '{}' (a number)", path, n);
    return *v;
  };
  TimingTrace t;
  t.path = path;
  t.model_path = r.string_attribute("model_path").value_or("");
  t.recipe_path = r.string_attribute("recipe_path").value_or("");
  t.model = videomamba::read_architecture(r, "model.");
  auto hw_text = r.string_attribute("hardware_config");
  if (!hw_text) fail_input("'{}': missing root attribute 'hardware_config'", path);
  t.hw = config::parse_hardware_config_text(*hw_text, path + " (recorded hardware_config)");
  t.energy_per_frame_j = need_float("recorded.energy_per_frame_j");

  compiler::Program& p = t.program;
  p.model_variant = r.string_attribute("program.model_variant").value_or("");
  p.tokens_per_step = need_int("program.tokens_per_step");
  p.frames_per_step = int(need_int("program.frames_per_step"));
  p.planes_used = int(need_int("program.planes_used"));
  p.planes_available = int(need_int("program.planes_available"));
  p.reloads_per_step = int(need_int("program.reloads_per_step"));
  p.plane_utilisation = need_float("program.plane_utilisation");
  p.buffers.state_bytes = need_float("buffers.state_bytes");
  p.buffers.activation_bytes = need_float("buffers.activation_bytes");
  p.buffers.capacity_bytes = need_float("buffers.capacity_bytes");
  p.buffers.spill_bytes_per_step = need_float("buffers.spill_bytes_per_step");
  // Traces written before the outlier weight copy was planned have none (their recipes' copy was uncosted).
  p.buffers.weight_copy_bytes = r.float_attribute("buffers.weight_copy_bytes").value_or(0.0);
  if (!std::isfinite(p.buffers.weight_copy_bytes) || p.buffers.weight_copy_bytes < 0)
    fail_input("'{}': buffers.weight_copy_bytes is not a size (corrupt trace?)", path);

  auto ints = [&](const std::string& n, size_t len) {
    auto v = r.read_ints(n);
    if (v.size() != len) fail_input("'{}': column '{}' has {} entries, expected {} (truncated?)", path, n, v.size(), len);
    return v;
  };
  auto doubles = [&](const std::string& n, size_t len) {
    auto v = r.read_doubles(n);
    if (v.size() != len) fail_input("'{}': column '{}' has {} entries, expected {} (truncated?)", path, n, v.size(), len);
    return v;
  };

  const auto lnames = r.read_strings("linears/name");
  const size_t nl = lnames.size();
  auto lo = ints("linears/out_features", nl), li = ints("linears/in_features", nl), lr = ints("linears/row_tiles", nl),
       lc = ints("linears/col_tiles", nl), lv = ints("linears/vectors_per_frame", nl);
  p.linears.resize(nl);
  for (size_t i = 0; i < nl; ++i) {
    auto& l = p.linears[i];
    l.name = lnames[i];
    l.out_features = int(lo[i]);
    l.in_features = int(li[i]);
    l.row_tiles = int(lr[i]);
    l.col_tiles = int(lc[i]);
    l.vectors_per_frame = lv[i];
  }
  const size_t nt = r.dataset_shape("tiles/linear").empty() ? 0 : r.dataset_shape("tiles/linear")[0];
  auto tl = ints("tiles/linear", nt), tr0 = ints("tiles/row0", nt), trs = ints("tiles/rows", nt),
       tc0 = ints("tiles/col0", nt), tcs = ints("tiles/cols", nt), tp = ints("tiles/plane", nt),
       tpr = ints("tiles/plane_row", nt), tpc = ints("tiles/plane_col", nt), tres = ints("tiles/resident", nt);
  p.tiles.resize(nt);
  for (size_t i = 0; i < nt; ++i) {
    auto& x = p.tiles[i];
    if (tl[i] < 0 || size_t(tl[i]) >= nl) fail_input("'{}': tile {} names linear {} of {}", path, i, tl[i], nl);
    x.linear = int(tl[i]);
    x.row0 = int(tr0[i]);
    x.rows = int(trs[i]);
    x.col0 = int(tc0[i]);
    x.cols = int(tcs[i]);
    x.plane = int(tp[i]);
    x.plane_row = int(tpr[i]);
    x.plane_col = int(tpc[i]);
    x.resident = tres[i] != 0;
    p.linears[size_t(x.linear)].tiles.push_back(int(i));
  }

  const auto names = r.read_strings("passes/name");
  const size_t no = names.size();
  const auto kinds = r.read_strings("passes/kind");
  if (kinds.size() != no) fail_input("'{}': column 'passes/kind' has {} entries, expected {}", path, kinds.size(), no);
  auto layer = ints("passes/layer", no), linear = ints("passes/linear", no), vectors = ints("passes/vectors", no),
       group = ints("passes/stream_group", no), lane = ints("passes/lane", no), reload = ints("passes/planes_reloaded", no);
  auto adds = doubles("passes/digital_adds", no), muls = doubles("passes/digital_muls", no),
       nonlin = doubles("passes/digital_nonlinear", no), sr = doubles("passes/sram_bytes_read", no),
       sw = doubles("passes/sram_bytes_written", no), dram = doubles("passes/dram_bytes", no),
       start = doubles("passes/start_s", no), end = doubles("passes/end_s", no);
  p.ops.resize(no);
  t.step.ops.resize(no);
  for (size_t i = 0; i < no; ++i) {
    auto& op = p.ops[i];
    op.name = names[i];
    if (kinds[i] == "optical") op.kind = OpKind::Optical;
    else if (kinds[i] == "digital") op.kind = OpKind::Digital;
    else if (kinds[i] == "reload") op.kind = OpKind::Reload;
    else fail_input("'{}': pass {} has kind '{}', expected optical, digital or reload", path, i, kinds[i]);
    op.layer = int(layer[i]);
    op.linear = int(linear[i]);
    if (op.kind == OpKind::Optical && (op.linear < 0 || size_t(op.linear) >= nl))
      fail_input("'{}': pass {} ('{}') names linear {} of {}", path, i, op.name, op.linear, nl);
    op.vectors = vectors[i];
    op.stream_group = int(group[i]);
    op.lane = int(lane[i]);
    op.planes_reloaded = int(reload[i]);
    op.digital = {adds[i], muls[i], nonlin[i]};
    op.sram_bytes_read = sr[i];
    op.sram_bytes_written = sw[i];
    op.dram_bytes = dram[i];
    t.step.ops[i] = {start[i], end[i]};
  }
  t.step.total_s = need_float("recorded.step_s");
  t.activations = read_layers(r);
  return t;
}

void write_activations(const std::string& path, const std::vector<LayerActivations>& layers) {
  write_atomically(path, [&](h5::Writer& w) {
    w.attribute("oasim_format", std::string("oasim-activations"));
    w.attribute("format_version", 1L);
    write_layers(w, layers);
  });
}

std::vector<LayerActivations> read_activations(const std::string& path) {
  h5::Reader r(path);
  auto format = r.string_attribute("oasim_format");
  if (!format || (*format != "oasim-activations" && *format != kTraceFormat))
    fail_input("'{}' is not an oasim activation trace (root attribute oasim_format = 'oasim-activations' expected, "
               "found {})", path, format ? "'" + *format + "'" : "none");
  auto layers = read_layers(r);
  if (layers.empty()) fail_input("'{}' holds no activation traces (no 'activations/names')", path);
  return layers;
}

}  // namespace oasim::trace
