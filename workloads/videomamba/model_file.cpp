#include "workloads/videomamba/model_file.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>

#include "sim/common/error.hpp"

namespace oasim::videomamba {
namespace {

using Shape = std::vector<hsize_t>;

const char* const kIntAttributes[] = {"embed_dim",  "depth",        "d_state",    "d_conv",
                                      "expand",     "dt_rank",      "patch_size", "tubelet_size",
                                      "num_frames", "img_size",     "in_chans",   "num_classes"};

// Upper bounds of the architecture attributes, far above any model this simulator is meant for (the
// shipped ones use embed_dim 192, depth 24): a file is refused before a forged value (depth 1e9) makes
// a reader or the compiler allocate without bound.
long max_attribute(const std::string& name) {
  if (name == "depth") return 4096;
  if (name == "d_conv" || name == "expand" || name == "in_chans") return 64;
  if (name == "num_frames") return 100000;
  if (name == "num_classes") return 1000000;
  return 65536;  // embed_dim, d_state, dt_rank, patch_size, tubelet_size, img_size
}
constexpr double kMaxParameters = 4294967296.0;  // 2^32 floats = 16 GiB of weights
constexpr double kMaxClipFloats = 4294967296.0;  // one clip of num_frames frames

int* attribute_slot(ModelConfig& c, const std::string& name) {
  if (name == "embed_dim") return &c.embed_dim;
  if (name == "depth") return &c.depth;
  if (name == "d_state") return &c.d_state;
  if (name == "d_conv") return &c.d_conv;
  if (name == "expand") return &c.expand;
  if (name == "dt_rank") return &c.dt_rank;
  if (name == "patch_size") return &c.patch_size;
  if (name == "tubelet_size") return &c.tubelet_size;
  if (name == "num_frames") return &c.num_frames;
  if (name == "img_size") return &c.img_size;
  if (name == "in_chans") return &c.in_chans;
  return &c.num_classes;
}

// Reads one validated key into a row-major matrix of the given logical [rows x cols] view.
class KeyReader {
 public:
  KeyReader(const h5::Reader& file, const std::vector<ExpectedKey>& keys) : file_(file) {
    for (auto& k : keys) shapes_[k.name] = k.shape;
  }
  h5::FloatArray raw(const std::string& key) const {
    auto arr = file_.read_floats(key, /*expect_float32=*/true);
    if (arr.shape != shapes_.at(key))
      fail_input("'{}': key '{}' has shape {}, expected {}", file_.path(), key, h5::shape_str(arr.shape),
                 h5::shape_str(shapes_.at(key)));
    // A NaN, an infinity or an absurd magnitude would flow silently into every result ("agreement 100 %"
    // with SQNR nan): no trained weight comes near kMaxWeight.
    for (size_t i = 0; i < arr.data.size(); ++i)
      if (!std::isfinite(arr.data[i]) || std::abs(arr.data[i]) > kMaxWeight)
        fail_input("'{}': key '{}' holds {} at flat index {} (weights must be finite and within +-{:g}; "
                   "re-export the model)",
                   file_.path(), key, arr.data[i], i, kMaxWeight);
    return arr;
  }
  static constexpr float kMaxWeight = 1e6f;
  const std::string& path() const { return file_.path(); }
  MatrixRM matrix(const std::string& key, long rows, long cols) const {
    auto arr = raw(key);
    return Eigen::Map<MatrixRM>(arr.data.data(), rows, cols);
  }
  VectorF vector(const std::string& key) const {
    auto arr = raw(key);
    return Eigen::Map<VectorF>(arr.data.data(), long(arr.data.size()));
  }

 private:
  const h5::Reader& file_;
  std::map<std::string, Shape> shapes_;
};

LinearWeights read_linear(const KeyReader& r, const std::string& prefix, long out, long in, bool bias) {
  LinearWeights l;
  l.weight = r.matrix(prefix + ".weight", out, in);
  if (bias) l.bias = r.vector(prefix + ".bias");
  return l;
}

BranchWeights read_branch(const KeyReader& r, const std::string& m, const std::string& sfx,
                          const ModelConfig& c) {
  const long di = c.d_inner(), n = c.d_state, rk = c.dt_rank;
  BranchWeights b;
  b.conv_weight = r.matrix(m + "conv1d" + sfx + ".weight", di, c.d_conv);
  b.conv_bias = r.vector(m + "conv1d" + sfx + ".bias");
  b.x_proj = read_linear(r, m + "x_proj" + sfx, rk + 2 * n, di, false);
  b.dt_proj = read_linear(r, m + "dt_proj" + sfx, di, rk, true);
  MatrixRM a_log = r.matrix(m + (sfx.empty() ? "A_log" : "A_b_log"), di, n);
  b.A = -a_log.array().exp().matrix();  // A = -exp(A_log), as the official mixer computes per call
  if (!b.A.allFinite())
    fail_input("'{}': key '{}' makes A = -exp(A_log) overflow (A_log above {:.1f}); re-export the model", r.path(),
               m + (sfx.empty() ? "A_log" : "A_b_log"), std::log(std::numeric_limits<float>::max()));
  b.D = r.vector(m + "D" + sfx);
  return b;
}

}  // namespace

std::vector<ExpectedKey> expected_keys(const ModelConfig& c) {
  const hsize_t d = c.embed_dim, di = c.d_inner(), n = c.d_state, r = c.dt_rank, k = c.d_conv;
  const hsize_t p = c.patch_size, t = c.tubelet_size;
  std::vector<ExpectedKey> keys = {
      {"patch_embed.proj.weight", {d, hsize_t(c.in_chans), t, p, p}},
      {"patch_embed.proj.bias", {d}},
      {"cls_token", {1, 1, d}},
      {"pos_embed", {1, hsize_t(c.patches_per_frame() + 1), d}},
  };
  if (!c.is_stream()) keys.push_back({"temporal_pos_embedding", {1, hsize_t(c.time_steps()), d}});
  for (int i = 0; i < c.depth; ++i) {
    std::string l = fmt::format("layers.{}.", i), m = l + "mixer.";
    keys.push_back({l + "norm.weight", {d}});
    keys.push_back({m + "in_proj.weight", {2 * di, d}});
    for (std::string sfx : {"", "_b"}) {
      keys.push_back({m + "conv1d" + sfx + ".weight", {di, 1, k}});
      keys.push_back({m + "conv1d" + sfx + ".bias", {di}});
      keys.push_back({m + "x_proj" + sfx + ".weight", {r + 2 * n, di}});
      keys.push_back({m + "dt_proj" + sfx + ".weight", {di, r}});
      keys.push_back({m + "dt_proj" + sfx + ".bias", {di}});
      keys.push_back({m + (sfx.empty() ? "A_log" : "A_b_log"), {di, n}});
      keys.push_back({m + "D" + sfx, {di}});
    }
    keys.push_back({m + "out_proj.weight", {d, di}});
  }
  keys.push_back({"norm_f.weight", {d}});
  keys.push_back({"head.weight", {hsize_t(c.num_classes), d}});
  keys.push_back({"head.bias", {hsize_t(c.num_classes)}});
  return keys;
}

ModelConfig read_model_config(const h5::Reader& f) {
  auto format = f.string_attribute("oasim_format");
  if (!format || *format != kModelFormat)
    fail_input("'{}' is not an oasim model file (root attribute oasim_format = '{}' expected, found {})",
               f.path(), kModelFormat, format ? "'" + *format + "'" : "none");
  auto version = f.int_attribute("format_version");
  if (!version) fail_input("'{}': missing root attribute 'format_version'", f.path());
  if (*version != kModelFormatVersion)
    fail_input("'{}': format_version {} is not supported (this oasim reads version {})", f.path(), *version,
               kModelFormatVersion);
  return read_architecture(f, "");
}

ModelConfig read_architecture(const h5::Reader& f, const std::string& prefix) {
  ModelConfig c;
  auto variant = f.string_attribute(prefix + "variant");
  if (!variant) fail_input("'{}': missing root attribute '{}variant'", f.path(), prefix);
  try {
    c.variant = parse_variant(*variant);
  } catch (const InputError& e) {
    fail_input("'{}': {}", f.path(), e.what());
  }
  for (const char* name : kIntAttributes) {
    auto v = f.int_attribute(prefix + name);
    if (!v) fail_input("'{}': missing root attribute '{}{}' (an integer)", f.path(), prefix, name);
    if (*v > max_attribute(name))
      fail_input("'{}': root attribute '{}{}' = {} is larger than {} (corrupt file?)", f.path(), prefix, name, *v,
                 max_attribute(name));
    *attribute_slot(c, name) = int(std::max(*v, -1L));  // <= 0 is refused by validate() below
  }
  try {
    c.validate();
  } catch (const InputError& e) {
    fail_input("'{}': {}", f.path(), e.what());
  }
  double params = 0;
  for (auto& k : expected_keys(c)) {
    double n = 1;
    for (auto s : k.shape) n *= double(s);
    params += n;
  }
  if (params > kMaxParameters)
    fail_input("'{}': the architecture attributes describe {:.3g} parameters, more than {:.3g} (corrupt file?)",
               f.path(), params, kMaxParameters);
  const double clip = double(c.in_chans) * c.num_frames * double(c.img_size) * c.img_size;
  if (clip > kMaxClipFloats)
    fail_input("'{}': a clip of {} frames of {}x{}x{} is {:.3g} values, more than {:.3g} (corrupt file?)", f.path(),
               c.num_frames, c.in_chans, c.img_size, c.img_size, clip, kMaxClipFloats);
  return c;
}

void write_architecture(h5::Writer& w, const ModelConfig& c, const std::string& prefix) {
  w.attribute(prefix + "variant", std::string(variant_name(c.variant)));
  ModelConfig copy = c;
  for (const char* name : kIntAttributes) w.attribute(prefix + name, long(*attribute_slot(copy, name)));
}

ModelWeights load_model(const std::string& path) {
  h5::Reader f(path);
  ModelWeights w;
  w.config = read_model_config(f);
  const ModelConfig& c = w.config;
  auto keys = expected_keys(c);

  // Presence first, in official order, so the message names the first missing key; then no extras.
  std::set<std::string> expected_names;
  for (auto& k : keys) {
    expected_names.insert(k.name);
    if (!f.has_dataset(k.name)) fail_input("'{}': missing key '{}' (shape {})", path, k.name, h5::shape_str(k.shape));
  }
  for (auto& name : f.root_names()) {
    if (name == "meta" && f.has_group("meta")) continue;
    if (!expected_names.count(name))
      fail_input("'{}': unexpected key '{}' (not part of a {} model with depth {})", path, name,
                 variant_name(c.variant), c.depth);
  }

  KeyReader r(f, keys);
  const long d = c.embed_dim, di = c.d_inner(), n = c.patches_per_frame();
  w.patch_embed = read_linear(r, "patch_embed.proj", d, c.patch_volume(), true);
  w.cls_token = r.matrix("cls_token", 1, d);
  w.pos_embed = r.matrix("pos_embed", n + 1, d);
  if (!c.is_stream()) w.temporal_pos_embed = r.matrix("temporal_pos_embedding", c.time_steps(), d);
  for (int i = 0; i < c.depth; ++i) {
    std::string l = fmt::format("layers.{}.", i), m = l + "mixer.";
    LayerWeights lw;
    lw.norm_weight = r.vector(l + "norm.weight");
    lw.in_proj = read_linear(r, m + "in_proj", 2 * di, d, false);
    lw.fwd = read_branch(r, m, "", c);
    lw.bwd = read_branch(r, m, "_b", c);
    lw.out_proj = read_linear(r, m + "out_proj", d, di, false);
    w.layers.push_back(std::move(lw));
  }
  w.norm_f_weight = r.vector("norm_f.weight");
  w.head = read_linear(r, "head", c.num_classes, d, true);
  if (f.has_dataset("meta/class_names")) {
    w.class_names = f.read_strings("meta/class_names");
    if (long(w.class_names.size()) != c.num_classes)
      fail_input("'{}': meta/class_names has {} names, the head has {} classes", path, w.class_names.size(),
                 c.num_classes);
  }
  if (auto s = f.string_attribute("source")) w.source = *s;
  return w;
}

long ModelWeights::parameter_count() const {
  long total = 0;
  for (auto& k : expected_keys(config)) {
    long n = 1;
    for (auto s : k.shape) n *= long(s);
    total += n;
  }
  return total;
}

}  // namespace oasim::videomamba
