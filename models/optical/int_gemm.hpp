#pragma once
// Exact integer product of the optical MVM: int16 input codes x int16 fixed-point weight codes -> int32,
// one scale applied per output. The DAC codes (|x| <= 2^15 - 1) and the effective weight codes (Int-N
// codes x (1 + fixed-pattern error), held as w * 2^shift rounded) are small integers, so the sums are
// exact in int32; where the fp32 product of today was exact (no fixed-pattern error, sums < 2^24) the
// result is bit-identical to it. Highway kernels, chosen at run time for the CPU (AVX-512 VNNI/BW, AVX2,
// SSE4, or portable), so a binary built on one machine runs on another.
#include <cstdint>
#include <vector>

namespace oasim::optical {

// Weights [rows x cols] packed for the kernel once per plan and reused by every frame: blocks of
// kBlock outputs, each block [k pairs][kBlock outputs][2] (the layout of a pairwise int16 multiply-add).
struct PackedI16 {
  static constexpr int kBlock = 16;
  int rows = 0, cols = 0, kpairs = 0, blocks = 0;
  std::vector<int16_t> data;
  bool empty() const { return data.empty(); }
};

// Packs w (row-major, leading dimension ld) into blocks; padding rows and the odd column are zero.
PackedI16 pack_i16(const int16_t* w, int rows, int cols, long ld);

// y[t * ldy + m] = sum_k a[t * lda + k] * b(m, k) as int32 for t < rows_a, m < b.rows. `a` must hold
// 2 * b.kpairs readable columns per row (zero past b.cols); sums must fit int32 (the caller's bound).
// The _reference version: plain loops, which the tests compare the kernel with.
void gemm_i16_i32(const int16_t* a, long rows_a, long lda, const PackedI16& b, int32_t* y, long ldy);
void gemm_i16_i32_reference(const int16_t* a, long rows_a, long lda, const PackedI16& b, int32_t* y, long ldy);

}  // namespace oasim::optical
