#include "workloads/quant/recipe.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <set>

#include "sim/common/error.hpp"
#include "sim/common/yaml_file.hpp"

namespace oasim::quant {
namespace {

using videomamba::LinearKind;

constexpr std::array<LinearKind, 6> kKinds{LinearKind::PatchEmbed, LinearKind::InProj,  LinearKind::XProj,
                                           LinearKind::DtProj,     LinearKind::OutProj, LinearKind::Head};

int line_of(const YAML::Node& n) { return n.Mark().line + 1; }

void check_keys(const YAML::Node& map, const std::set<std::string>& allowed, const std::string& file,
                const std::string& where) {
  if (!map.IsMap()) fail_input("{}:{}: '{}' must be a mapping", file, line_of(map), where);
  for (auto it = map.begin(); it != map.end(); ++it) {
    const std::string k = it->first.as<std::string>();
    if (!allowed.count(k)) {
      std::string list;
      for (auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
      fail_input("{}:{}: unknown key '{}' under '{}' (expected one of: {})", file, line_of(it->first), k, where, list);
    }
  }
}

double number(const YAML::Node& n, const std::string& file, const std::string& key, double lo, double hi) {
  if (!n.IsScalar()) fail_input("{}:{}: '{}': expected a number in [{}, {}]", file, line_of(n), key, lo, hi);
  try {
    size_t used = 0;
    double v = std::stod(n.Scalar(), &used);
    if (used == n.Scalar().size() && v >= lo && v <= hi) return v;
  } catch (const std::exception&) {
  }
  fail_input("{}:{}: '{}' = '{}': expected a number in [{}, {}]", file, line_of(n), key, n.Scalar(), lo, hi);
}

int integer(const YAML::Node& n, const std::string& file, const std::string& key, int lo, int hi) {
  const double v = number(n, file, key, lo, hi);
  if (v != std::floor(v)) fail_input("{}:{}: '{}' = '{}': expected an integer in [{}, {}]", file, line_of(n), key, n.Scalar(), lo, hi);
  return int(v);
}

bool boolean(const YAML::Node& n, const std::string& file, const std::string& key) {
  if (n.IsScalar() && (n.Scalar() == "true" || n.Scalar() == "false")) return n.Scalar() == "true";
  fail_input("{}:{}: '{}': expected true or false", file, line_of(n), key);
}

SiteSet sites(const YAML::Node& n, const std::string& file, const std::string& key) {
  SiteSet s{};
  if (!n.IsSequence() || n.size() == 0)
    fail_input("{}:{}: '{}': expected a list of Linear kinds (patch_embed, in_proj, x_proj, dt_proj, out_proj, head)",
               file, line_of(n), key);
  for (const auto& v : n) {
    bool found = false;
    for (size_t i = 0; i < kKinds.size(); ++i)
      if (v.IsScalar() && v.Scalar() == kind_key(kKinds[i])) s[i] = found = true;
    if (!found)
      fail_input("{}:{}: '{}': unknown Linear kind '{}' (expected patch_embed, in_proj, x_proj, dt_proj, out_proj, "
                 "head)", file, line_of(v), key, v.IsScalar() ? v.Scalar() : "?");
  }
  return s;
}

}  // namespace

bool in_set(const SiteSet& s, LinearKind k) {
  for (size_t i = 0; i < kKinds.size(); ++i)
    if (kKinds[i] == k) return s[i];
  return false;
}

const char* kind_key(LinearKind k) {
  switch (k) {
    case LinearKind::PatchEmbed: return "patch_embed";
    case LinearKind::InProj: return "in_proj";
    case LinearKind::XProj: return "x_proj";
    case LinearKind::DtProj: return "dt_proj";
    case LinearKind::OutProj: return "out_proj";
    case LinearKind::Head: return "head";
  }
  return "?";
}

int hadamard_block(int n) {
  int b = 1;
  while (n % (b * 2) == 0) b *= 2;
  return b;
}

bool smoothing_online(const Recipe& r, LinearKind k) {
  if (!(r.smooth_alpha > 0 && in_set(r.smooth_sites, k))) return false;
  if (k == LinearKind::DtProj) return false;
  if (k == LinearKind::InProj || k == LinearKind::Head) return r.residual_rotation;
  return true;
}

OnlineCost online_cost(const Recipe& r, LinearKind k, int in, int out, bool dynamic_dac, int weight_bits) {
  OnlineCost c;
  if (smoothing_online(r, k)) c.muls += in;  // one multiply by 1/s per input
  // FWHT butterflies; its 1/sqrt(block) and the random signs fold into W' (scale-invariant converters).
  if (in_set(r.hadamard_sites, k)) c.adds += double(in) * std::log2(double(hadamard_block(in)));
  if (r.outliers.threshold > 0 && in_set(r.outlier_sites, k)) {
    const OutlierWork w = outlier_cost(r.outliers, in, out, weight_bits);
    c.adds += w.adds;
    c.muls += w.muls;
    c.nonlinear += w.nonlinear;
    c.sram_bytes_read += w.sram_bytes_read;
  }
  // Quamba2 groups: the permutation is offline (free) and the max-reduction covers the same inputs; a
  // dynamic scale per group costs one reciprocal per extra group. The extra optical passes the groups
  // need (one ADC sample per group) are counted by the compiler's chunking. Static group scales and
  // per-group ADC ranges fold into the existing per-output rescale: free.
  if (r.x_groups > 1 && k == LinearKind::XProj && dynamic_dac) c.muls += r.x_groups - 1;
  return c;
}

Recipe load_recipe(const std::string& path) {
  const YAML::Node root = load_yaml_file(path, "recipe");
  if (!root.IsMap()) fail_input("{}: expected a mapping (name, hardware, weights, activations, ...)", path);
  check_keys(root, {"name", "hardware", "weights", "activations", "smoothquant", "hadamard", "outliers", "quamba2",
                    "residual_rotation"},
             path, "top level");
  Recipe r;
  r.source = path;
  r.name = root["name"] ? root["name"].as<std::string>() : std::filesystem::path(path).stem().string();
  if (auto hw = root["hardware"]) {
    if (!hw.IsMap()) fail_input("{}:{}: 'hardware' must map hardware keys to values", path, line_of(hw));
    for (auto it = hw.begin(); it != hw.end(); ++it) {
      if (!it->second.IsScalar())
        fail_input("{}:{}: hardware.{}: expected a single value", path, line_of(it->first), it->first.as<std::string>());
      r.hardware.emplace_back(it->first.as<std::string>(), it->second.Scalar());
    }
  }
  if (auto w = root["weights"]) {
    check_keys(w, {"method", "clip_search", "damping", "act_order", "sequential"}, path, "weights");
    if (auto m = w["method"]) {
      const std::string v = m.as<std::string>();
      if (v == "rtn") r.weights = WeightMethod::Rtn;
      else if (v == "gptq") r.weights = WeightMethod::Gptq;
      else fail_input("{}:{}: weights.method = '{}': expected rtn or gptq", path, line_of(m), v);
    }
    if (w["clip_search"]) r.clip_search = boolean(w["clip_search"], path, "weights.clip_search");
    if (w["damping"]) r.gptq_damping = number(w["damping"], path, "weights.damping", 0, 10);
    if (w["act_order"]) r.gptq_act_order = boolean(w["act_order"], path, "weights.act_order");
    if (w["sequential"]) r.gptq_sequential = boolean(w["sequential"], path, "weights.sequential");
    if (r.weights == WeightMethod::Rtn && (w["damping"] || w["act_order"] || w["sequential"]))
      fail_input("{}:{}: weights.damping / act_order / sequential apply to method gptq only", path, line_of(w));
  }
  if (auto a = root["activations"]) {
    check_keys(a, {"ssm_input_percentile"}, path, "activations");
    if (a["ssm_input_percentile"])
      r.ssm_input_percentile = number(a["ssm_input_percentile"], path, "activations.ssm_input_percentile", 50, 100);
  }
  if (auto s = root["smoothquant"]) {
    check_keys(s, {"alpha", "sites"}, path, "smoothquant");
    if (!s["alpha"] || !s["sites"]) fail_input("{}:{}: smoothquant needs 'alpha' and 'sites'", path, line_of(s));
    r.smooth_alpha = number(s["alpha"], path, "smoothquant.alpha", 0.01, 1);
    r.smooth_sites = sites(s["sites"], path, "smoothquant.sites");
  }
  if (auto h = root["hadamard"]) {
    check_keys(h, {"sites", "seed"}, path, "hadamard");
    if (!h["sites"]) fail_input("{}:{}: hadamard needs 'sites'", path, line_of(h));
    r.hadamard_sites = sites(h["sites"], path, "hadamard.sites");
    if (h["seed"]) r.rotation_seed = uint64_t(number(h["seed"], path, "hadamard.seed", 0, 1e15));
  }
  if (auto o = root["outliers"]) {
    check_keys(o, {"threshold", "momentum", "max_channels", "activation_bits", "sites"}, path, "outliers");
    if (!o["threshold"] || !o["max_channels"] || !o["sites"])
      fail_input("{}:{}: outliers needs 'threshold', 'max_channels' (the per-token budget the digital unit is "
                 "provisioned for) and 'sites'", path, line_of(o));
    r.outliers.threshold = number(o["threshold"], path, "outliers.threshold", 1, 1000);
    if (o["momentum"]) r.outliers.momentum = number(o["momentum"], path, "outliers.momentum", 0, 0.999);
    r.outliers.max_channels = integer(o["max_channels"], path, "outliers.max_channels", 1, 4096);
    if (o["activation_bits"])
      r.outliers.activation_bits = integer(o["activation_bits"], path, "outliers.activation_bits", 2, 24);
    r.outlier_sites = sites(o["sites"], path, "outliers.sites");
  }
  if (auto q = root["quamba2"]) {
    check_keys(q, {"x_groups", "bc_state_groups"}, path, "quamba2");
    if (!q["x_groups"] && !q["bc_state_groups"])
      fail_input("{}:{}: quamba2 needs 'x_groups' and/or 'bc_state_groups'", path, line_of(q));
    if (q["x_groups"]) r.x_groups = integer(q["x_groups"], path, "quamba2.x_groups", 2, 64);
    if (q["bc_state_groups"])
      r.bc_state_groups = integer(q["bc_state_groups"], path, "quamba2.bc_state_groups", 1, 64);
    // Sorting groups by channel magnitude only makes sense on the channels the DAC sees unmixed: a
    // rotation spreads every channel over the others, smoothing divides the magnitudes away.
    if (r.x_groups > 0 && (in_set(r.hadamard_sites, LinearKind::XProj) ||
                           (r.smooth_alpha > 0 && in_set(r.smooth_sites, LinearKind::XProj))))
      fail_input("{}:{}: quamba2.x_groups cannot be combined with hadamard or smoothquant on x_proj (they flatten "
                 "the channel magnitudes the groups sort by); drop x_proj from those sites", path, line_of(q["x_groups"]));
  }
  if (auto rr = root["residual_rotation"]) {
    check_keys(rr, {"seed"}, path, "residual_rotation");
    r.residual_rotation = true;
    if (rr["seed"]) r.residual_rotation_seed = uint64_t(integer(rr["seed"], path, "residual_rotation.seed", 0, 1 << 30));
    // in_proj and head read the rotated stream already: an online Hadamard there would only add FWHT work.
    if (in_set(r.hadamard_sites, LinearKind::InProj) || in_set(r.hadamard_sites, LinearKind::Head))
      fail_input("{}:{}: residual_rotation already rotates the inputs of in_proj and head offline; drop them from "
                 "hadamard.sites (patch_embed, x_proj, dt_proj, out_proj may stay)", path, line_of(rr));
  }
  return r;
}

}  // namespace oasim::quant
