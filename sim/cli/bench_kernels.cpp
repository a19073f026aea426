#include "sim/cli/bench_kernels.hpp"

#include <fmt/format.h>
#include <omp.h>

#include <Eigen/Dense>
#include <algorithm>
#include <chrono>
#include <fstream>
#include <functional>
#include <utility>
#include <nlohmann/json.hpp>

#include "models/components/hardware_config_io.hpp"
#include "sim/common/kernel_profile.hpp"
#include "sim/common/shipped_paths.hpp"
#include "sim/hardware/optical_linear_executor.hpp"
#include "sim/run/hardware_run.hpp"
#include "workloads/data/clip_source.hpp"
#include "workloads/videomamba/random_weights.hpp"
#include "workloads/videomamba/selective_scan.hpp"
#include "workloads/videomamba/videomamba_model.hpp"

namespace oasim::cli {
namespace {

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// Best of `reps` timings of f (a shared machine only ever slows a run down).
double best_of(int reps, const std::function<void()>& f) {
  double best = 1e300;
  for (int i = 0; i < reps; ++i) {
    auto t0 = Clock::now();
    f();
    best = std::min(best, since(t0));
  }
  return best;
}

void set_threads(int n) {
  omp_set_num_threads(n);
  Eigen::setNbThreads(n);
}

// GFLOP/s of Eigen's sgemm on 1024^3 at the current thread count: the machine's practical fp32 peak.
double gemm_peak_gflops() {
  constexpr long n = 1024;
  Eigen::MatrixXf a = Eigen::MatrixXf::Random(n, n), b = Eigen::MatrixXf::Random(n, n), c(n, n);
  c.noalias() = a * b;  // warm-up
  const double s = best_of(3, [&] { c.noalias() = a * b; });
  return 2.0 * n * n * n / s * 1e-9;
}

// One Ti layer's scan (a frame's 197 tokens x frames, Di = 384, N = 16): the fused kernel against the
// per-token reference, same inputs, same run. Returns {fused s, reference s}.
std::pair<double, double> scan_ratio(const videomamba::ModelConfig& cfg, long tokens) {
  const long di = cfg.d_inner(), n = cfg.d_state, r = cfg.dt_rank;
  MatrixRM u = MatrixRM::Random(tokens, di), bc = MatrixRM::Random(tokens, r + 2 * n);
  MatrixRM delta = (MatrixRM::Random(tokens, di).array().abs() * 0.1f).matrix();
  MatrixRM A = -(MatrixRM::Random(di, n).array().abs() + 0.1f).matrix();
  VectorF D = VectorF::Random(di);
  MatrixRM y;
  const videomamba::ScanInputs in{&u, &delta, &bc, r, &A, &D};
  const double fused = best_of(3, [&] { videomamba::selective_scan(in, tokens, nullptr, y); });
  const double ref = best_of(3, [&] { videomamba::selective_scan_reference(in, tokens, nullptr, y); });
  return {fused, ref};
}

struct Profile {
  double wall = 0;
  double kernel_s[int(profile::Kernel::Count)] = {};
  double kernel_flops[int(profile::Kernel::Count)] = {};
};

// One clip on one thread with the kernel timers on: shares of one core's time add up to the wall time.
Profile profile_one_thread(const std::function<void()>& f) {
  Profile p;
  profile::reset();
  profile::enable(true);
  auto t0 = Clock::now();
  f();
  p.wall = since(t0);
  profile::enable(false);
  for (int k = 0; k < int(profile::Kernel::Count); ++k) {
    p.kernel_s[k] = profile::seconds(profile::Kernel(k));
    p.kernel_flops[k] = profile::flops(profile::Kernel(k));
  }
  return p;
}

void print_shares(const Profile& p, const std::vector<profile::Kernel>& ks, double peak1, double frames,
                  nlohmann::json& j) {
  double covered = 0;
  for (profile::Kernel k : ks) {
    const double s = p.kernel_s[int(k)], fl = p.kernel_flops[int(k)];
    covered += s;
    std::string peak = fl > 0 && s > 0 ? fmt::format("{:.0f} % of peak", 100.0 * fl / s * 1e-9 / peak1) : "";
    fmt::print("  {:<30} {:>9.1f} ms/frame {:>6.1f} %  {}\n", profile::kernel_name(k), 1e3 * s / frames,
               100.0 * s / p.wall, peak);
    j[profile::kernel_name(k)] = {{"s_per_frame", s / frames}, {"share", s / p.wall},
                                  {"gflops", s > 0 ? fl / s * 1e-9 : 0.0}};
  }
  fmt::print("  {:<30} {:>9.1f} ms/frame {:>6.1f} %\n", "rest", 1e3 * (p.wall - covered) / frames,
             100.0 * (p.wall - covered) / p.wall);
}

}  // namespace

void run_kernel_bench(const KernelBenchOptions& o) {
  using namespace videomamba;
  using profile::Kernel;
  const int threads = omp_get_max_threads();
  nlohmann::json j;

  set_threads(1);
  const double peak1 = gemm_peak_gflops();
  set_threads(threads);
  const double peakn = gemm_peak_gflops();

  ModelConfig cfg;  // VideoMamba-Ti
  cfg.variant = Variant::Stream;
  cfg.num_frames = o.frames;
  VideoMambaModel model(random_weights(cfg, 1));
  auto clips = data::open_clip_source("random", cfg, o.frames, 1, 7);
  const Video clip = clips->get(0).video;
  const double frames = clip.frames;

  config::HardwareConfig hw = config::load_hardware_config(resolve_shipped(o.hw_path));
  run::RunOptions ro;  // a default `oasim run`, on random clips
  ro.data_spec = "random";
  ro.frames = o.frames;
  // Calibration, best of 3 like every other row (a shared machine only slows a run down), each on a
  // fresh executor (calibration accumulates into it); building the plans is not calibration.
  double calib_s = 1e300;
  for (int rep = 0; rep < 3; ++rep) {
    hardware::OpticalLinearExecutor fresh(model.weights(), hw, 1);
    calib_s = std::min(calib_s, run::calibrate(fresh, model, ro));
  }
  hardware::OpticalLinearExecutor optical(model.weights(), hw, 1);
  run::calibrate(optical, model, ro);

  ForwardOptions fp_opt, hw_opt;
  hw_opt.linear = &optical;
  MatrixRM out;
  out = model.forward(clip, fp_opt);  // warm-up
  out = model.forward(clip, hw_opt);
  // The three rows interleaved, best of `clips` each: a shared machine's slow spells (here they last
  // seconds and cost up to 40 %) then fall on all of them alike instead of on whichever ran during one.
  double fp_n = 1e300, hw_n = 1e300, hw_run_n = 1e300;
  for (int rep = 0; rep < o.clips; ++rep) {
    fp_n = std::min(fp_n, best_of(1, [&] { out = model.forward(clip, fp_opt); }) / frames);
    optical.set_measure_sqnr(false);  // the simulated frame alone (as in long streams)
    hw_n = std::min(hw_n, best_of(1, [&] { out = model.forward(clip, hw_opt); }) / frames);
    optical.set_measure_sqnr(true);  // as `oasim run` does (per-layer SQNR)
    hw_run_n = std::min(hw_run_n, best_of(1, [&] { out = model.forward(clip, hw_opt); }) / frames);
  }
  // A default run: calibration, then every clip through fp32 and through the hardware.
  const double run_s = calib_s + double(ro.clips) * frames * (fp_n + hw_run_n);

  set_threads(1);
  const auto [scan_fused, scan_ref] = scan_ratio(cfg, long(cfg.patches_per_frame() + 1) * clip.frames);
  fp_opt.parallel_branches = hw_opt.parallel_branches = false;
  optical.set_measure_sqnr(false);
  const Profile fp1 = profile_one_thread([&] { out = model.forward(clip, fp_opt); });
  const Profile hw1 = profile_one_thread([&] { out = model.forward(clip, hw_opt); });
  set_threads(threads);

  const double gemm_s = fp1.kernel_s[int(Kernel::Fp32Gemm)];
  fmt::print("oasim bench --kernels: VideoMamba-Ti stream, {} frames, {} tokens/frame, hardware {}, {} thread(s)\n",
             clip.frames, cfg.patches_per_frame() + 1, o.hw_path, threads);
  fmt::print("machine GEMM peak (Eigen sgemm 1024^3): {:.1f} GFLOP/s on 1 thread, {:.1f} GFLOP/s on {}\n", peak1,
             peakn, threads);
  fmt::print("\n{:<44} {:>12} {:>10}\n", "measurement", "ms/frame", "ratio");
  fmt::print("{:<44} {:>12.1f} {:>10}\n", fmt::format("fp32 frame ({} threads)", threads), 1e3 * fp_n, "1.00x");
  fmt::print("{:<44} {:>12.1f} {:>9.2f}x\n", fmt::format("optical frame ({} threads, physical noise)", threads),
             1e3 * hw_n, hw_n / fp_n);
  fmt::print("{:<44} {:>12.1f} {:>9.2f}x\n", "optical frame with per-layer SQNR (oasim run)", 1e3 * hw_run_n,
             hw_run_n / fp_n);
  fmt::print("{:<44} {:>12.1f} {:>9.2f}x\n", "fp32 frame (1 thread)", 1e3 * fp1.wall / frames, fp1.wall / frames / fp_n);
  fmt::print("{:<44} {:>12.1f} {:>9.2f}x\n", "fp32 frame's GEMMs alone (1 thread)", 1e3 * gemm_s / frames,
             gemm_s / frames / fp_n);
  fmt::print("{:<44} {:>12.1f} {:>9.2f}x\n", "optical frame (1 thread)", 1e3 * hw1.wall / frames,
             hw1.wall / frames / fp_n);
  fmt::print("fp32 frame / its GEMMs (1 thread): {:.2f}x\n", fp1.wall / std::max(gemm_s, 1e-12));
  fmt::print("one layer's scan over the clip (1 thread): fused {:.2f} ms, per-token reference {:.2f} ms: {:.1f}x\n",
             1e3 * scan_fused, 1e3 * scan_ref, scan_ref / scan_fused);
  fmt::print("\nfp32 frame on 1 thread, by kernel (share of the frame; GEMM vs the 1-thread peak):\n");
  nlohmann::json jfp, jhw;
  print_shares(fp1, {Kernel::Fp32Gemm, Kernel::Scan}, peak1, frames, jfp);
  fmt::print("\noptical frame on 1 thread, by kernel:\n");
  print_shares(hw1, {Kernel::DacQuantize, Kernel::Mvm, Kernel::LightGemm, Kernel::Noise, Kernel::Adc, Kernel::Fp32Gemm,
                     Kernel::Scan},
               peak1, frames, jhw);
  fmt::print("\ncalibration: {:.2f} s = {:.1f} % of a default run ({} calibration clips + {} clips of {} frames, "
             "fp32 + optical with SQNR: {:.1f} s)\n",
             calib_s, 100.0 * calib_s / run_s, ro.calibration_clips, ro.clips, clip.frames, run_s);
  fmt::print("1,000-frame stream through the hardware (estimate from the optical frame): {:.1f} min\n",
             1000 * hw_n / 60);
  if (!o.json_out.empty()) {
    j = {{"gemm_peak_gflops_1thread", peak1}, {"gemm_peak_gflops", peakn}, {"threads", threads},
         {"fp32_s_per_frame", fp_n}, {"optical_s_per_frame", hw_n}, {"optical_run_s_per_frame", hw_run_n},
         {"fp32_1thread_s_per_frame", fp1.wall / frames}, {"optical_1thread_s_per_frame", hw1.wall / frames},
         {"calibration_s", calib_s}, {"scan_fused_s", scan_fused}, {"scan_reference_s", scan_ref}, {"default_run_s", run_s}, {"fp32_kernels", jfp}, {"optical_kernels", jhw}};
    std::ofstream(o.json_out) << j.dump(2) << "\n";
  }
}

}  // namespace oasim::cli
