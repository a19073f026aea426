#pragma once
// Each `oasim` subcommand registers itself on the CLI11 app; its options live in its own file.
#include <CLI/CLI.hpp>

namespace oasim::cli {

void register_inspect(CLI::App& app);
void register_infer(CLI::App& app);
void register_bench(CLI::App& app);
void register_describe(CLI::App& app);
void register_run(CLI::App& app);
void register_compile(CLI::App& app);
void register_eval(CLI::App& app);
void register_sweep(CLI::App& app);
void register_replay(CLI::App& app);
void register_plot(CLI::App& app);
void register_replay_activations(CLI::App& app);
void register_analyze(CLI::App& app);

}  // namespace oasim::cli
