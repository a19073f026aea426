#pragma once
// Slow drift of the light path with simulated time (issue 14): the laser bank's emitted power and each
// weight plane's transmission move with temperature over seconds to minutes. Each is a multiplicative
// factor 1 + swing x sin(2 pi t / period + phase) + walk(t), walk a Gaussian random walk (Wiener process
// sampled on a 1 s grid, linear in between). The keys live with the block that drifts (laser.drift_*,
// weight_plane.drift_*); the processes are seeded from the run seed (an environment, like noise), one
// stream per laser bank and per weight-plane site. A site's analog gain is its core's laser factor times
// its planes' factor; the detector current, its shot noise and the ADC input all scale with it, while the
// thermal noise of the receiver does not. What the controller corrects (recalibration) is its own state:
// DeviceDrift only says what the light does.
#include <cstdint>
#include <map>
#include <string>

#include "models/components/hardware_config.hpp"
#include "sim/common/normal_sampler.hpp"

namespace oasim::hw {

struct DriftSpec {
  double walk_per_sqrt_s = 0;  // standard deviation of the walk after 1 s (relative)
  double swing = 0;            // amplitude of the slow oscillation (relative)
  double period_s = 300;
  bool active() const { return walk_per_sqrt_s > 0 || swing > 0; }
};
DriftSpec laser_drift(const config::HardwareConfig& hw);
DriftSpec plane_drift(const config::HardwareConfig& hw);

// One drifting factor. O(1) memory: only the walk's two grid points around the last query are kept, so
// queries must come in non-decreasing time (a stream's frames).
class DriftProcess {
 public:
  DriftProcess(DriftSpec spec, uint64_t seed, double phase);
  double at(double t_s);

 private:
  DriftSpec spec_;
  double phase_;
  NormalSampler normal_;
  long k_ = 0;                 // grid point k_ (seconds) holds w0_, k_ + 1 holds w1_
  double w0_ = 0, w1_ = 0;
};

// Every site's analog gain relative to calibration time (t = 0).
class DeviceDrift {
 public:
  DeviceDrift(const config::HardwareConfig& hw, uint64_t run_seed);
  bool active() const { return laser_.active() || plane_.active(); }
  // `core`: the optical core the site runs on (its laser bank). Time must not decrease per site.
  double gain(const std::string& site, int core, double t_s);

 private:
  DriftSpec laser_, plane_;
  uint64_t seed_;
  double plane_phase_;         // the plane stack shares one temperature cycle
  std::map<int, DriftProcess> lasers_;
  std::map<std::string, DriftProcess> planes_;
};

}  // namespace oasim::hw
