#pragma once
// The light on every detector pair (what the shot noise depends on): a [rows x K] of unsigned input light
// levels (DAC codes <= 255: |code| on the differential rails, code + levels on the offset rail) times
// |effective weight codes|^T. Only a noise standard deviation depends on it, so |weff| is held as 8-bit
// integers with a power-of-two step per output row, the finest that fits the row (1/16 of a code for Int4
// rows up to 7.9): integer codes are exact and only their fixed-pattern error is rounded, by at most half a
// step, without bias. The product runs as u8 x s8 -> int32 (AVX-512 VNNI vpdpbusd where the compiler may
// use it: four products per 32-bit lane, twice the int16 kernel's rate). The signal itself stays exact
// (int_gemm.hpp).
#include <cstdint>
#include <vector>

#include "sim/common/tensor.hpp"

namespace oasim::optical {

struct PackedLight {
  static constexpr int kBlock = 32;  // outputs per block: two 16-lane int32 accumulators
  int rows = 0, cols = 0, kquads = 0, blocks = 0;
  std::vector<int8_t> data;     // [block][k quad][kBlock outputs][4 inputs]
  std::vector<float> row_scale; // |weff| per step of each row, a power of two (padded to blocks x kBlock)
  long lda() const { return 4L * kquads; }  // bytes per input row the kernel reads (zero past cols)
};

// |w| of every row in steps of its row's power of two (at most 127 steps).
PackedLight pack_light(const MatrixRM& w);

// y[t * ldy + m] = row_scale[m] * sum_k a[t * lda + k] * q(m, k) for t < rows, m < b.rows; `a` holds
// b.lda() readable bytes per row, zero past b.cols.
void light_gemm(const uint8_t* a, long rows, long lda, const PackedLight& b, float* y, long ldy);
// The same with plain loops: the reference the tests compare the kernel with.
void light_gemm_reference(const uint8_t* a, long rows, long lda, const PackedLight& b, float* y, long ldy);

}  // namespace oasim::optical
