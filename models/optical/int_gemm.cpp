// Highway kernels of int_gemm.hpp, compiled once per CPU target (foreach_target) and chosen at run time.
#include "models/optical/int_gemm.hpp"

#include <cstring>

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "models/optical/int_gemm.cpp"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

HWY_BEFORE_NAMESPACE();
namespace oasim::optical {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

#if HWY_TARGET == HWY_SCALAR
// One lane cannot hold an int16 pair: the plain loops.
void GemmI16(const int16_t* a, long rows_a, long lda, const PackedI16& b, int32_t* y, long ldy) {
  gemm_i16_i32_reference(a, rows_a, lda, b, y, ldy);
}
#else
// Two adjacent int16 codes of one input row, as the int32 lane broadcast to every output of a block.
HWY_INLINE int32_t PairAt(const int16_t* p) {
  int32_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

// acc + pairwise int16 products. Highway 1.0's ReorderWidenMulAccumulate is vpmaddwd + vpaddd on every
// x86 target; where the compiler may use AVX-512 VNNI (-march=native on a VNNI CPU) the fused vpdpwssd
// gives the same exact sums about 10 % faster (bench: 90-99 vs 79-85 GMAC/s on this machine's Zen 4).
template <class D32, class V16, class V32>
HWY_INLINE V32 MulAdd16(D32 d32, V16 a, V16 b, V32 acc, V32& acc1) {
#if defined(__AVX512VNNI__) && (HWY_TARGET == HWY_AVX3 || HWY_TARGET == HWY_AVX3_DL)
  if constexpr (sizeof(acc.raw) == 64) {
    (void)d32;
    (void)acc1;
    return V32{_mm512_dpwssd_epi32(acc.raw, a.raw, b.raw)};
  }
#endif
  return hn::ReorderWidenMulAccumulate(d32, a, b, acc, acc1);
}

// RT input rows x MB output blocks: RT x MB x kBlock int32 accumulators in registers; per k pair, MB
// block loads and RT broadcasts feed RT x MB pairwise multiply-adds (vpmaddwd / vpdpwssd).
template <int RT, int MB>
HWY_INLINE void Tile(const int16_t* a, long lda, const PackedI16& b, int blk0, int32_t* y, long ldy) {
  const hn::CappedTag<int32_t, PackedI16::kBlock> d32;
  const hn::Repartition<int16_t, decltype(d32)> d16;
  using V32 = hn::Vec<decltype(d32)>;
  using V16 = hn::Vec<decltype(d16)>;
  constexpr int kL = int(hn::MaxLanes(d32));
  constexpr int V = PackedI16::kBlock / kL;  // vectors per block
  V32 acc0[RT][MB * V], acc1[RT][MB * V];
  for (int r = 0; r < RT; ++r)
    for (int j = 0; j < MB * V; ++j) acc0[r][j] = acc1[r][j] = hn::Zero(d32);
  const size_t block_size = size_t(b.kpairs) * PackedI16::kBlock * 2;
  const int16_t* bp = b.data.data() + size_t(blk0) * block_size;
  for (int p = 0; p < b.kpairs; ++p) {
    V16 bv[MB * V];
    for (int i = 0; i < MB; ++i)
      for (int v = 0; v < V; ++v)
        bv[i * V + v] = hn::LoadU(d16, bp + i * block_size + (size_t(p) * PackedI16::kBlock + v * kL) * 2);
    for (int r = 0; r < RT; ++r) {
      const V16 av = hn::BitCast(d16, hn::Set(d32, PairAt(a + r * lda + 2 * p)));
      for (int j = 0; j < MB * V; ++j) acc0[r][j] = MulAdd16(d32, av, bv[j], acc0[r][j], acc1[r][j]);
    }
  }
  for (int r = 0; r < RT; ++r)
    for (int j = 0; j < MB * V; ++j) {
      const int m = blk0 * PackedI16::kBlock + j * kL;
      if (m >= b.rows) break;
      const V32 out = hn::RearrangeToOddPlusEven(acc0[r][j], acc1[r][j]);
      int32_t* dst = y + r * ldy + m;
      if (m + kL <= b.rows) {
        hn::StoreU(out, d32, dst);
      } else {
        HWY_ALIGN int32_t tail[kL];
        hn::Store(out, d32, tail);
        std::memcpy(dst, tail, sizeof(int32_t) * size_t(b.rows - m));
      }
    }
}

template <int MB>
HWY_INLINE void Rows(const int16_t* a, long rows_a, long lda, const PackedI16& b, int blk0, int32_t* y, long ldy) {
  long t = 0;
  for (; t + 8 <= rows_a; t += 8) Tile<8, MB>(a + t * lda, lda, b, blk0, y + t * ldy, ldy);
  for (; t + 4 <= rows_a; t += 4) Tile<4, MB>(a + t * lda, lda, b, blk0, y + t * ldy, ldy);
  for (; t < rows_a; ++t) Tile<1, MB>(a + t * lda, lda, b, blk0, y + t * ldy, ldy);
}

void GemmI16(const int16_t* a, long rows_a, long lda, const PackedI16& b, int32_t* y, long ldy) {
  // Tiles of 8 rows x 32 outputs on 512-bit vectors (16 accumulators; per k pair two weight loads and
  // eight broadcasts): on Zen 4 the 512-bit loads, not the multiply-adds, limit 4 x 64 tiles (55 vs 80-100
  // GMAC/s in the kernel bench). Narrower vectors: one block per tile.
  constexpr int kL = int(hn::MaxLanes(hn::CappedTag<int32_t, PackedI16::kBlock>()));
  constexpr int MB = PackedI16::kBlock / kL >= 2 ? 1 : 2;
  int blk = 0;
  // Output blocks outermost: a panel of MB blocks (K x 32 int16) stays in L1 while every row passes.
  for (; blk + MB <= b.blocks; blk += MB) Rows<MB>(a, rows_a, lda, b, blk, y, ldy);
  for (; blk < b.blocks; ++blk) Rows<1>(a, rows_a, lda, b, blk, y, ldy);
}
#endif

}  // namespace HWY_NAMESPACE
}  // namespace oasim::optical
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace oasim::optical {

HWY_EXPORT(GemmI16);

PackedI16 pack_i16(const int16_t* w, int rows, int cols, long ld) {
  PackedI16 p;
  p.rows = rows;
  p.cols = cols;
  p.kpairs = (cols + 1) / 2;
  p.blocks = (rows + PackedI16::kBlock - 1) / PackedI16::kBlock;
  p.data.assign(size_t(p.blocks) * p.kpairs * PackedI16::kBlock * 2, 0);
  for (int m = 0; m < rows; ++m)
    for (int k = 0; k < cols; ++k) {
      const size_t at = ((size_t(m / PackedI16::kBlock) * p.kpairs + k / 2) * PackedI16::kBlock + m % PackedI16::kBlock) * 2;
      p.data[at + k % 2] = w[m * ld + k];
    }
  return p;
}

void gemm_i16_i32(const int16_t* a, long rows_a, long lda, const PackedI16& b, int32_t* y, long ldy) {
  if (rows_a == 0 || b.rows == 0) return;
  HWY_DYNAMIC_DISPATCH(GemmI16)(a, rows_a, lda, b, y, ldy);
}

void gemm_i16_i32_reference(const int16_t* a, long rows_a, long lda, const PackedI16& b, int32_t* y, long ldy) {
  for (long t = 0; t < rows_a; ++t)
    for (int m = 0; m < b.rows; ++m) {
      int32_t sum = 0;
      for (int k = 0; k < 2 * b.kpairs; ++k) {
        const size_t at = ((size_t(m / PackedI16::kBlock) * b.kpairs + k / 2) * PackedI16::kBlock + m % PackedI16::kBlock) * 2;
        sum += int32_t(a[t * lda + k]) * int32_t(b.data[at + k % 2]);
      }
      y[t * ldy + m] = sum;
    }
}

}  // namespace oasim::optical
#endif  // HWY_ONCE
