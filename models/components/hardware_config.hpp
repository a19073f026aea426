#pragma once
// The optical accelerator's configuration, parsed once from YAML into these typed structs (units in the
// field names). The YAML tree mirrors this struct tree; each component declares its subtree's keys
// (unit, default, range, meaning, source) in its own file, and the assembled key table
// (param_table.hpp) drives parsing, validation, `oasim describe` and sweeps alike. The struct defaults
// are the shipped default design (configs/hw/default.yaml; a test keeps them equal).
#include <cstdint>
#include <string>

#include "models/components/adc.hpp"
#include "models/components/detector.hpp"
#include "models/components/digital.hpp"
#include "models/components/interconnect.hpp"
#include "models/components/laser.hpp"
#include "models/components/memories.hpp"
#include "models/components/modulator.hpp"
#include "models/components/optics.hpp"
#include "models/components/scan_engine.hpp"
#include "models/components/structure.hpp"
#include "models/components/weight_plane.hpp"

namespace oasim::config {

struct HardwareConfig {
  std::string name = "lumai-like-default";
  std::string source_file;          // where it was read from ("" = built-in defaults)
  uint64_t seed = 1;                // device seed: fixed-pattern errors
  LaserConfig laser;
  ModulatorConfig modulator;
  OpticsConfig optics;
  WeightPlaneConfig weight_plane;
  DetectorConfig detector;
  AdcConfig adc;
  SramConfig sram;
  DramConfig dram;
  DigitalConfig digital;
  ScanEngineConfig scan_engine;
  ControllerConfig controller;
  StructureConfig structure;        // YAML section `cores`
  InterconnectConfig interconnect;  // between optical cores (none with one core)
};

}  // namespace oasim::config
