#include "sim/hardware/device_state_export.hpp"

#include "sim/common/h5_file.hpp"
#include "sim/common/normal_sampler.hpp"
#include "sim/common/rng.hpp"
#include "models/components/hardware_config_io.hpp"

namespace oasim::hardware {
namespace {

std::vector<int64_t> to_i64(const std::vector<int>& v) { return {v.begin(), v.end()}; }

void ints(h5::Writer& w, const std::string& name, const std::vector<int64_t>& v) {
  if (!v.empty()) w.ints(name, {hsize_t(v.size())}, v.data());
}

void floats(h5::Writer& w, const std::string& name, const VectorF& v) {
  if (v.size()) w.floats(name, {hsize_t(v.size())}, v.data());
}

void matrix(h5::Writer& w, const std::string& name, const MatrixRM& m) {
  w.floats(name, {hsize_t(m.rows()), hsize_t(m.cols())}, m.data());
}

// Per-site scalars as one-element datasets (HDF5 attribute names cannot hold the site's path).
void scalar(h5::Writer& w, const std::string& name, double v) { w.doubles(name, {1}, &v); }

}  // namespace

void write_device_state(const std::string& path, const OpticalLinearExecutor& exec, const config::HardwareConfig& hw,
                        bool residual_rotation) {
  h5::Writer w(path);
  w.attribute("format", std::string("oasim-device-state"));
  w.attribute("version", 1L);
  w.attribute("hardware_yaml", config::to_yaml(hw));
  w.attribute("recipe", exec.recipe().name);
  w.attribute("residual_rotation", long(residual_rotation));
  for (const std::string& site : exec.site_names()) {
    const optical::OpticalLinearPlan& p = exec.plan(site);
    const std::string g = "sites/" + site + "/";
    matrix(w, g + "codes", p.weights.codes);
    matrix(w, g + "scales", p.weights.scales);
    scalar(w, g + "group_size", p.weights.group_size);
    // The fixed-pattern draw, exactly as make_plan draws it (same stream, same order), and the codes it
    // was applied to, assembled from the plan's passes (what the planes really hold).
    MatrixRM eps(p.out_features, p.in_features);
    NormalSampler(stream_seed(hw.seed, site + "/fixed_pattern")).fill(eps.data(), eps.size());
    matrix(w, g + "fixed_pattern", eps);
    MatrixRM weff(p.out_features, p.in_features);
    for (const auto& c : p.chunks) weff.middleCols(c.k0, c.width) = c.weff;
    matrix(w, g + "effective_codes", weff);
    floats(w, g + "bias", p.bias);
    scalar(w, g + "dac_scale", p.dac_scale);
    scalar(w, g + "adc_full_scale", p.adc_full_scale);
    ints(w, g + "dac_group_bounds", to_i64(p.dac_group_bounds));
    floats(w, g + "dac_group_scales", p.dac_group_scales);
    ints(w, g + "adc_group_bounds", to_i64(p.adc_group_bounds));
    floats(w, g + "adc_group_full_scales", p.adc_group_full_scales);
    const quant::InputTransform& t = exec.transform(site);
    floats(w, g + "transform_smooth", t.smooth);
    // Folded smoothing (dt_proj's, into x_proj's dt rows): the inputs arrive divided already, not online.
    scalar(w, g + "transform_smooth_folded", t.smooth_folded ? 1 : 0);
    scalar(w, g + "transform_block", t.block);
    floats(w, g + "transform_signs", t.signs);
    if (t.perm.size()) ints(w, g + "transform_perm", std::vector<int64_t>(t.perm.data(), t.perm.data() + t.perm.size()));
    scalar(w, g + "outlier_path", exec.has_outlier_path(site));
  }
}

}  // namespace oasim::hardware
