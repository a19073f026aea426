#pragma once
// Fast, seeded standard-normal samples: xoshiro256+ uniforms through a vectorised Box-Muller
// transform (Eigen array log/sqrt/sin/cos), sequential. Used for the device's fixed-pattern draw (the
// PyTorch mirror reproduces it sample for sample) and for random data; detector noise, drawn per ADC
// sample, uses the counter-based NoiseStream (noise_stream.hpp).
#include <cstdint>
#include <vector>

namespace oasim {

class NormalSampler {
 public:
  explicit NormalSampler(uint64_t seed);
  // Fills out[0..n) with independent N(0, 1) samples.
  void fill(float* out, long n);
  double uniform();  // in (0, 1)

 private:
  uint64_t next();
  uint64_t s_[4];
  std::vector<float> u1_, u2_;
};

}  // namespace oasim
