#include "sim/hardware/optical_linear_executor.hpp"

#include <algorithm>
#include <cmath>

#include "sim/common/error.hpp"
#include "sim/common/rng.hpp"
#include "workloads/quant/quamba2_groups.hpp"
#include "workloads/quant/weight_methods.hpp"

namespace oasim::hardware {

using videomamba::LinearKind;
using videomamba::LinearSite;

double SiteStats::sqnr_db() const {
  if (error_power <= 0) return 300.0;  // exact: report a large finite number, not inf, in JSON
  return 10.0 * std::log10(signal_power / error_power);
}

float percentile(std::vector<float>& v, double p) {
  if (v.empty()) return 0.0f;
  size_t k = size_t(std::clamp(p / 100.0, 0.0, 1.0) * double(v.size() - 1));
  std::nth_element(v.begin(), v.begin() + long(k), v.end());
  return v[k];
}

OpticalLinearExecutor::OpticalLinearExecutor(const videomamba::ModelWeights& w, const config::HardwareConfig& hw,
                                             uint64_t run_seed, const quant::Recipe& recipe)
    : hw_(hw), recipe_(recipe), dt_rank_(w.config.dt_rank), d_state_(w.config.d_state), mvm_(hw) {
  if (recipe_.bc_state_groups > d_state_)
    fail_input("{}: quamba2.bc_state_groups = {} exceeds the model's d_state = {}", recipe_.source,
               recipe_.bc_state_groups, d_state_);
  if (recipe_.x_groups > w.config.d_inner())
    fail_input("{}: quamba2.x_groups = {} exceeds x_proj's {} input channels", recipe_.source, recipe_.x_groups,
               w.config.d_inner());
  auto add = [&](LinearSite site, const videomamba::LinearWeights& lw) {
    Site s;
    s.where = site;
    s.weights = &lw;
    s.noise = std::make_unique<NormalSampler>(stream_seed(run_seed, site.name() + "/detector_noise"));
    if (quant::in_set(recipe_.hadamard_sites, site.kind))
      s.transform = quant::make_rotation(lw.in_features(), stream_seed(recipe_.rotation_seed, site.name() + "/rotation"));
    s.outliers = recipe_.outlier_threshold > 0 && quant::in_set(recipe_.outlier_sites, site.kind);
    build_plan(s, false);
    stats_[site.name()];
    sites_.emplace(site.name(), std::move(s));
  };
  using videomamba::Direction;
  add({LinearKind::PatchEmbed}, w.patch_embed);
  for (int i = 0; i < int(w.layers.size()); ++i) {
    const auto& l = w.layers[i];
    add({LinearKind::InProj, i}, l.in_proj);
    add({LinearKind::XProj, i, Direction::Forward}, l.fwd.x_proj);
    add({LinearKind::DtProj, i, Direction::Forward}, l.fwd.dt_proj);
    add({LinearKind::XProj, i, Direction::Backward}, l.bwd.x_proj);
    add({LinearKind::DtProj, i, Direction::Backward}, l.bwd.dt_proj);
    add({LinearKind::OutProj, i}, l.out_proj);
  }
  add({LinearKind::Head}, w.head);
}

void OpticalLinearExecutor::build_plan(Site& s, bool with_stats) {
  const auto& wp = hw_.weight_plane;
  const int group = wp.scale == config::WeightScale::Group ? wp.group_size : 0;
  const MatrixRM wt = s.transform.identity() ? s.weights->weight : s.transform.weight(s.weights->weight);
  optical::QuantizedWeights q;
  if (recipe_.weights == quant::WeightMethod::Gptq && with_stats && s.xtx.size())
    q = quant::quantize_gptq(wt, s.transform.xtx(s.xtx), wp.weight_bits, group, recipe_.gptq_damping,
                             recipe_.gptq_act_order, recipe_.clip_search);
  else if (recipe_.clip_search)
    q = quant::quantize_rtn_clip_search(wt, wp.weight_bits, group);
  else
    q = optical::quantize_weights_rtn(wt, wp.weight_bits, group);
  const int in = s.weights->in_features();
  s.plan = std::make_unique<optical::OpticalLinearPlan>(optical::make_plan(
      s.where.name(), std::move(q), s.weights->bias, hw_, quant::x_group_bounds(recipe_, s.where.kind, in)));
  s.plan->adc_group_bounds = quant::bc_group_bounds(recipe_, s.where.kind, dt_rank_, d_state_);
  if (s.outliers) s.digital_weight = wt;
}

void OpticalLinearExecutor::finish_stats() {
  for (auto& [name, s] : sites_) {
    if (recipe_.smooth_alpha > 0 && quant::in_set(recipe_.smooth_sites, s.where.kind) && s.absmax.size()) {
      // Smoothing first, then the rotation (if any) on the smoothed inputs.
      quant::InputTransform t = s.transform;
      t.smooth = quant::smooth_scales(s.absmax, s.weights->weight, recipe_.smooth_alpha);
      s.transform = t;
    }
    // Quamba2: channels sorted by calibration max so that each contiguous group has a narrow range.
    if (!quant::x_group_bounds(recipe_, s.where.kind, s.weights->in_features()).empty() && s.absmax.size())
      s.transform.perm = quant::sort_by_magnitude(s.absmax);
    build_plan(s, true);
    s.xtx.resize(0, 0);
  }
}

MatrixRM OpticalLinearExecutor::split_outliers(Site& s, SiteStats& st, MatrixRM& x) const {
  const long L = x.rows(), K = x.cols();
  MatrixRM out = MatrixRM::Zero(L, s.digital_weight.rows());
  for (long t = 0; t < L; ++t) {
    // The largest first, up to the per-token budget the digital unit is provisioned for.
    const auto picked = quant::outlier_channels(x.row(t).data(), K, recipe_.outlier_threshold,
                                                recipe_.outlier_max_channels);
    for (long k : picked) {
      out.row(t) += x(t, k) * s.digital_weight.col(k).transpose();
      x(t, k) = 0;
    }
    st.outlier_channels += double(picked.size());
  }
  st.vectors += double(L);
  return out;
}

void OpticalLinearExecutor::apply(const LinearSite& site, const videomamba::LinearWeights& w, const MatrixRM& x,
                                  MatrixRM& y) {
  const std::string name = site.name();
  auto it = sites_.find(name);
  if (it == sites_.end()) throw std::logic_error("no optical plan for " + name);
  Site& s = it->second;
  SiteStats& st = stats_.at(name);
  if (mode_ == Mode::CollectStats) {
    videomamba::linear_fp32(w, x, y);
    if (s.absmax.size() != x.cols()) s.absmax = VectorF::Zero(x.cols());
    s.absmax = s.absmax.cwiseMax(x.cwiseAbs().colwise().maxCoeff().transpose());
    if (recipe_.weights == quant::WeightMethod::Gptq) {
      if (s.xtx.size() == 0) s.xtx = Eigen::MatrixXd::Zero(x.cols(), x.cols());
      s.xtx.noalias() += x.cast<double>().transpose() * x.cast<double>();
    }
    return;
  }
  // What the modulators see: the recipe's transforms, then the outlier channels taken out.
  const MatrixRM* in = &x;
  MatrixRM xt, digital;
  if (!s.transform.identity() || s.outliers) {
    xt = x;
    s.transform.apply(xt);
    in = &xt;
    if (s.outliers) {
      SiteStats scratch;
      digital = split_outliers(s, mode_ == Mode::Run ? st : scratch, xt);
    }
  }
  if (mode_ != Mode::Run) {
    videomamba::linear_fp32(w, x, y);
    if (mode_ == Mode::CollectDac) {
      if (s.plan->dac_group_bounds.empty()) s.calib.add(s.calib.dac_abs, in->data(), in->size());
      else s.calib.add_groups(s.calib.dac_abs_groups, *in, s.plan->dac_group_bounds);
    } else {
      MatrixRM discard;
      energy::ActionCounts ignore;
      optical::MvmMode m{false, false, &s.calib};
      mvm_.run(*s.plan, *in, discard, *s.noise, ignore, m);
    }
    return;
  }
  optical::MvmMode run_mode;
  run_mode.count_light = true;  // photons per output in the report, whatever the noise model
  mvm_.run(*s.plan, *in, y, *s.noise, st.counts, run_mode);
  if (s.outliers) y += digital;
  ++st.calls;
  if (measure_sqnr_) {
    MatrixRM exact;
    videomamba::linear_fp32(w, x, exact);
    st.signal_power += exact.squaredNorm();
    st.error_power += (y - exact).squaredNorm();
  }
}

bool OpticalLinearExecutor::needs_dac_calibration() const {
  return hw_.modulator.scale == config::ActivationScale::Static;
}
bool OpticalLinearExecutor::needs_adc_calibration() const { return hw_.adc.range == config::AdcRange::Static; }

void OpticalLinearExecutor::finish_dac_calibration() {
  for (auto& [name, s] : sites_) {
    // Quamba: the SSM input (x_proj's input) gets its own, usually lower, percentile.
    const double pct = s.where.kind == LinearKind::XProj && recipe_.ssm_input_percentile > 0
                           ? recipe_.ssm_input_percentile
                           : hw_.modulator.static_percentile;
    auto scale = [&](std::vector<float>& samples) {
      const float p = percentile(samples, pct);
      samples.clear();
      return p > 0 ? p / float(mvm_.dac_levels()) : 1.0f;
    };
    s.plan->dac_scale = scale(s.calib.dac_abs);
    if (!s.plan->dac_group_bounds.empty()) {  // Quamba2: one static scale per sorted channel group
      s.calib.dac_abs_groups.resize(size_t(s.plan->dac_groups()));
      s.plan->dac_group_scales.resize(s.plan->dac_groups());
      for (int g = 0; g < s.plan->dac_groups(); ++g) s.plan->dac_group_scales[g] = scale(s.calib.dac_abs_groups[size_t(g)]);
    }
  }
}

void OpticalLinearExecutor::finish_adc_calibration() {
  for (auto& [name, s] : sites_) {
    auto range = [&](std::vector<float>& samples) {
      const float p = percentile(samples, hw_.adc.calibration_percentile);
      samples.clear();
      return p > 0 ? p : 1.0f;
    };
    s.plan->adc_full_scale = range(s.calib.adc_abs);
    if (!s.plan->adc_group_bounds.empty()) {  // Quamba2: dt, and each state group of B and of C
      s.calib.adc_abs_groups.resize(size_t(s.plan->adc_groups()));
      s.plan->adc_group_full_scales.resize(s.plan->adc_groups());
      for (int g = 0; g < s.plan->adc_groups(); ++g)
        s.plan->adc_group_full_scales[g] = range(s.calib.adc_abs_groups[size_t(g)]);
    }
  }
}

energy::ActionCounts OpticalLinearExecutor::total_counts() const {
  energy::ActionCounts t;
  for (auto& [name, s] : stats_) t += s.counts;
  return t;
}

std::vector<std::string> OpticalLinearExecutor::site_names() const {
  std::vector<std::string> names;
  for (auto& [name, s] : sites_) names.push_back(name);
  return names;
}

void OpticalLinearExecutor::reset_stats() {
  for (auto& [name, s] : stats_) s = SiteStats{};
}

}  // namespace oasim::hardware
