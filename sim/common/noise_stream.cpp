#include "sim/common/noise_stream.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>

namespace oasim {
namespace {

// Philox-4x32 constants (Random123): round multipliers and Weyl key increments.
constexpr uint32_t kM0 = 0xD2511F53u, kM1 = 0xCD9E8D57u, kW0 = 0x9E3779B9u, kW1 = 0xBB67AE85u;
constexpr long kBatch = 256;  // counters per batch: 1,024 samples, all of one batch on the stack

// Philox-4x32-10 on `count` consecutive counters at once, structure of arrays so every round is a
// vectorisable loop (32 x 32 -> 64-bit products: vpmuludq).
void philox_batch(uint64_t first_counter, long count, uint64_t key, uint32_t* x0, uint32_t* x1, uint32_t* x2,
                  uint32_t* x3) {
  for (long i = 0; i < count; ++i) {
    const uint64_t c = first_counter + uint64_t(i);
    x0[i] = uint32_t(c);
    x1[i] = uint32_t(c >> 32);
    x2[i] = 0;
    x3[i] = 0;
  }
  uint32_t k0 = uint32_t(key), k1 = uint32_t(key >> 32);
  for (int round = 0; round < 10; ++round) {
    for (long i = 0; i < count; ++i) {
      const uint64_t p0 = uint64_t(kM0) * x0[i], p1 = uint64_t(kM1) * x2[i];
      const uint32_t y0 = uint32_t(p1 >> 32) ^ x1[i] ^ k0, y2 = uint32_t(p0 >> 32) ^ x3[i] ^ k1;
      x1[i] = uint32_t(p1);
      x3[i] = uint32_t(p0);
      x0[i] = y0;
      x2[i] = y2;
    }
    k0 += kW0;
    k1 += kW1;
  }
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
  // Batches are independent (counter-based): any thread count gives the same samples.
#pragma omp parallel for schedule(static) if (batches >= 16)
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
