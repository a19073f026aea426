// oasim: simulator of a 3D free-space optical accelerator running VideoMamba.
#include <cstdio>
#include <exception>
#include <filesystem>
#include <new>

#include "sim/cli/commands.hpp"
#include "sim/common/error.hpp"
#include "sim/common/provenance.hpp"

int main(int argc, char** argv) {
  CLI::App app{"oasim: a simulator of a 3D free-space optical AI accelerator and the VideoMamba models on it"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("oasim ") + oasim::oasim_version());
  oasim::set_command_line(argc, argv);
  oasim::cli::register_inspect(app);
  oasim::cli::register_infer(app);
  oasim::cli::register_bench(app);
  oasim::cli::register_describe(app);
  oasim::cli::register_run(app);
  oasim::cli::register_compile(app);
  oasim::cli::register_eval(app);
  oasim::cli::register_sweep(app);
  oasim::cli::register_replay(app);
  oasim::cli::register_plot(app);
  oasim::cli::register_replay_activations(app);
  oasim::cli::register_analyze(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;  // bad command line = bad input
  } catch (const oasim::InputError& e) {
    std::fprintf(stderr, "oasim: error: %s\n", e.what());
    return 2;
  } catch (const std::filesystem::filesystem_error& e) {
    // A path the user gave that the OS refuses (permissions, a file where a folder is needed, a full disk):
    // the commands check the usual cases up front; this is the net for the rest.
    std::fprintf(stderr, "oasim: error: %s\n", e.what());
    return 2;
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "oasim: error: out of memory (the requested sizes do not fit in this machine's memory)\n");
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "oasim: internal error: %s\n", e.what());
    return 1;
  }
  return 0;
}
