#pragma once
// Int-N weights for the weight planes: round-to-nearest (RTN) with one scale per output row or per
// group of inputs. Codes are symmetric in [-(2^(b-1)-1), 2^(b-1)-1] so zero is exact and the
// balanced pixel pair is symmetric (quantization.md: "-7..7 with a zero-preserving symmetric grid").
#include "sim/common/tensor.hpp"

namespace oasim::optical {

struct QuantizedWeights {
  MatrixRM codes;     // [M x K] integer codes stored as float (exact)
  MatrixRM scales;    // [M x groups]: W ~= codes * scale of (row, group)
  int group_size = 0; // inputs per group (K for per-channel)
  int bits = 4;
  int groups() const { return int(scales.cols()); }
  MatrixRM dequantized() const;
};

// group_size <= 0 means one scale per output row (per channel).
QuantizedWeights quantize_weights_rtn(const MatrixRM& w, int bits, int group_size);

}  // namespace oasim::optical
