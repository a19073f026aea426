#include "models/optical/light_gemm.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

#if defined(__AVX512VNNI__) && defined(__AVX512BW__)
#include <immintrin.h>
#define OASIM_LIGHT_VNNI 1
#endif

namespace oasim::optical {
namespace {

size_t at(const PackedLight& b, int m, int k) {
  return ((size_t(m / PackedLight::kBlock) * b.kquads + k / 4) * PackedLight::kBlock + m % PackedLight::kBlock) * 4 +
         k % 4;
}

#ifdef OASIM_LIGHT_VNNI
// RT input rows x one block of 32 outputs: per input quad, one broadcast of the row's 4 bytes feeds two
// vpdpbusd (u8 inputs x s8 weights, summed by fours into int32). 8 x 32 tiles: on Zen 4 the 512-bit
// weight loads limit wider tiles (as in int_gemm.cpp).
template <int RT>
void tile(const uint8_t* a, long lda, const PackedLight& b, int blk, float* y, long ldy) {
  __m512i acc[RT][2];
  for (int r = 0; r < RT; ++r) acc[r][0] = acc[r][1] = _mm512_setzero_si512();
  const int8_t* bp = b.data.data() + size_t(blk) * b.kquads * PackedLight::kBlock * 4;
  for (int q = 0; q < b.kquads; ++q, bp += PackedLight::kBlock * 4) {
    const __m512i b0 = _mm512_loadu_si512(bp), b1 = _mm512_loadu_si512(bp + 64);
    for (int r = 0; r < RT; ++r) {
      int32_t quad;
      std::memcpy(&quad, a + r * lda + 4 * q, sizeof quad);
      const __m512i av = _mm512_set1_epi32(quad);
      acc[r][0] = _mm512_dpbusd_epi32(acc[r][0], av, b0);
      acc[r][1] = _mm512_dpbusd_epi32(acc[r][1], av, b1);
    }
  }
  for (int v = 0; v < 2; ++v) {
    const int m = blk * PackedLight::kBlock + 16 * v;
    if (m >= b.rows) break;
    const __mmask16 mask = b.rows - m >= 16 ? __mmask16(0xFFFF) : __mmask16((1u << (b.rows - m)) - 1);
    const __m512 scale = _mm512_loadu_ps(b.row_scale.data() + m);
    for (int r = 0; r < RT; ++r)
      _mm512_mask_storeu_ps(y + r * ldy + m, mask, _mm512_mul_ps(_mm512_cvtepi32_ps(acc[r][v]), scale));
  }
}
#endif

}  // namespace

PackedLight pack_light(const MatrixRM& w) {
  PackedLight b;
  b.rows = int(w.rows());
  b.cols = int(w.cols());
  b.kquads = (b.cols + 3) / 4;
  b.blocks = (b.rows + PackedLight::kBlock - 1) / PackedLight::kBlock;
  b.data.assign(size_t(b.blocks) * b.kquads * PackedLight::kBlock * 4, 0);
  b.row_scale.assign(size_t(b.blocks) * PackedLight::kBlock, 0.0f);
  for (int m = 0; m < b.rows; ++m) {
    const float mx = w.row(m).cwiseAbs().maxCoeff();
    if (!(mx > 0)) continue;
    // The finest power-of-two step that keeps the row within 127: integer codes stay exact (Int4 rows up
    // to 7.9 get 1/16 of a code), so only the fixed-pattern error is rounded, without bias.
    int shift = 7;
    while (shift > -24 && std::lround(std::ldexp(double(mx), shift)) > 127) --shift;
    b.row_scale[size_t(m)] = std::ldexp(1.0f, -shift);
    for (int k = 0; k < b.cols; ++k) b.data[at(b, m, k)] = int8_t(std::lround(std::ldexp(std::abs(double(w(m, k))), shift)));
  }
  return b;
}

void light_gemm_reference(const uint8_t* a, long rows, long lda, const PackedLight& b, float* y, long ldy) {
  for (long t = 0; t < rows; ++t)
    for (int m = 0; m < b.rows; ++m) {
      int32_t sum = 0;
      for (int k = 0; k < b.cols; ++k) sum += int32_t(a[t * lda + k]) * int32_t(b.data[at(b, m, k)]);
      y[t * ldy + m] = float(sum) * b.row_scale[size_t(m)];
    }
}

void light_gemm(const uint8_t* a, long rows, long lda, const PackedLight& b, float* y, long ldy) {
#ifdef OASIM_LIGHT_VNNI
  for (int blk = 0; blk < b.blocks; ++blk) {  // a block's weights (K x 32 bytes) stay in L1 over the rows
    long t = 0;
    for (; t + 8 <= rows; t += 8) tile<8>(a + t * lda, lda, b, blk, y + t * ldy, ldy);
    for (; t + 4 <= rows; t += 4) tile<4>(a + t * lda, lda, b, blk, y + t * ldy, ldy);
    for (; t < rows; ++t) tile<1>(a + t * lda, lda, b, blk, y + t * ldy, ldy);
  }
#else
  light_gemm_reference(a, rows, lda, b, y, ldy);
#endif
}

}  // namespace oasim::optical
