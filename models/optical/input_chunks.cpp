#include "models/optical/input_chunks.hpp"

#include <algorithm>
#include <set>

#include "sim/common/error.hpp"

namespace oasim::optical {

std::vector<int> equal_group_bounds(int n, int groups) {
  if (groups < 1 || groups > n) fail_input("cannot split {} channels into {} groups", n, groups);
  std::vector<int> b(size_t(groups) + 1);
  for (int g = 0; g <= groups; ++g) b[size_t(g)] = int((long(g) * n + groups / 2) / groups);
  return b;
}

std::vector<ChunkRange> input_chunk_ranges(int in_features, const config::HardwareConfig& hw,
                                           const std::vector<int>& dac_bounds) {
  const auto& wp = hw.weight_plane;
  const bool grouped = wp.scale == config::WeightScale::Group;
  // Cuts every pass must respect: weight-scale groups (at absolute multiples of group_size) and the
  // input-scale groups; between two cuts, passes are as wide as the plane allows.
  std::set<int> cuts{0, in_features};
  if (grouped)
    for (int k = wp.group_size; k < in_features; k += wp.group_size) cuts.insert(k);
  if (!dac_bounds.empty()) {
    if (dac_bounds.front() != 0 || dac_bounds.back() != in_features ||
        !std::is_sorted(dac_bounds.begin(), dac_bounds.end()))
      fail_input("input-scale groups must run 0..{} in order", in_features);
    cuts.insert(dac_bounds.begin(), dac_bounds.end());
  }
  std::vector<ChunkRange> out;
  for (auto it = cuts.begin(); std::next(it) != cuts.end(); ++it) {
    const int a = *it, b = *std::next(it);
    if (a == b) continue;
    const int g = dac_bounds.empty() ? 0
                                     : int(std::upper_bound(dac_bounds.begin(), dac_bounds.end(), a) -
                                           dac_bounds.begin()) - 1;
    for (int k = a; k < b; k += wp.cols) out.push_back({k, std::min(wp.cols, b - k), g});
  }
  return out;
}

}  // namespace oasim::optical
