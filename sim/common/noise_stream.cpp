#include "sim/common/noise_stream.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <omp.h>

#ifdef __AVX512F__
#include <immintrin.h>
#endif

namespace oasim {
namespace {

// Philox-4x32 constants (Random123): round multipliers and Weyl key increments.
constexpr uint32_t kM0 = 0xD2511F53u, kM1 = 0xCD9E8D57u, kW0 = 0x9E3779B9u, kW1 = 0xBB67AE85u;
// Counters per batch (4 samples each: 256 samples, all on the stack). Small, because a batch is computed
// whole and a pass's row blocks (optical_mvm.cpp) start mid-batch: the edge batches are computed twice.
constexpr long kBatch = 64;

// Philox-4x32-10 of one counter (c0, c1, 0, 0).
void philox_one(uint64_t c, uint64_t key, uint32_t& x0, uint32_t& x1, uint32_t& x2, uint32_t& x3) {
  x0 = uint32_t(c);
  x1 = uint32_t(c >> 32);
  x2 = x3 = 0;
  uint32_t k0 = uint32_t(key), k1 = uint32_t(key >> 32);
  for (int round = 0; round < 10; ++round) {
    const uint64_t p0 = uint64_t(kM0) * x0, p1 = uint64_t(kM1) * x2;
    const uint32_t y0 = uint32_t(p1 >> 32) ^ x1 ^ k0, y2 = uint32_t(p0 >> 32) ^ x3 ^ k1;
    x1 = uint32_t(p1);
    x3 = uint32_t(p0);
    x0 = y0;
    x2 = y2;
    k0 += kW0;
    k1 += kW1;
  }
}

#ifdef __AVX512F__
// hi and lo 32 bits of x * m in every 32-bit lane: vpmuludq multiplies the even lanes, so the odd lanes
// are shifted down, multiplied, and the halves blended back into place.
inline void mul_hi_lo(__m512i x, __m512i m, __m512i& hi, __m512i& lo) {
  const __m512i even = _mm512_mul_epu32(x, m), odd = _mm512_mul_epu32(_mm512_srli_epi64(x, 32), m);
  lo = _mm512_mask_blend_epi32(0xAAAA, even, _mm512_slli_epi64(odd, 32));
  hi = _mm512_mask_blend_epi32(0xAAAA, _mm512_srli_epi64(even, 32), odd);
}

// 16 consecutive counters in the 32-bit lanes of four vectors (the same integers as philox_one).
void philox_16(uint64_t first, uint64_t key, uint32_t* x0, uint32_t* x1, uint32_t* x2, uint32_t* x3) {
  const __m512i iota = _mm512_set_epi64(7, 6, 5, 4, 3, 2, 1, 0);
  const __m512i c_lo = _mm512_add_epi64(_mm512_set1_epi64(int64_t(first)), iota);
  const __m512i c_hi = _mm512_add_epi64(c_lo, _mm512_set1_epi64(8));
  __m512i v0 = _mm512_inserti64x4(_mm512_castsi256_si512(_mm512_cvtepi64_epi32(c_lo)), _mm512_cvtepi64_epi32(c_hi), 1);
  __m512i v1 = _mm512_inserti64x4(_mm512_castsi256_si512(_mm512_cvtepi64_epi32(_mm512_srli_epi64(c_lo, 32))),
                                  _mm512_cvtepi64_epi32(_mm512_srli_epi64(c_hi, 32)), 1);
  __m512i v2 = _mm512_setzero_si512(), v3 = _mm512_setzero_si512();
  const __m512i m0 = _mm512_set1_epi32(int32_t(kM0)), m1 = _mm512_set1_epi32(int32_t(kM1));
  uint32_t k0 = uint32_t(key), k1 = uint32_t(key >> 32);
  for (int round = 0; round < 10; ++round) {
    __m512i hi0, lo0, hi1, lo1;
    mul_hi_lo(v0, m0, hi0, lo0);
    mul_hi_lo(v2, m1, hi1, lo1);
    v0 = _mm512_ternarylogic_epi32(hi1, v1, _mm512_set1_epi32(int32_t(k0)), 0x96);  // three-way xor
    v2 = _mm512_ternarylogic_epi32(hi0, v3, _mm512_set1_epi32(int32_t(k1)), 0x96);
    v1 = lo1;
    v3 = lo0;
    k0 += kW0;
    k1 += kW1;
  }
  _mm512_storeu_si512(x0, v0);
  _mm512_storeu_si512(x1, v1);
  _mm512_storeu_si512(x2, v2);
  _mm512_storeu_si512(x3, v3);
}
#endif

// Philox-4x32-10 on `count` consecutive counters, structure of arrays (16 at a time with AVX-512).
void philox_batch(uint64_t first_counter, long count, uint64_t key, uint32_t* x0, uint32_t* x1, uint32_t* x2,
                  uint32_t* x3) {
  long i = 0;
#ifdef __AVX512F__
  for (; i + 16 <= count; i += 16) philox_16(first_counter + uint64_t(i), key, x0 + i, x1 + i, x2 + i, x3 + i);
#endif
  for (; i < count; ++i) philox_one(first_counter + uint64_t(i), key, x0[i], x1[i], x2[i], x3[i]);
}

// A uniform strictly inside (0, 1) from the top 23 bits (exact in float, so log() stays finite).
inline float unit_open(uint32_t r) { return (float(r >> 9) + 0.5f) * 0x1.0p-23f; }

// Samples 4 * first_counter .. of one batch into z[0 .. 4 * count): per counter, Box-Muller on
// (x0, x1) gives samples 0, 1 and on (x2, x3) samples 2, 3.
void normals_batch(uint64_t key, uint64_t first_counter, long count, float* z) {
  alignas(64) uint32_t x[4][kBatch];
  philox_batch(first_counter, count, key, x[0], x[1], x[2], x[3]);
  alignas(64) float u[2 * kBatch], v[2 * kBatch], c[2 * kBatch], s[2 * kBatch];
  for (long i = 0; i < count; ++i) {
    u[i] = unit_open(x[0][i]);
    v[i] = unit_open(x[1][i]);
    u[count + i] = unit_open(x[2][i]);
    v[count + i] = unit_open(x[3][i]);
  }
  const long n2 = 2 * count;
  Eigen::Map<Eigen::ArrayXf> U(u, n2), V(v, n2), C(c, n2), S(s, n2);
  U = (-2.0f * U.log()).sqrt();  // radius
  V *= float(2.0 * M_PI);        // angle
  C = U * V.cos();
  S = U * V.sin();
  for (long i = 0; i < count; ++i) {
    z[4 * i + 0] = c[i];
    z[4 * i + 1] = s[i];
    z[4 * i + 2] = c[count + i];
    z[4 * i + 3] = s[count + i];
  }
}

}  // namespace

void philox4x32_10(uint64_t counter, uint64_t key, uint32_t out[4]) {
  philox_batch(counter, 1, key, &out[0], &out[1], &out[2], &out[3]);
}

void philox_normals(uint64_t key, uint64_t first, float* out, long n) {
  if (n <= 0) return;
  // Batches sit at fixed counters (multiples of kBatch) and are always computed whole, so every sample
  // goes through the same vector lanes and code path whatever range asks for it.
  const uint64_t b_begin = first / (4 * kBatch), b_end = (first + uint64_t(n) + 4 * kBatch - 1) / (4 * kBatch);
  const long batches = long(b_end - b_begin);
  // Batches are independent (counter-based): any thread count gives the same samples. Inside a parallel
  // region (the optical MVM's row blocks) a nested team would be one thread: only its start-up cost.
#pragma omp parallel for schedule(static) if (batches >= 16 && !omp_in_parallel())
  for (long b = 0; b < batches; ++b) {
    const uint64_t c0 = (b_begin + uint64_t(b)) * kBatch;
    alignas(64) float z[4 * kBatch];
    normals_batch(key, c0, kBatch, z);
    // Sample indices 4 c0 .. 4 (c0 + kBatch) of the batch, clipped to [first, first + n).
    const uint64_t lo = std::max(4 * c0, first), hi = std::min(4 * (c0 + kBatch), first + uint64_t(n));
    std::copy(z + (lo - 4 * c0), z + (hi - 4 * c0), out + (lo - first));
  }
}

}  // namespace oasim
