// `oasim inspect MODEL.h5`: architecture, shapes and parameter count of a model file.
#include <fmt/format.h>

#include "sim/cli/commands.hpp"
#include "workloads/videomamba/model_file.hpp"

namespace oasim::cli {
namespace {

struct InspectOptions {
  std::string model;
  bool keys = false;
};

void run_inspect(const InspectOptions& o) {
  using namespace videomamba;
  ModelWeights w = load_model(o.model);  // full validation, not just the attributes
  const ModelConfig& c = w.config;
  fmt::print("model        {}\n", o.model);
  if (!w.source.empty()) fmt::print("source       {}\n", w.source);
  fmt::print("variant      {}\n", variant_name(c.variant));
  fmt::print("embed_dim    {}   depth {}   d_inner {}   d_state {}   d_conv {}   dt_rank {}   expand {}\n",
             c.embed_dim, c.depth, c.d_inner(), c.d_state, c.d_conv, c.dt_rank, c.expand);
  fmt::print("input        {} x {} px, {} channel(s), patch {}, tubelet {}, {} frames per clip\n", c.img_size,
             c.img_size, c.in_chans, c.patch_size, c.tubelet_size, c.num_frames);
  fmt::print("tokens       {} patches per frame; sequence of {} tokens for {} frames\n", c.patches_per_frame(),
             c.sequence_length(c.num_frames), c.num_frames);
  fmt::print("classes      {}{}\n", c.num_classes, w.class_names.empty() ? "" : " (named)");
  fmt::print("parameters   {} ({:.2f} M, {:.1f} MB fp32)\n", w.parameter_count(), w.parameter_count() / 1e6,
             w.parameter_count() * 4.0 / 1e6);
  if (c.is_stream()) {
    long state = long(c.depth) * c.d_inner() * (c.d_state + c.d_conv - 1);
    fmt::print("stream state {} floats ({:.1f} KB fp32) carried between frames\n", state, state * 4.0 / 1e3);
  }
  if (o.keys) {
    fmt::print("\n{:<44} {}\n", "key", "shape");
    for (auto& k : expected_keys(c)) fmt::print("{:<44} {}\n", k.name, h5::shape_str(k.shape));
  }
}

}  // namespace

void register_inspect(CLI::App& app) {
  auto o = std::make_shared<InspectOptions>();
  auto* sub = app.add_subcommand("inspect", "Print a model file's architecture, shapes and parameter count");
  sub->add_option("model", o->model, "oasim model file (.h5)")->required();
  sub->add_flag("--keys", o->keys, "also list every key with its shape");
  sub->callback([o] { run_inspect(*o); });
}

}  // namespace oasim::cli
