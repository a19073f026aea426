// libFuzzer target: the YAML hardware-config parser (text -> validated HardwareConfig).
#include <cstdint>
#include <string>

#include "sim/common/error.hpp"
#include "models/components/hardware_config_io.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    auto hw = oasim::config::parse_hardware_config_text(std::string(reinterpret_cast<const char*>(data), size), "fuzz");
    oasim::config::validate(hw, "fuzz");
  } catch (const oasim::InputError&) {
  }
  return 0;
}
