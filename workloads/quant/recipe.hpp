#pragma once
// A quantization recipe (YAML, docs/recipes.md): how weights are quantized (RTN, clip search, GPTQ),
// which activation transforms run before the DAC (SmoothQuant, Hadamard rotation, Quamba percentile for
// the SSM input under static DAC scales, OuroMamba-style dynamic outlier channels), and the precision preset (hardware keys,
// e.g. W4A8). Parsed once into this struct; every choice is explicit and validated.
#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "workloads/quant/outlier_path.hpp"
#include "workloads/videomamba/linear_executor.hpp"

namespace oasim::quant {

enum class WeightMethod { Rtn, Gptq };

// One flag per kind of Linear: patch_embed, in_proj, x_proj, dt_proj, out_proj, head.
using SiteSet = std::array<bool, 6>;
bool in_set(const SiteSet& s, videomamba::LinearKind k);
const char* kind_key(videomamba::LinearKind k);  // "in_proj", ...

struct Recipe {
  std::string name = "none";
  std::string source;                       // file it came from ("" = built-in default)
  std::vector<std::pair<std::string, std::string>> hardware;  // preset: hardware key overrides
  // Weights.
  WeightMethod weights = WeightMethod::Rtn;
  bool clip_search = false;                 // per-scale clip ratio minimising squared error
  double gptq_damping = 0.01;               // fraction of mean(diag H) added to the diagonal
  bool gptq_act_order = true;
  bool gptq_sequential = false;             // Hessians layer by layer from the already-quantized prefix
  // Activations.
  double ssm_input_percentile = 0;          // Quamba: static DAC percentile for x_proj inputs (0 = hw's)
  double smooth_alpha = 0;                  // SmoothQuant migration strength (0 = off)
  SiteSet smooth_sites{};
  SiteSet hadamard_sites{};                 // online block Hadamard on these inputs, W' = W Q^T offline
  uint64_t rotation_seed = 1;               // random signs of the rotation
  OutlierConfig outliers;                   // OuroMamba: dynamic outlier channels (outlier_path.hpp)
  SiteSet outlier_sites{};
  // Quamba2 (workloads/quant/quamba2_groups.hpp): x_proj's input channels sorted offline by calibration
  // max and cut into this many contiguous groups, each with its own DAC scale (0 = off); B and C each
  // read out over this many ADC ranges, one per group of consecutive states (0 = off).
  int x_groups = 0;
  int bc_state_groups = 0;
  // QuaRot-style offline rotation of the residual stream with norm weights folded (residual_rotation.hpp):
  // the hardware runs a transformed copy of the model; nothing is added online.
  bool residual_rotation = false;
  uint64_t residual_rotation_seed = 1;

  bool needs_stats() const { return weights == WeightMethod::Gptq || smooth_alpha > 0 || x_groups > 0; }
  bool transforms(videomamba::LinearKind k) const {
    return (smooth_alpha > 0 && in_set(smooth_sites, k)) || in_set(hadamard_sites, k);
  }
};

// Whether SmoothQuant's division by s runs online at this site: it folds into the preceding RMSNorm weight
// (in_proj, head; not when residual_rotation has folded that weight away: the multiply comes back) and
// into x_proj's dt rows (dt_proj); elsewhere each input is multiplied by 1/s in the digital unit.
bool smoothing_online(const Recipe& r, videomamba::LinearKind k);

// Parses FILE; InputError "FILE:LINE: ..." for unknown keys, bad values, unknown sites.
Recipe load_recipe(const std::string& path);

// Online digital work a recipe adds per input vector of a Linear of this kind and width, on top of the
// plain optical path (for the compiler: energy and latency). Outlier channels are costed at their
// per-token budget (max_channels), the fixed schedule the digital unit is provisioned for, including the
// SRAM reads of the outlier columns' weight codes.
struct OnlineCost {
  double adds = 0, muls = 0, nonlinear = 0, sram_bytes_read = 0;
};
// dynamic_dac: the hardware measures a DAC scale per vector (modulator.scale: dynamic); weight_bits: of
// the codes the outlier path reads.
OnlineCost online_cost(const Recipe& r, videomamba::LinearKind k, int in_features, int out_features,
                       bool dynamic_dac, int weight_bits);

// Largest power of two dividing n (the block size of the block-diagonal Hadamard rotation).
int hadamard_block(int n);

}  // namespace oasim::quant
