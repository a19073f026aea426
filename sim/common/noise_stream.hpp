#pragma once
// Counter-based standard-normal noise: Philox-4x32-10 (Salmon et al., SC'11; Random123's reference
// generator) keyed by a 64-bit stream key (run seed + site, stream_seed), with the sample index as the
// counter. Sample i of a stream is the same number whoever draws it, in whatever order and on however many
// threads, so one long fill is cut into blocks drawn in parallel and a run's noise does not depend on the
// thread count. One Philox block (4 x 32 bits) gives 4 normals by two Box-Muller pairs.
#include <cstdint>

namespace oasim {

// The 4 x 32-bit Philox-4x32-10 output for counter (c0, c1, 0, 0) and key (k0, k1); batched and
// vectorised in noise_stream.cpp, checked against Random123's philox4x32 in the tests.
void philox4x32_10(uint64_t counter, uint64_t key, uint32_t out[4]);

// out[0..n) = samples first .. first + n - 1 of the stream `key` (N(0, 1), float).
void philox_normals(uint64_t key, uint64_t first, float* out, long n);

// A stream that remembers how many samples it has handed out: the detector noise of one Linear site.
class NoiseStream {
 public:
  explicit NoiseStream(uint64_t key) : key_(key) {}
  void fill(float* out, long n) {
    philox_normals(key_, next_, out, n);
    next_ += uint64_t(n);
  }
  uint64_t position() const { return next_; }
  // Continues a stream where a saved run stopped (stream state saved through the hardware).
  void seek(uint64_t position) { next_ = position; }

 private:
  uint64_t key_;
  uint64_t next_ = 0;
};

}  // namespace oasim
