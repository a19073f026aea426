#pragma once
// The light budget, laser to detector, assembled from the stages the optical components declare (laser,
// modulator, optics, weight planes, detector). Energy is conserved by construction: every stage passes a
// fraction <= 1, and a beam fanned out over a column's rows x 2 pixels gives each pixel at most 1/(2 rows)
// of it (tests/test_light_budget.cpp checks detectors <= emitted for any inputs and weights).
//
// Light in the numerics is counted in accumulator units: one unit is what one DAC code on one rail puts
// through one weight code of one pixel onto a detector. The light on an output's balanced pair is
//   sum_k (|x_k| + rails * fx) (|w_k| + 2 fw)       (differential; offset: (x_k + L + fx))
// where fx, fw are the modulator's and the dark pixel's light floors in code units; the net (balanced)
// signal is sum_k x_k w_k exactly, the floors cancel.
#include <string>
#include <vector>

#include "models/components/component.hpp"
#include "models/components/hardware_config.hpp"

namespace oasim::hw {

struct LightBudget {
  std::vector<LightStage> stages;    // in path order
  double source_power_w = 0;         // emitted by one source
  double path_factor = 0;            // product of the stages: source -> one pixel at full scale -> detector
  double unit_power_w = 0;           // optical power on a detector per accumulator unit of light
  double unit_current_a = 0;         // photocurrent per accumulator unit (signal and light)
  double input_floor = 0, weight_floor = 0;  // light floors in code units
  double input_full_scale = 0;       // modulator full scale in DAC codes (L differential, 2L offset)
  int weight_levels = 0;
};

LightBudget light_budget(const config::HardwareConfig& hw);

// Photoelectrons per symbol for `light` accumulator units on a detector pair.
double photoelectrons(const config::HardwareConfig& hw, const LightBudget& b, double light_units);

}  // namespace oasim::hw
