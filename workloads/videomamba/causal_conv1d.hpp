#pragma once
// Depthwise causal Conv1d of the Mamba mixer (kernel K, left padding K-1, bias), on token rows.
#include "sim/common/tensor.hpp"

namespace oasim::videomamba {

// x [L x Di] -> out [L x Di]. The sequence is cut into independent segments of `segment` tokens
// (segment = L for one sequence); each segment starts from zero history, except the first, which
// starts from `carry` when given: carry [(K-1) x Di] holds the K-1 inputs before x, oldest first, and
// is replaced by the last K-1 inputs (the streaming conv state). weight [Di x K], bias [Di].
void causal_conv1d(const MatrixRM& x, const MatrixRM& weight, const VectorF& bias, long segment, MatrixRM* carry,
                   MatrixRM& out);

}  // namespace oasim::videomamba
