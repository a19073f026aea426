#include "models/components/drift.hpp"

#include <algorithm>
#include <cmath>

#include "sim/common/rng.hpp"

namespace oasim::hw {
namespace {
constexpr double kTwoPi = 6.283185307179586;
// Percent per sqrt(minute) -> fraction per sqrt(second).
double per_sqrt_s(double pct_per_sqrt_min) { return pct_per_sqrt_min / 100.0 / std::sqrt(60.0); }
double random_phase(uint64_t seed) { return kTwoPi * NormalSampler(seed).uniform(); }
}  // namespace

DriftSpec laser_drift(const config::HardwareConfig& hw) {
  return {per_sqrt_s(hw.laser.drift_walk_pct_per_sqrt_min), hw.laser.drift_swing_pct / 100.0, hw.laser.drift_period_s};
}
DriftSpec plane_drift(const config::HardwareConfig& hw) {
  const auto& w = hw.weight_plane;
  return {per_sqrt_s(w.drift_walk_pct_per_sqrt_min), w.drift_swing_pct / 100.0, w.drift_period_s};
}

DriftProcess::DriftProcess(DriftSpec spec, uint64_t seed, double phase) : spec_(spec), phase_(phase), normal_(seed) {
  float n;
  normal_.fill(&n, 1);
  w1_ = spec_.walk_per_sqrt_s * n;
}

double DriftProcess::at(double t_s) {
  const double t = std::max(0.0, t_s);
  while (double(k_ + 1) <= t) {  // advance the walk one second at a time
    float n;
    normal_.fill(&n, 1);
    w0_ = w1_;
    w1_ += spec_.walk_per_sqrt_s * n;
    ++k_;
  }
  const double walk = w0_ + (w1_ - w0_) * (t - double(k_));
  const double swing = spec_.swing * (std::sin(kTwoPi * t / spec_.period_s + phase_) - std::sin(phase_));
  // A factor is physical only while positive (light cannot go negative); 1 at t = 0 (calibration).
  return std::max(0.0, 1.0 + swing + walk);
}

DeviceDrift::DeviceDrift(const config::HardwareConfig& hw, uint64_t run_seed)
    : laser_(laser_drift(hw)),
      plane_(plane_drift(hw)),
      seed_(run_seed),
      plane_phase_(random_phase(stream_seed(run_seed, "drift/plane-stack/phase"))) {}

double DeviceDrift::gain(const std::string& site, int core, double t_s) {
  double g = 1;
  if (laser_.active()) {
    auto it = lasers_.find(core);
    if (it == lasers_.end()) {
      const std::string key = "drift/laser-bank/" + std::to_string(core);
      it = lasers_.emplace(core, DriftProcess(laser_, stream_seed(seed_, key), random_phase(stream_seed(seed_, key + "/phase"))))
               .first;
    }
    g *= it->second.at(t_s);
  }
  if (plane_.active()) {
    auto it = planes_.find(site);
    if (it == planes_.end())
      it = planes_.emplace(site, DriftProcess(plane_, stream_seed(seed_, "drift/planes/" + site), plane_phase_)).first;
    g *= it->second.at(t_s);
  }
  return g;
}

}  // namespace oasim::hw
