#pragma once
// The workload compiler: VideoMamba (clip or stream) + hardware config -> Program.
//   - every Linear is cut into plane-sized tiles (input chunks never cross a weight-scale group);
//   - tiles are packed weight-stationary onto the planes of the 3D stack (shelf packing, tallest first);
//     if they do not all fit, the overflow tiles share planes that are rewritten every step (reloads);
//   - digital work (norms, conv, scan, nonlinearities, residual adds, K-split accumulation) and SRAM /
//     DRAM traffic are counted per op; the recurrent state and one layer's activations get buffer space.
#include "models/components/hardware_config.hpp"
#include "workloads/compiler/program.hpp"
#include "workloads/quant/recipe.hpp"
#include "workloads/videomamba/model_config.hpp"

namespace oasim::compiler {

// frames: frames per schedule step; a stream model is compiled per frame (frames = 1), a clip model
// per clip (frames = num_frames).
// recipe: adds its online digital work (rotations, smoothing, outlier channels) to the optical ops.
Program compile(const videomamba::ModelConfig& model, const config::HardwareConfig& hw, int frames,
                const quant::Recipe* recipe = nullptr);

// Bytes per stored state element for the configured precision.
double state_element_bytes(config::StatePrecision p);

}  // namespace oasim::compiler
