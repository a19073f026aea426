#pragma once
// How a Linear's inputs are cut into optical passes. A pass sums its inputs in the analog domain and is
// read out as one detector/ADC sample per output, so everything summed in one pass must share one input
// (DAC) scale and one weight scale: a pass never crosses a weight-scale group, an input-scale group
// (Quamba2's sorted channel groups), or a plane's width. The optical numerics (make_plan) and the
// compiler (tiles, ADC samples, digital rescales) both use this, so they count the same passes.
#include <vector>

#include "models/components/hardware_config.hpp"

namespace oasim::optical {

struct ChunkRange {
  int k0 = 0, width = 0;
  int dac_group = 0;  // index of the input-scale group the pass belongs to
};

// dac_bounds: input-scale group boundaries 0 = b0 < ... < bG = in_features, or empty (one group).
std::vector<ChunkRange> input_chunk_ranges(int in_features, const config::HardwareConfig& hw,
                                           const std::vector<int>& dac_bounds);

// n items in `groups` contiguous groups of (nearly) equal size: boundaries round(g * n / groups).
std::vector<int> equal_group_bounds(int n, int groups);

}  // namespace oasim::optical
