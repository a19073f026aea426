#include "sim/hardware/optical_linear_executor.hpp"

#include <algorithm>
#include <cmath>

#include "sim/common/error.hpp"
#include "sim/common/rng.hpp"

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
                                             uint64_t run_seed)
    : hw_(hw), mvm_(hw) {
  auto add = [&](LinearSite site, const videomamba::LinearWeights& lw) {
    Site s;
    s.plan = std::make_unique<optical::OpticalLinearPlan>(optical::make_plan(site.name(), lw.weight, lw.bias, hw));
    s.noise = std::make_unique<NormalSampler>(stream_seed(run_seed, site.name() + "/detector_noise"));
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

void OpticalLinearExecutor::apply(const LinearSite& site, const videomamba::LinearWeights& w, const MatrixRM& x,
                                  MatrixRM& y) {
  const std::string name = site.name();
  auto it = sites_.find(name);
  if (it == sites_.end()) throw std::logic_error("no optical plan for " + name);
  Site& s = it->second;
  SiteStats& st = stats_.at(name);
  if (mode_ != Mode::Run) {
    videomamba::linear_fp32(w, x, y);
    if (mode_ == Mode::CollectDac) {
      s.calib.add(s.calib.dac_abs, x.data(), x.size());
    } else {
      MatrixRM discard;
      energy::ActionCounts ignore;
      optical::MvmMode m{false, false, &s.calib};
      mvm_.run(*s.plan, x, discard, *s.noise, ignore, m);
    }
    return;
  }
  mvm_.run(*s.plan, x, y, *s.noise, st.counts, optical::MvmMode{});
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
    float p = percentile(s.calib.dac_abs, hw_.modulator.static_percentile);
    s.plan->dac_scale = p > 0 ? p / float(mvm_.dac_levels()) : 1.0f;
    s.calib.dac_abs.clear();
  }
}

void OpticalLinearExecutor::finish_adc_calibration() {
  for (auto& [name, s] : sites_) {
    float p = percentile(s.calib.adc_abs, hw_.adc.calibration_percentile);
    s.plan->adc_full_scale = p > 0 ? p : 1.0f;
    s.calib.adc_abs.clear();
  }
}

energy::ActionCounts OpticalLinearExecutor::total_counts() const {
  energy::ActionCounts t;
  for (auto& [name, s] : stats_) t += s.counts;
  return t;
}

void OpticalLinearExecutor::reset_stats() {
  for (auto& [name, s] : stats_) s = SiteStats{};
}

}  // namespace oasim::hardware
