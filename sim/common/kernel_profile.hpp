#pragma once
// Per-kernel wall-time accumulators for `oasim bench --kernels`: which kernel of a frame takes the time,
// so the next bottleneck is visible. Off by default (one relaxed atomic load per scope); when on, each
// scope adds its steady_clock duration (and, for GEMMs, its flop count) to a process-wide counter.
// Times from two threads add up, so the bench profiles with one thread (shares of one core's time).
#include <atomic>
#include <chrono>
#include <cstdint>

namespace oasim::profile {

enum class Kernel : int {
  Fp32Gemm,      // linear_fp32: the fp32 model's Linears
  Scan,          // selective_scan
  DacQuantize,   // optical: DAC scales + quantization
  Mvm,           // optical: the signed product of codes (and crosstalk)
  LightGemm,     // optical: all light on each detector pair (shot noise needs it)
  Noise,         // optical: detector noise draws and scaling
  Adc,           // optical: ADC conversion
  Count
};
const char* kernel_name(Kernel k);

struct Counters {
  std::atomic<int64_t> ns[int(Kernel::Count)];
  std::atomic<int64_t> flops[int(Kernel::Count)];
  std::atomic<bool> enabled{false};
};
Counters& counters();

void reset();
void enable(bool on);
double seconds(Kernel k);
double flops(Kernel k);

// Adds its lifetime to kernel k (and `flop` to its flop count) when profiling is on.
class Scope {
 public:
  explicit Scope(Kernel k, double flop = 0) : k_(k), on_(counters().enabled.load(std::memory_order_relaxed)) {
    if (!on_) return;
    t0_ = std::chrono::steady_clock::now();
    if (flop > 0) counters().flops[int(k)].fetch_add(int64_t(flop), std::memory_order_relaxed);
  }
  ~Scope() {
    if (!on_) return;
    const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - t0_);
    counters().ns[int(k_)].fetch_add(ns.count(), std::memory_order_relaxed);
  }
  Scope(const Scope&) = delete;
  Scope& operator=(const Scope&) = delete;

 private:
  Kernel k_;
  bool on_;
  std::chrono::steady_clock::time_point t0_;
};

}  // namespace oasim::profile
