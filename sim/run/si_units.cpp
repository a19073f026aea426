#include "sim/run/si_units.hpp"

#include <fmt/format.h>

namespace oasim::run {

std::string si_energy(double j) {
  if (j >= 1) return fmt::format("{:.3f} J", j);
  if (j >= 1e-3) return fmt::format("{:.3f} mJ", j * 1e3);
  if (j >= 1e-6) return fmt::format("{:.3f} uJ", j * 1e6);
  if (j >= 1e-9) return fmt::format("{:.3f} nJ", j * 1e9);
  return fmt::format("{:.3f} pJ", j * 1e12);
}

std::string si_time(double s) {
  if (s >= 1) return fmt::format("{:.3f} s", s);
  if (s >= 1e-3) return fmt::format("{:.3f} ms", s * 1e3);
  if (s >= 1e-6) return fmt::format("{:.3f} us", s * 1e6);
  return fmt::format("{:.3f} ns", s * 1e9);
}

std::string si_power(double w) {
  if (w >= 1) return fmt::format("{:.3f} W", w);
  if (w >= 1e-3) return fmt::format("{:.3f} mW", w * 1e3);
  return fmt::format("{:.3f} uW", w * 1e6);
}

}  // namespace oasim::run
