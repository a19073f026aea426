#include "sim/run/hardware_run.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cmath>

#include "models/components/hardware_config_io.hpp"
#include "models/components/light_budget.hpp"
#include "sim/common/error.hpp"
#include "sim/common/progress.hpp"
#include "sim/hardware/optical_linear_executor.hpp"
#include "workloads/compiler/compiler.hpp"
#include "workloads/data/clip_source.hpp"
#include "workloads/quant/residual_rotation.hpp"
#include "workloads/videomamba/model_file.hpp"
#include "workloads/videomamba/videomamba_model.hpp"

namespace oasim::run {
namespace {

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

int argmax(const Eigen::Ref<const RowVectorF>& r) {
  Eigen::Index i;
  r.maxCoeff(&i);
  return int(i);
}

}  // namespace

double calibrate(hardware::OpticalLinearExecutor& optical, const videomamba::VideoMambaModel& model,
                 const RunOptions& opt) {
  using namespace videomamba;
  if (!optical.needs_dac_calibration() && !optical.needs_adc_calibration() && !optical.needs_stats()) return 0;
  // Calibration clips are never evaluated: the training split, or random clips of another seed.
  const std::string spec = opt.data_spec == "mfm:test" ? "mfm:train" : opt.data_spec;
  const ModelConfig& mc = model.config();
  const int frames = opt.frames > 0 ? opt.frames : mc.num_frames;
  auto t0 = Clock::now();
  auto calib = data::open_clip_source(spec, mc, frames, opt.calibration_clips, opt.clip_seed() + 7919);
  ForwardOptions fo;
  fo.linear = &optical;
  // Calibration (and a recipe's GPTQ statistics, one pass per stage when sequential) can take minutes: a
  // bar over every forward pass of every stage, so a long calibration is not mistaken for a hang.
  const long passes = (optical.needs_stats() ? optical.stats_stages() : 0) + optical.needs_dac_calibration() +
                      optical.needs_adc_calibration();
  ProgressBar bar(optical.needs_stats() ? "calibration + recipe statistics" : "calibration", passes * calib->size(),
                  opt.progress && stderr_is_terminal());
  long done = 0;
  auto pass = [&](hardware::OpticalLinearExecutor::Mode mode) {
    optical.set_mode(mode);
    for (long i = 0; i < calib->size(); ++i) {
      model.forward(calib->get(i).video, fo);
      bar.update(++done);
    }
  };
  if (optical.needs_stats())  // recipe statistics first: they change the plans the scales belong to
    for (int stage = 0; stage < optical.stats_stages(); ++stage) {  // > 1 stage: sequential GPTQ
      optical.begin_stats_stage(stage);
      pass(hardware::OpticalLinearExecutor::Mode::CollectStats);
      optical.finish_stats_stage(stage);
    }
  if (optical.needs_dac_calibration()) {
    pass(hardware::OpticalLinearExecutor::Mode::CollectDac);
    optical.finish_dac_calibration();
  }
  if (optical.needs_adc_calibration()) {
    pass(hardware::OpticalLinearExecutor::Mode::CollectAdc);
    optical.finish_adc_calibration();
  }
  bar.finish();
  optical.set_mode(hardware::OpticalLinearExecutor::Mode::Run);
  return since(t0);
}

RunReport run_hardware(const RunOptions& opt, const config::HardwareConfig& hw) {
  using namespace videomamba;
  RunReport rep;
  rep.options = opt;
  rep.hw = hw;
  VideoMambaModel model(load_model(opt.model_path));
  const ModelConfig& mc = model.config();
  rep.model_variant = variant_name(mc.variant);
  const int frames = opt.frames > 0 ? opt.frames : mc.num_frames;
  auto source = data::open_clip_source(opt.data_spec, mc, frames, opt.clips, opt.clip_seed());
  rep.data_description = source->describe();
  rep.clips = source->size();
  rep.frames_per_clip = frames;

  // Compile and time one schedule step (data-independent: the same program runs every frame).
  rep.program = compiler::compile(mc, hw, mc.is_stream() ? 1 : frames, &opt.recipe);
  auto t_sc = Clock::now();
  rep.cost = costing::cost_program(rep.program, hw, opt.fps);
  rep.wall_systemc_s = since(t_sc);
  rep.realizability_warnings = config::realizability_warnings(hw);

  // The hardware runs the recipe's offline-transformed model (residual rotation) when it has one.
  const auto transformed = quant::offline_model(model, opt.recipe);
  const VideoMambaModel& hw_model = transformed ? *transformed : model;
  hardware::OpticalLinearExecutor optical(hw_model.weights(), hw, opt.seed, opt.recipe);

  if (!opt.fp32_only) rep.wall_calibration_s = calibrate(optical, hw_model, opt);

  long correct_fp = 0, correct_hw = 0, agree = 0, scored = 0, compared = 0;
  double cos_sum = 0;
  ProgressBar bar("clips", rep.clips, opt.progress && stderr_is_terminal());
  for (long i = 0; i < rep.clips; ++i) {
    data::LabeledClip clip = source->get(i);
    auto t0 = Clock::now();
    MatrixRM fp = model.forward(clip.video);
    rep.wall_fp32_s += since(t0);
    MatrixRM hwl;
    if (!opt.fp32_only) {
      ForwardOptions fo;
      fo.linear = &optical;
      auto t1 = Clock::now();
      hwl = hw_model.forward(clip.video, fo);
      rep.wall_hw_s += since(t1);
    }
    // Rows are frames (stream) or the single clip prediction.
    const int first = mc.is_stream() ? std::min<int>(opt.skip_frames, int(fp.rows()) - 1) : 0;
    for (long r = first; r < fp.rows(); ++r) {
      const int pf = argmax(fp.row(r));
      const bool has_label = !clip.labels.empty();
      const int label = has_label ? clip.labels[std::min<size_t>(size_t(r), clip.labels.size() - 1)] : -1;
      if (has_label) correct_fp += pf == label;
      if (!opt.fp32_only) {
        const int ph = argmax(hwl.row(r));
        if (has_label) correct_hw += ph == label;
        agree += ph == pf;
        cos_sum += double(fp.row(r).dot(hwl.row(r))) / (double(fp.row(r).norm()) * double(hwl.row(r).norm()) + 1e-30);
        ++compared;
      }
      if (has_label) ++scored;
    }
    rep.frames_total += clip.video.frames;
    bar.update(i + 1);
  }
  bar.finish();
  rep.labelled = scored > 0;
  rep.scored_frames = mc.is_stream() ? (rep.labelled ? scored : compared) : rep.clips;
  if (scored) {
    rep.fp32_top1 = double(correct_fp) / scored;
    rep.hw_top1 = double(correct_hw) / scored;
  }
  if (compared) {
    rep.agreement = double(agree) / compared;
    rep.logit_cosine = cos_sum / compared;
  }
  if (!opt.fp32_only) {
    double sum = 0;
    const hw::LightBudget budget = hw::light_budget(hw);
    for (auto& lm : rep.program.linears) {  // program (execution) order
      const auto& st = optical.site_stats().at(lm.name);
      const auto& n = st.counts;
      SiteReport s{lm.name, st.sqnr_db(), n.adc_samples > 0 ? n.adc_saturations / n.adc_samples : 0};
      if (n.detector_samples > 0) {
        s.photons_per_output = hw::photoelectrons(hw, budget, n.detector_light / n.detector_samples);
        s.shot_limit_ratio = s.photons_per_output / std::pow(4.0, hw.adc.bits);
      }
      sum += s.sqnr_db;
      rep.sites.push_back(s);
    }
    rep.mean_sqnr_db = rep.sites.empty() ? 0 : sum / double(rep.sites.size());
  }
  return rep;
}

}  // namespace oasim::run
