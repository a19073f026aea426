#pragma once
// A stream's state saved through the simulated hardware (`infer --hw --save-state`): besides the model's
// recurrent state (StreamSession::save_state), where every site's detector-noise stream stands and what
// the device was (run seed, resolved hardware config, recipe), so that `--load-state` continues exactly
// as an uninterrupted stream would, and refuses a state saved on other hardware.
#include <string>

#include "sim/cli/hardware_setup.hpp"

namespace oasim::cli {

// Adds the hardware part to a state file StreamSession::save_state has just written.
void save_hardware_stream_state(const std::string& path, const HardwareSetup& hw, const HardwareOptions& o);

// Restores the noise positions; InputError naming the difference when the state was saved with another seed,
// config or recipe. A state saved without --hw starts the noise streams at their beginning (said on stderr).
void load_hardware_stream_state(const std::string& path, HardwareSetup& hw, const HardwareOptions& o);

}  // namespace oasim::cli
