#pragma once
// Quamba2 (Chiang et al. 2025) mapped onto the optical datapath:
//  - sorted channel groups for the SSM input x (x_proj's input): channel magnitudes keep their order over
//    time, so channels are sorted offline by calibration max (largest first) and cut into equal contiguous
//    groups, each with its own DAC scale; x_proj's weight columns are permuted to match (exact). On the
//    hardware a group is its own optical pass (codes of different scales cannot share an analog sum), so
//    groups may add passes: input_chunk_ranges / the compiler count them.
//  - per-state-group B and C: x_proj's outputs [dt | B | C] are read out with separate ADC ranges: one for
//    dt and one per group of consecutive states of B and of C.
// Group sizes are fixed (equal) rather than clustered, so the program's passes do not depend on data.
#include <Eigen/Dense>
#include <vector>

#include "sim/common/tensor.hpp"
#include "workloads/quant/recipe.hpp"

namespace oasim::quant {

// Input-scale group boundaries of a Linear's inputs under the recipe (empty: one group). Only x_proj.
std::vector<int> x_group_bounds(const Recipe& r, videomamba::LinearKind k, int in_features);

// ADC range group boundaries over x_proj's outputs [dt_rank | d_state | d_state] (empty: one range).
std::vector<int> bc_group_bounds(const Recipe& r, videomamba::LinearKind k, int dt_rank, int d_state);

// Channel order by calibration max |x|, largest first (stable): perm[i] = channel placed at position i.
Eigen::VectorXi sort_by_magnitude(const VectorF& absmax);

}  // namespace oasim::quant
