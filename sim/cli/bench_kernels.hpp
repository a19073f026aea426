#pragma once
// `oasim bench --kernels`: how near the machine's limit the simulator runs (issue 16). Measures the
// machine's fp32 GEMM peak in the same run, then times a VideoMamba stream frame in fp32 and through the
// default optical hardware, with each kernel's share, and calibration against a default run.
#include <string>

namespace oasim::cli {

struct KernelBenchOptions {
  int frames = 8;        // frames per clip
  int clips = 2;         // timed clips per measurement (the best is kept: the machine may be shared)
  std::string hw_path = "configs/hw/default.yaml";
  std::string json_out;
};

void run_kernel_bench(const KernelBenchOptions& o);

}  // namespace oasim::cli
