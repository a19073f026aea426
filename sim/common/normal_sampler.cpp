#include "sim/common/normal_sampler.hpp"

#include <Eigen/Dense>
#include <cmath>

#include "sim/common/rng.hpp"

namespace oasim {

NormalSampler::NormalSampler(uint64_t seed) {
  uint64_t x = seed;
  for (auto& s : s_) s = x = splitmix64(x);
}

// xoshiro256+ (Blackman & Vigna): fast, good high bits for floating-point uniforms.
uint64_t NormalSampler::next() {
  const uint64_t result = s_[0] + s_[3];
  const uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = (s_[3] << 45) | (s_[3] >> 19);
  return result;
}

double NormalSampler::uniform() { return (double(next() >> 11) + 0.5) * 0x1.0p-53; }

void NormalSampler::fill(float* out, long n) {
  const long pairs = (n + 1) / 2;
  u1_.resize(pairs);
  u2_.resize(pairs);
  for (long i = 0; i < pairs; ++i) {
    const uint64_t r = next();
    // Two 24-bit uniforms per draw, strictly inside (0, 1) so log() is finite.
    u1_[i] = (float(r >> 40) + 0.5f) * 0x1.0p-24f;
    u2_[i] = (float((r >> 16) & 0xFFFFFF) + 0.5f) * 0x1.0p-24f;
  }
  Eigen::Map<Eigen::ArrayXf> a(u1_.data(), pairs), b(u2_.data(), pairs);
  Eigen::ArrayXf radius = (-2.0f * a.log()).sqrt();
  Eigen::ArrayXf angle = b * float(2.0 * M_PI);
  Eigen::ArrayXf first = radius * angle.cos();
  Eigen::ArrayXf second = radius * angle.sin();
  for (long i = 0; i < n; ++i) out[i] = (i < pairs) ? first[i] : second[i - pairs];
}

}  // namespace oasim
