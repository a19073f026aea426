// `oasim bench`: frames/s of the fp32 C++ VideoMamba against the PyTorch reference, same machine, same run.
//
// The reference side (bench/reference_bench.py) builds a random-initialised model of the requested
// shape, writes it as an oasim file together with one clip, and times the PyTorch reference on it.
// This side loads the very same file and clip, times the C++ model at 1 thread and at all threads,
// checks that both produce the same logits, and prints the ratio.
#include <fmt/format.h>
#include <omp.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "sim/cli/bench_kernels.hpp"
#include "sim/cli/clip_input.hpp"
#include "sim/cli/commands.hpp"
#include "sim/common/python_tool.hpp"
#include "sim/common/error.hpp"
#include "workloads/videomamba/model_file.hpp"
#include "workloads/videomamba/videomamba_model.hpp"

namespace oasim::cli {
namespace {

struct BenchOptions {
  std::string shape = "ti";
  std::string variant = "videomamba";
  int clips = 3;
  int frames = 8;
  std::string workdir;
  std::string json_out;
  bool kernels = false;
  KernelBenchOptions k;
};

double time_model(const videomamba::VideoMambaModel& m, const videomamba::Video& v, int clips, bool parallel,
                  MatrixRM& logits) {
  videomamba::ForwardOptions opt;
  opt.parallel_branches = parallel;
  logits = m.forward(v, opt);  // warm-up: page in weights, size buffers
  auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < clips; ++i) logits = m.forward(v, opt);
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() / clips;
}

void run_bench(const BenchOptions& o) {
  namespace fs = std::filesystem;
  fs::path dir = o.workdir.empty() ? fs::temp_directory_path() / "oasim-bench" : fs::path(o.workdir);
  fs::create_directories(dir);
  if (!fs::exists(python_script("bench/reference_bench.py")))
    fail_input("reference benchmark script not found at '{}' (set OASIM_HOME)", python_script("bench/reference_bench.py"));
  fmt::print(stderr, "running the PyTorch reference (bench/reference_bench.py)\n");
  run_python_tool_or_fail("bench/reference_bench.py",
                          {"--shape", o.shape, "--variant", o.variant, "--frames", std::to_string(o.frames), "--clips",
                           std::to_string(o.clips), "--out", dir.string()},
                          "the PyTorch reference benchmark");

  std::ifstream jf(dir / "reference.json");
  nlohmann::json ref = nlohmann::json::parse(jf);
  videomamba::VideoMambaModel model(videomamba::load_model((dir / "model.h5").string()));
  videomamba::Video clip = read_clip_h5((dir / "clip.h5").string(), "video");
  const auto& c = model.config();

  const int max_threads = omp_get_max_threads();
  MatrixRM logits1, logitsn;
  omp_set_num_threads(1);
  Eigen::setNbThreads(1);
  double t1 = time_model(model, clip, o.clips, false, logits1);
  omp_set_num_threads(max_threads);
  Eigen::setNbThreads(max_threads);
  double tn = time_model(model, clip, o.clips, true, logitsn);

  std::vector<float> ref_logits = ref["logits"].get<std::vector<float>>();
  Eigen::Map<const RowVectorF> rl(ref_logits.data(), long(ref_logits.size()));
  Eigen::Map<const RowVectorF> cl(logitsn.data(), logitsn.size());
  double rel = (cl - rl).cwiseAbs().maxCoeff() / std::max(1e-12f, rl.cwiseAbs().maxCoeff());

  const double frames = clip.frames;
  const double ref_s = ref["seconds_per_clip"].get<double>();
  const int ref_threads = ref["torch_threads"].get<int>();
  fmt::print("oasim bench: {} ({}), D={} depth={} {}x{} px, {} frames, {} tokens, {} timed clips\n",
             o.shape, videomamba::variant_name(c.variant), c.embed_dim, c.depth, c.img_size, c.img_size, clip.frames,
             c.sequence_length(clip.frames), o.clips);
  fmt::print("{:<34} {:>10} {:>12} {:>10}\n", "implementation", "s/clip", "frames/s", "vs ref");
  fmt::print("{:<34} {:>10.3f} {:>12.2f} {:>9.2f}x\n", fmt::format("PyTorch reference ({} thread(s))", ref_threads),
             ref_s, frames / ref_s, 1.0);
  fmt::print("{:<34} {:>10.3f} {:>12.2f} {:>9.2f}x\n", "oasim C++ fp32 (1 thread)", t1, frames / t1, ref_s / t1);
  fmt::print("{:<34} {:>10.3f} {:>12.2f} {:>9.2f}x\n", fmt::format("oasim C++ fp32 ({} threads)", max_threads), tn,
             frames / tn, ref_s / tn);
  fmt::print("max |logit difference| / max |logit| vs reference: {:.2e}\n", rel);
  if (!o.json_out.empty()) {
    nlohmann::json j = {{"shape", o.shape},        {"frames", clip.frames},     {"reference_s_per_clip", ref_s},
                        {"reference_threads", ref_threads}, {"cpp_1thread_s_per_clip", t1},
                        {"cpp_threads", max_threads}, {"cpp_s_per_clip", tn},  {"ratio_1thread", ref_s / t1},
                        {"ratio", ref_s / tn},       {"logit_rel_diff", rel}};
    std::ofstream(o.json_out) << j.dump(2) << "\n";
  }
}

}  // namespace

void register_bench(CLI::App& app) {
  auto o = std::make_shared<BenchOptions>();
  auto* sub = app.add_subcommand("bench", "Frames/s of the fp32 C++ model vs the PyTorch reference (same run)");
  sub->add_option("--shape", o->shape, "model shape: ti (VideoMamba-Ti, 224 px) or tiny")
      ->check(CLI::IsMember({"ti", "tiny"}));
  sub->add_option("--variant", o->variant, "videomamba or videomamba-stream")
      ->check(CLI::IsMember({"videomamba", "videomamba-stream"}));
  sub->add_option("--clips", o->clips, "timed clips per implementation")->check(CLI::Range(1, 1000));
  sub->add_option("--frames", o->frames, "frames per clip")->check(CLI::Range(1, 1000));
  sub->add_option("--workdir", o->workdir, "where the model and clip are written (default: a temp folder)");
  sub->add_option("--json", o->json_out, "also write the numbers as JSON");
  sub->add_flag("--kernels", o->kernels,
                "instead: the machine's GEMM peak, the fp32 and optical Ti stream frame by kernel, calibration "
                "(no PyTorch)");
  sub->add_option("--hw", o->k.hw_path, "--kernels: hardware config");
  sub->callback([o] {
    if (!o->kernels) return run_bench(*o);
    o->k.frames = o->frames;
    o->k.clips = o->clips;
    o->k.json_out = o->json_out;
    run_kernel_bench(o->k);
  });
}

}  // namespace oasim::cli
