#pragma once
// One captured Linear layer (weights + input rows, e.g. from PyTorch hooks) through the optical numerics:
// static scales calibrated on the captured rows with noise off, then the noisy optical product,
// compared with the fp32 output. Lets users study layers of models oasim does not run natively.
#include <string>

#include "models/energy/action_counts.hpp"
#include "models/components/hardware_config.hpp"
#include "sim/trace/trace_file.hpp"

namespace oasim::hardware {

struct LayerReplayResult {
  std::string name;
  long rows = 0, in = 0, out = 0;
  double sqnr_db = 0;              // fp32 output vs optical output
  double adc_saturation = 0;       // fraction of ADC samples clipped
  double reference_mismatch = 0;   // max |captured output - x W^T - b| / max |x W^T + b| (0 if none captured)
  energy::ActionCounts counts;
};

LayerReplayResult replay_layer(const trace::LayerActivations& layer, const config::HardwareConfig& hw, uint64_t seed);

}  // namespace oasim::hardware
