#pragma once
// OuroMamba-style dynamic outlier channels (Ramachandran et al. 2025, "OuroMamba-Quant": mixed precision
// with a threshold-based outlier channel selection updated every time step), mapped onto the optical
// datapath as oasim reads the paper's public text:
//  - a time step is one token of the Linear's input in scan order (the rows of one call);
//  - the threshold adapts over time steps: tau_t = momentum * tau_(t-1) + (1 - momentum) * rms(x_t)
//    (tau_0 = rms(x_0)); channel k of token t is an outlier if |x_k| > threshold * tau_t. momentum 0 gives
//    a per-token threshold; a token that is large as a whole (the readout token) then keeps its channels
//    in the optics;
//  - at most `max_channels` outliers per token (largest first): the digital unit is provisioned for them;
//  - outliers take the digital path at `activation_bits` (symmetric, one scale per token over the selected
//    values) against the *same* Int-N weight codes as the plane (no fp32 weight copy): the codes of the
//    outlier columns are read from SRAM. They are zeroed in the optical input.
// Every operation is counted (OutlierWork) as it is performed; outlier_cost() is the per-token budget the
// compiler charges (the schedule is fixed: the unit runs all max_channels slots).
#include <vector>

#include "models/optical/weight_quantizer.hpp"
#include "sim/common/tensor.hpp"

namespace oasim::quant {

struct OutlierConfig {
  double threshold = 0;     // k in |x| > k * tau_t (0 = off)
  double momentum = 0.9;    // of the per-time-step threshold
  int max_channels = 8;     // per token
  int activation_bits = 8;  // digital precision of the outlier activations
};

// Digital work and SRAM traffic of the outlier path (adds include compares).
struct OutlierWork {
  double adds = 0, muls = 0, nonlinear = 0, sram_bytes_read = 0;
  double channels = 0, tokens = 0, capped_tokens = 0;  // picked channels; tokens where the cap cut candidates
};

// Indices k with |x_k| > limit, largest first, at most max_channels; `candidates` (if given) receives
// how many exceeded the limit before the cap.
std::vector<long> outlier_channels(const float* x, long n, double limit, int max_channels, long* candidates = nullptr);

// Moves the outlier channels of each row of x to the digital path: zeroes them in x and returns their
// contribution (activations quantized to activation_bits) times the dequantized codes `w` [out x in].
MatrixRM split_outliers(const OutlierConfig& c, const optical::QuantizedWeights& w, MatrixRM& x, OutlierWork& work);

// What the compiler charges per token for a site of this width (the fixed schedule of split_outliers
// with every slot used).
OutlierWork outlier_cost(const OutlierConfig& c, int in_features, int out_features, int weight_bits);

}  // namespace oasim::quant
