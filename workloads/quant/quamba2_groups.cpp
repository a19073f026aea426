#include "workloads/quant/quamba2_groups.hpp"

#include <algorithm>
#include <numeric>

#include "models/optical/input_chunks.hpp"

namespace oasim::quant {

std::vector<int> x_group_bounds(const Recipe& r, videomamba::LinearKind k, int in_features) {
  if (r.x_groups <= 0 || k != videomamba::LinearKind::XProj) return {};
  return optical::equal_group_bounds(in_features, r.x_groups);
}

std::vector<int> bc_group_bounds(const Recipe& r, videomamba::LinearKind k, int dt_rank, int d_state) {
  if (r.bc_state_groups <= 0 || k != videomamba::LinearKind::XProj) return {};
  const std::vector<int> states = optical::equal_group_bounds(d_state, r.bc_state_groups);
  std::vector<int> b{0, dt_rank};                                        // dt keeps one range of its own
  for (size_t g = 1; g < states.size(); ++g) b.push_back(dt_rank + states[g]);            // B
  for (size_t g = 1; g < states.size(); ++g) b.push_back(dt_rank + d_state + states[g]);  // C
  return b;
}

Eigen::VectorXi sort_by_magnitude(const VectorF& absmax) {
  Eigen::VectorXi perm(absmax.size());
  std::iota(perm.data(), perm.data() + perm.size(), 0);
  std::stable_sort(perm.data(), perm.data() + perm.size(), [&](int a, int b) { return absmax[a] > absmax[b]; });
  return perm;
}

}  // namespace oasim::quant
