#pragma once
// The contract every hardware block implements (in the spirit of Ramulator 2's component tree and
// Accelergy's component x action tables). A component owns, in its own files:
//   - its YAML subtree and key-table rows (unit, range, default, meaning, source),
//   - its numerics where it has any (DAC quantizer, plane error and crosstalk, detector noise, ADC),
//   - its actions with energy per action (priced from the counted datapath events),
//   - its static power and power states, its area, its stage of the light budget,
//   - its cross-key rules (errors) and realizability flags (warnings).
// Adding a component = its own .hpp/.cpp + one line in registry.cpp (docs/architecture.md).
#include <string>
#include <vector>

#include "models/energy/action_counts.hpp"
#include "sim/config/param_spec.hpp"

namespace oasim::config {
struct HardwareConfig;
using ParamSpec = ParamSpecT<HardwareConfig>;
}  // namespace oasim::config

namespace oasim::hw {

struct ActionEnergy {
  std::string action;       // "sample", "conversion", ...
  double count = 0;         // per frame
  double joules_each = 0;
};

// Static power and whether it can be gated. A gated block sleeps between frames: it burns its static
// power while the chip computes a frame plus one wake-up time; an ungated block burns it all the time.
struct PowerState {
  std::string part;         // "heaters", "DAC idle", ...
  double static_w = 0;
  bool gated = false;
  double wake_s = 0;
};

// One stage of the light path from a laser to a detector: the fraction of power it passes.
struct LightStage {
  std::string stage;        // "fan-out over 256 rows x 2 pixels"
  double factor = 1;        // power out / power in (<= 1, except none)
  std::string source;
};

// Cross-key rules: errors refuse the config; warnings flag a design no real part achieves.
struct Checks {
  std::vector<std::string> errors, warnings;
};

class Component {
 public:
  virtual ~Component() = default;
  virtual std::string name() const = 0;      // report name, e.g. "ADC"
  virtual std::string section() const = 0;   // YAML subtree, e.g. "adc"
  virtual std::vector<config::ParamSpec> params() const = 0;
  virtual std::vector<ActionEnergy> actions(const energy::ActionCounts& per_frame,
                                            const config::HardwareConfig& hw) const = 0;
  virtual std::vector<PowerState> power(const config::HardwareConfig& hw) const = 0;
  virtual double area_mm2(const config::HardwareConfig& hw) const = 0;
  virtual std::vector<LightStage> light_stages(const config::HardwareConfig&) const { return {}; }
  virtual void check(const config::HardwareConfig&, Checks&) const {}
  // Whether the card has one of it, one per optical core (cores.optical) or one per digital unit
  // (cores.digital): power() and area_mm2() describe one copy; copies() (structure.cpp) multiplies.
  enum class Replication { One, PerOpticalCore, PerDigitalUnit };
  virtual Replication replication() const { return Replication::One; }
};

// How many copies of `c` the structure (the YAML section `cores`) has.
int copies(const Component& c, const config::HardwareConfig& hw);

// Every component, in light-path order then the digital side (registry.cpp: one line each).
const std::vector<const Component*>& components();

}  // namespace oasim::hw
