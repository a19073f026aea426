#pragma once
// Shorthands for the components' key-table rows: each names the key, unit, range, meaning, the source of
// its default, and the HardwareConfig field it reads and writes.
#include "models/components/hardware_config.hpp"
#include "sim/config/param_spec.hpp"

#define OASIM_NUMBER(key, unit, lo, hi, meaning, source, field)                                             \
  config::number_param<config::HardwareConfig>(key, unit, lo, hi, meaning, source,                          \
                                               [](config::HardwareConfig& c) -> double& { return c.field; })
#define OASIM_INTEGER(key, unit, lo, hi, meaning, source, type, field)                                      \
  config::integer_param<config::HardwareConfig>(key, unit, lo, hi, meaning, source,                         \
                                                [](config::HardwareConfig& c) -> type& { return c.field; })
#define OASIM_CHOICE(key, enum_type, names, meaning, source, field)                                         \
  config::choice_param<config::HardwareConfig, enum_type>(                                                  \
      key, names, meaning, source, [](config::HardwareConfig& c) -> enum_type& { return c.field; })
#define OASIM_GATING(section, what, field)                                                                   \
  OASIM_CHOICE(section ".power_gating", int, (std::vector<std::string>{"off", "on"}),                       \
               "on: " what " sleep between frames (static power only while a frame computes, plus one "     \
               "wake-up); off: always on",                                                                   \
               "assumed: converters and receivers are clock/power gated in low-duty-cycle designs", field)
