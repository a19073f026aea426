// A deliberately backwards include (hardware layer including the application layer): the layer check
// (scripts/check_layers.cmake) must refuse this tree. Not compiled.
#include "sim/run/hardware_run.hpp"
