#include "sim/hardware/optical_linear_executor.hpp"

#include <algorithm>
#include <cmath>
#include <functional>

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
    : hw_(hw), recipe_(recipe), dt_rank_(w.config.dt_rank), d_state_(w.config.d_state),
      depth_(int(w.layers.size())), mvm_(hw) {
  if (recipe_.bc_state_groups > d_state_)
    fail_input("{}: quamba2.bc_state_groups = {} exceeds the model's d_state = {}", recipe_.source,
               recipe_.bc_state_groups, d_state_);
  // Quamba's percentile sets x_proj's *static* DAC scale; under per-vector dynamic scales it would do
  // nothing while the recipe says it is applied.
  if (recipe_.ssm_input_percentile > 0 && hw.modulator.scale != config::ActivationScale::Static)
    fail_input("{}: activations.ssm_input_percentile sets x_proj's static DAC scale and does nothing with "
               "modulator.scale: dynamic; drop it or set modulator.scale: static in the recipe's hardware",
               recipe_.source.empty() ? "recipe" : recipe_.source);
  if (recipe_.x_groups > w.config.d_inner())
    fail_input("{}: quamba2.x_groups = {} exceeds x_proj's {} input channels", recipe_.source, recipe_.x_groups,
               w.config.d_inner());
  auto add = [&](LinearSite site, const videomamba::LinearWeights& lw) {
    Site s;
    s.where = site;
    s.weights = &lw;
    s.noise = std::make_unique<NoiseStream>(stream_seed(run_seed, site.name() + "/detector_noise"));
    if (quant::in_set(recipe_.hadamard_sites, site.kind))
      s.transform = quant::make_rotation(lw.in_features(), stream_seed(recipe_.rotation_seed, site.name() + "/rotation"));
    s.outliers = recipe_.outliers.threshold > 0 && quant::in_set(recipe_.outlier_sites, site.kind);
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
  MatrixRM wt = s.transform.identity() && !s.transform.smooth_folded ? s.weights->weight
                                                                     : s.transform.weight(s.weights->weight);
  VectorF bias = s.weights->bias;
  if (s.out_divisor.size()) {  // x_proj's dt rows divided by dt_proj's smoothing (folded offline)
    wt.array().colwise() /= s.out_divisor.array();
    if (bias.size()) bias.array() /= s.out_divisor.array();
  }
  optical::QuantizedWeights q;
  if (recipe_.weights == quant::WeightMethod::Gptq && with_stats && s.xtx.size())
    q = quant::quantize_gptq(wt, s.transform.xtx(s.xtx), wp.weight_bits, group, recipe_.gptq_damping,
                             recipe_.gptq_act_order, recipe_.clip_search, s.where.name());
  else if (recipe_.clip_search)
    q = quant::quantize_rtn_clip_search(wt, wp.weight_bits, group);
  else
    q = optical::quantize_weights_rtn(wt, wp.weight_bits, group);
  const int in = s.weights->in_features();
  s.plan = std::make_unique<optical::OpticalLinearPlan>(optical::make_plan(
      s.where.name(), std::move(q), bias, hw_, quant::x_group_bounds(recipe_, s.where.kind, in)));
  s.plan->adc_group_bounds = quant::bc_group_bounds(recipe_, s.where.kind, dt_rank_, d_state_);
}

int OpticalLinearExecutor::stats_stages() const {
  return recipe_.gptq_sequential && recipe_.weights == quant::WeightMethod::Gptq ? depth_ + 2 : 1;
}

int OpticalLinearExecutor::stage_of(const Site& s) const {
  if (stats_stages() == 1) return 0;
  if (s.where.kind == LinearKind::PatchEmbed) return 0;
  if (s.where.kind == LinearKind::Head) return depth_ + 1;
  return s.where.layer + 1;
}

void OpticalLinearExecutor::begin_stats_stage(int stage) { stats_stage_ = stage; }

void OpticalLinearExecutor::finish_stats_stage(int stage) {
  finish_stats_of([&](const Site& s) { return stage_of(s) == stage; });
  for (auto& [name, s] : sites_)
    if (stage_of(s) == stage && stage + 1 < stats_stages()) s.prefix_weight = s.plan->weights.dequantized();
  if (stage + 1 == stats_stages())
    for (auto& [name, s] : sites_) s.prefix_weight.resize(0, 0);
}

void OpticalLinearExecutor::finish_stats() {
  finish_stats_of([](const Site&) { return true; });
}

void OpticalLinearExecutor::finish_stats_of(const std::function<bool(const Site&)>& which) {
  for (auto& [name, s] : sites_) {
    if (!which(s)) continue;
    if (recipe_.smooth_alpha > 0 && quant::in_set(recipe_.smooth_sites, s.where.kind) && s.absmax.size()) {
      // Smoothing first, then the rotation (if any) on the smoothed inputs.
      quant::InputTransform t = s.transform;
      t.smooth = quant::smooth_scales(s.absmax, s.weights->weight, recipe_.smooth_alpha);
      s.transform = t;
    }
    // Quamba2: channels sorted by calibration max so that each contiguous group has a narrow range.
    if (!quant::x_group_bounds(recipe_, s.where.kind, s.weights->in_features()).empty() && s.absmax.size())
      s.transform.perm = quant::sort_by_magnitude(s.absmax);
  }
  fold_dt_smoothing();
  for (auto& [name, s] : sites_) {
    if (!which(s)) continue;
    build_plan(s, true);
    s.xtx.resize(0, 0);
  }
}

void OpticalLinearExecutor::fold_dt_smoothing() {
  // dt_proj's input is x_proj's first dt_rank outputs: dividing those rows of x_proj (and their bias) by
  // s is exact and free, and it is what the hardware runs, so x_proj's ADC range sees the folded values.
  for (auto& [name, s] : sites_) {
    if (s.where.kind != LinearKind::DtProj || s.transform.smooth.size() == 0) continue;
    s.transform.smooth_folded = true;
    Site& producer = sites_.at(LinearSite{LinearKind::XProj, s.where.layer, s.where.dir}.name());
    producer.out_divisor = VectorF::Ones(producer.weights->out_features());
    producer.out_divisor.head(s.transform.smooth.size()) = s.transform.smooth;
  }
}

void OpticalLinearExecutor::exact_output(const Site& s, const videomamba::LinearWeights& w, const MatrixRM& x,
                                         MatrixRM& y) const {
  if (s.transform.smooth_folded) {  // inputs arrive divided by s: the fp32 layer sees them restored
    MatrixRM restored = x;
    restored.array().rowwise() *= s.transform.smooth.transpose().array();
    videomamba::linear_fp32(w, restored, y);
  } else {
    videomamba::linear_fp32(w, x, y);
  }
  if (s.out_divisor.size()) y.array().rowwise() /= s.out_divisor.transpose().array();
}

void OpticalLinearExecutor::apply(const LinearSite& site, const videomamba::LinearWeights& w, const MatrixRM& x,
                                  MatrixRM& y) {
  const std::string name = site.name();
  auto it = sites_.find(name);
  if (it == sites_.end()) throw std::logic_error("no optical plan for " + name);
  Site& s = it->second;
  SiteStats& st = stats_.at(name);
  if (mode_ == Mode::CollectStats) {
    if (s.prefix_weight.size()) {  // sequential GPTQ: a quantized earlier stage, fp32 activations
      MatrixRM xt = x;
      s.transform.apply(xt);
      y = xt * s.prefix_weight.transpose();
      if (s.plan->bias.size()) y.rowwise() += s.plan->bias.transpose();
      return;
    }
    videomamba::linear_fp32(w, x, y);
    if (stage_of(s) != stats_stage_) return;  // sequential GPTQ: a later stage, not yet collected
    if (s.absmax.size() != x.cols()) s.absmax = VectorF::Zero(x.cols());
    s.absmax = s.absmax.cwiseMax(x.cwiseAbs().colwise().maxCoeff().transpose());
    if (recipe_.weights == quant::WeightMethod::Gptq) {
      if (s.xtx.size() == 0) s.xtx = Eigen::MatrixXd::Zero(x.cols(), x.cols());
      s.xtx.noalias() += x.cast<double>().transpose() * x.cast<double>();
    }
    return;
  }
  // What the modulators see: the recipe's transforms, then the outlier channels taken out. Outside Run
  // mode the layers run in fp32 without the dt fold (x_proj's outputs are plain), so dt_proj divides itself.
  const bool run = mode_ == Mode::Run;
  const MatrixRM* in = &x;
  MatrixRM xt, digital;
  quant::OnlineCost work;
  if (!s.transform.identity() || s.transform.smooth_folded || s.outliers) {
    xt = x;
    double smooth_muls = 0;
    if (run || !s.transform.smooth_folded) {
      s.transform.apply(xt, &work.adds, &smooth_muls);
    } else {
      quant::InputTransform unfolded = s.transform;
      unfolded.smooth_folded = false;
      unfolded.apply(xt);
    }
    // The division by s is computed here for every smoothed site; on the hardware it runs online only
    // where no norm weight or producer row takes it.
    if (quant::smoothing_online(recipe_, site.kind)) work.muls += smooth_muls;
    in = &xt;
    if (s.outliers) {
      quant::OutlierWork ow;
      digital = quant::split_outliers(recipe_.outliers, s.plan->weights, xt, ow);
      work.adds += ow.adds;
      work.muls += ow.muls;
      work.nonlinear += ow.nonlinear;
      work.sram_bytes_read += ow.sram_bytes_read;
      if (run) {
        st.outlier_channels += ow.channels;
        st.outlier_capped_tokens += ow.capped_tokens;
      }
    }
  }
  if (mode_ != Mode::Run) {
    videomamba::linear_fp32(w, x, y);
    if (mode_ == Mode::CollectDac) {
      if (s.plan->dac_group_bounds.empty()) s.calib.add(s.calib.dac_abs, in->data(), in->size());
      else s.calib.add_groups(s.calib.dac_abs_groups, *in, s.plan->dac_group_bounds);
    } else {
      optical::MvmMode m{false, false, &s.calib};
      mvm_.collect_adc_samples(*s.plan, *in, *s.noise, m);
    }
    return;
  }
  optical::MvmMode run_mode;
  run_mode.count_light = true;  // photons per output in the report, whatever the noise model
  run_mode.analog_gain = s.analog_gain;
  run_mode.calibrated_gain = s.calibrated_gain;
  mvm_.run(*s.plan, *in, y, *s.noise, st.counts, run_mode);
  if (s.outliers) y += digital;
  // Quamba2 groups under dynamic DAC scales: one reciprocal per extra group and vector.
  if (s.plan->dac_groups() > 1 && hw_.modulator.scale == config::ActivationScale::Dynamic)
    work.muls += double(x.rows()) * (s.plan->dac_groups() - 1);
  st.recipe_work.adds += work.adds;
  st.recipe_work.muls += work.muls;
  st.recipe_work.nonlinear += work.nonlinear;
  st.recipe_work.sram_bytes_read += work.sram_bytes_read;
  st.vectors += double(x.rows());
  ++st.calls;
  if (measure_sqnr_) {
    MatrixRM exact;
    exact_output(s, w, x, exact);
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

std::map<std::string, uint64_t> OpticalLinearExecutor::noise_positions() const {
  std::map<std::string, uint64_t> p;
  for (auto& [name, s] : sites_) p[name] = s.noise->position();
  return p;
}

void OpticalLinearExecutor::set_noise_positions(const std::map<std::string, uint64_t>& positions,
                                                const std::string& source) {
  for (auto& [name, pos] : positions)
    if (!sites_.count(name)) fail_input("{}: noise position for site '{}', which this model does not have", source, name);
  for (auto& [name, s] : sites_) {
    auto it = positions.find(name);
    if (it == positions.end()) fail_input("{}: no noise position for site '{}'", source, name);
    s.noise->seek(it->second);
  }
}

std::vector<std::string> OpticalLinearExecutor::site_names() const {
  std::vector<std::string> names;
  for (auto& [name, s] : sites_) names.push_back(name);
  return names;
}

void OpticalLinearExecutor::reset_stats() {
  for (auto& [name, s] : stats_) s = SiteStats{};
}

void OpticalLinearExecutor::set_drift(hw::DeviceDrift& drift, double t_s, int optical_cores) {
  for (auto& [name, s] : sites_) {
    const int core = s.where.dir == videomamba::Direction::Backward ? 1 % optical_cores : 0;
    s.analog_gain = float(drift.gain(name, core, t_s));
  }
}

void OpticalLinearExecutor::recalibrate_gains() {
  for (auto& [name, s] : sites_) s.calibrated_gain = s.analog_gain > 0 ? s.analog_gain : 1.0f;
}

double OpticalLinearExecutor::max_gain_deviation() const {
  double worst = 0;
  for (const auto& [name, s] : sites_) worst = std::max(worst, std::abs(double(s.analog_gain / s.calibrated_gain) - 1.0));
  return worst;
}

}  // namespace oasim::hardware
