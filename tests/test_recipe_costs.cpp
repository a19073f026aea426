// Every shipped recipe's costed work equals what its numerics do: the digital work and SRAM reads the
// compiled program adds to the optical ops (quant::online_cost) equal the work the executor counts while
// it runs the recipe's transforms, outlier path and group scales on the tiny model, site by site summed.
// The outlier path is costed at its provisioned budget: the program's excess over the executor's count
// must be exactly the unused slots (budget x tokens - picked channels), each one multiply-add per output
// and one weight-code read per output.
#include <catch2/catch.hpp>

#include <filesystem>

#include "models/components/hardware_config_io.hpp"
#include "sim/common/h5_file.hpp"
#include "sim/hardware/optical_linear_executor.hpp"
#include "sim/run/hardware_run.hpp"
#include "tests/run_support.hpp"
#include "workloads/compiler/compiler.hpp"
#include "workloads/quant/recipe.hpp"
#include "workloads/quant/residual_rotation.hpp"
#include "workloads/videomamba/model_file.hpp"
#include "workloads/videomamba/videomamba_model.hpp"

using namespace oasim;

namespace {

// Digital work and SRAM reads of the program's optical ops (the recipe's online work rides on them), less
// each pass's rescale-and-accumulate tail (2 multiplies + 1 add per output sample): Quamba2's extra passes
// change that tail, and test_quamba2.cpp compares the passes with the executor's.
compiler::DigitalWork optical_digital(const compiler::Program& p, double* sram) {
  compiler::DigitalWork d;
  *sram = 0;
  for (auto& op : p.ops)
    if (op.kind == compiler::OpKind::Optical) {
      const auto& lm = p.linears[size_t(op.linear)];
      const double samples = double(op.vectors) * lm.out_features * lm.col_tiles;
      d.adds += op.digital.adds - samples;
      d.muls += op.digital.muls - 2 * samples;
      d.nonlinear += op.digital.nonlinear;
      *sram += op.sram_bytes_read;
    }
  return d;
}

}  // namespace

TEST_CASE("recipe costs: the program's extra digital work equals the executor's counted work, per recipe",
          "[quant][costs]") {
  using namespace videomamba;
  namespace fs = std::filesystem;
  VideoMambaModel model(load_model(test::fixture("tiny_stream.h5")));
  std::vector<std::string> files;
  for (auto& e : fs::directory_iterator(fs::path(OASIM_SOURCE_DIR) / "configs/recipes")) files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 11);
  for (const auto& file : files) {
    INFO(file);
    const quant::Recipe r = quant::load_recipe(file);
    config::HardwareConfig hw;
    for (auto& [k, v] : r.hardware) config::set_hardware_param(hw, k, v, file);
    // The model the hardware runs (residual rotation: the offline-transformed copy), calibrated as a run.
    const auto offline = quant::offline_model(model, r);
    const VideoMambaModel& hw_model = offline ? *offline : model;
    hardware::OpticalLinearExecutor ex(hw_model.weights(), hw, 1, r);
    run::RunOptions o = test::tiny_run_options(1, 1, 3);
    run::calibrate(ex, hw_model, o);
    ex.reset_stats();
    ForwardOptions fo;
    fo.linear = &ex;
    Video v(model.config().in_chans, 1, model.config().img_size, model.config().img_size);
    NormalSampler noise(11);
    noise.fill(v.data.data(), long(v.data.size()));
    for (auto& p : v.data) p *= 3.0f;
    hw_model.forward(v, fo);

    quant::OnlineCost counted;
    double unused_slots = 0;  // outlier slots of the budget the numerics did not need, x out_features
    for (auto& [name, st] : ex.site_stats()) {
      counted.adds += st.recipe_work.adds;
      counted.muls += st.recipe_work.muls;
      counted.nonlinear += st.recipe_work.nonlinear;
      counted.sram_bytes_read += st.recipe_work.sram_bytes_read;
    }
    for (auto& [name, st] : ex.site_stats()) {
      if (st.vectors == 0) continue;
      bool outlier_site = false;
      for (auto k : {LinearKind::PatchEmbed, LinearKind::InProj, LinearKind::XProj, LinearKind::DtProj,
                     LinearKind::OutProj, LinearKind::Head})
        if (r.outliers.threshold > 0 && quant::in_set(r.outlier_sites, k) &&
            name.find(std::string(quant::kind_key(k))) != std::string::npos)
          outlier_site = true;
      if (outlier_site)
        unused_slots += (r.outliers.max_channels * st.vectors - st.outlier_channels) * ex.plan(name).out_features;
    }
    double sram_recipe = 0, sram_plain = 0;
    const auto with = optical_digital(compiler::compile(model.config(), hw, 1, &r), &sram_recipe);
    const auto plain = optical_digital(compiler::compile(model.config(), hw, 1, nullptr), &sram_plain);
    INFO("program extra adds " << with.adds - plain.adds << ", muls " << with.muls - plain.muls << "; counted adds "
                               << counted.adds << ", muls " << counted.muls << "; unused outlier slots x out "
                               << unused_slots);
    CHECK(with.adds - plain.adds == Approx(counted.adds + unused_slots).margin(1e-6));
    CHECK(with.muls - plain.muls == Approx(counted.muls + unused_slots).margin(1e-6));
    CHECK(with.nonlinear - plain.nonlinear == Approx(counted.nonlinear).margin(1e-6));
    CHECK(sram_recipe - sram_plain ==
          Approx(counted.sram_bytes_read + unused_slots * hw.weight_plane.weight_bits / 8.0).margin(1e-6));
    if (r.outliers.threshold > 0) CHECK(counted.muls > 0);
  }
}

TEST_CASE("recipe costs: the outlier path's Int4 weight copy is resident in the SRAM buffer plan", "[quant][compiler]") {
  const auto m = videomamba::read_model_config(h5::Reader(std::string(OASIM_SOURCE_DIR) + "/models/videomamba-stream-mfm.h5"));
  const auto hw = config::load_hardware_config(std::string(OASIM_SOURCE_DIR) + "/configs/hw/default.yaml");
  const auto outlier = quant::load_recipe(std::string(OASIM_SOURCE_DIR) + "/configs/recipes/w4a8-outlier.yaml");
  const auto plain = quant::load_recipe(std::string(OASIM_SOURCE_DIR) + "/configs/recipes/w4a8-gptq.yaml");
  const auto with = compiler::compile(m, hw, 1, &outlier);
  const auto without = compiler::compile(m, hw, 1, &plain);
  CHECK(without.buffers.weight_copy_bytes == 0);
  // Closed form: the recipe's sites are x_proj (both directions) and out_proj of every block; Int4 codes
  // (half a byte each) plus one fp32 scale per output row.
  const double Di = m.d_inner(), D = m.embed_dim, R = m.dt_rank, N = m.d_state;
  const double x_proj = (R + 2 * N) * Di * 0.5 + (R + 2 * N) * 4, out_proj = D * Di * 0.5 + D * 4;
  CHECK(with.buffers.weight_copy_bytes == Approx(m.depth * (2 * x_proj + out_proj)).epsilon(1e-12));
  CHECK(with.buffers.resident_bytes() ==
        Approx(with.buffers.state_bytes + with.buffers.activation_bytes + with.buffers.weight_copy_bytes));
}
