#include "sim/common/kernel_profile.hpp"

namespace oasim::profile {

const char* kernel_name(Kernel k) {
  switch (k) {
    case Kernel::Fp32Gemm: return "fp32 GEMM (Linears)";
    case Kernel::Scan: return "selective scan";
    case Kernel::DacQuantize: return "DAC quantize";
    case Kernel::Mvm: return "MVM (codes product)";
    case Kernel::LightGemm: return "light GEMM";
    case Kernel::Noise: return "noise generation";
    case Kernel::Adc: return "ADC";
    case Kernel::Count: break;
  }
  return "?";
}

Counters& counters() {
  static Counters c;
  return c;
}

void reset() {
  for (int i = 0; i < int(Kernel::Count); ++i) {
    counters().ns[i] = 0;
    counters().flops[i] = 0;
  }
}

void enable(bool on) { counters().enabled = on; }
double seconds(Kernel k) { return double(counters().ns[int(k)].load()) * 1e-9; }
double flops(Kernel k) { return double(counters().flops[int(k)].load()); }

}  // namespace oasim::profile
