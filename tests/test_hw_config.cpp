// Hardware config: parsed once, validated, with errors naming file, line, key, value and what was expected.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "sim/common/error.hpp"
#include "sim/config/hardware_config_io.hpp"
#include "sim/config/hardware_params.hpp"

using namespace oasim;
using namespace oasim::config;

namespace {
std::string write_yaml(const std::string& name, const std::string& text) {
  auto p = (std::filesystem::temp_directory_path() / name).string();
  std::ofstream(p) << text;
  return p;
}
std::string shipped(const std::string& rel) { return std::string(OASIM_SOURCE_DIR) + "/" + rel; }
}  // namespace

TEST_CASE("hw config: the shipped configs load and differ", "[config]") {
  auto d = load_hardware_config(shipped("configs/hw/default.yaml"));
  auto s = load_hardware_config(shipped("configs/hw/small-edge.yaml"));
  auto l = load_hardware_config(shipped("configs/hw/large-datacenter.yaml"));
  CHECK(d.weight_plane.weight_bits == 4);
  CHECK(d.adc.bits == 8);
  CHECK(s.weight_plane.rows < d.weight_plane.rows);
  CHECK(l.weight_plane.rows > d.weight_plane.rows);
  CHECK(d.name != s.name);
}

TEST_CASE("hw config: values are read into typed fields", "[config]") {
  auto p = write_yaml("oasim_hw_ok.yaml", "name: t\nadc:\n  bits: 6\n  range: dynamic\ndetector:\n  noise_model: gaussian\n"
                                          "  sigma_rel: 0.02\nmodulator:\n  symbol_rate_ghz: 20\n");
  auto c = load_hardware_config(p);
  CHECK(c.adc.bits == 6);
  CHECK(c.adc.range == AdcRange::Dynamic);
  CHECK(c.detector.noise_model == NoiseModel::Gaussian);
  CHECK(c.detector.sigma_rel == Approx(0.02));
  CHECK(c.modulator.symbol_rate_ghz == Approx(20));
  CHECK(c.weight_plane.rows == HardwareConfig{}.weight_plane.rows);  // untouched keys keep defaults
}

TEST_CASE("hw config: bad input names file, line, key, value and expectation", "[config]") {
  auto unknown = write_yaml("oasim_hw_unknown.yaml", "adc:\n  bits: 8\n  bitz: 6\n");
  CHECK_THROWS_WITH(load_hardware_config(unknown), Catch::Contains("oasim_hw_unknown.yaml:3: unknown key 'adc.bitz'") &&
                                                       Catch::Contains("bits"));
  auto range = write_yaml("oasim_hw_range.yaml", "adc:\n  bits: 40\n");
  CHECK_THROWS_WITH(load_hardware_config(range),
                    Catch::Contains(":2: key 'adc.bits' = '40': expected an integer in [1, 16]"));
  auto type = write_yaml("oasim_hw_type.yaml", "modulator:\n  symbol_rate_ghz: fast\n");
  CHECK_THROWS_WITH(load_hardware_config(type), Catch::Contains("key 'modulator.symbol_rate_ghz' = 'fast': expected a number"));
  auto choice = write_yaml("oasim_hw_choice.yaml", "detector:\n  noise_model: loud\n");
  CHECK_THROWS_WITH(load_hardware_config(choice), Catch::Contains("expected one of: physical, gaussian, off"));
  auto section = write_yaml("oasim_hw_section.yaml", "adc: 8\n");
  CHECK_THROWS_WITH(load_hardware_config(section), Catch::Contains(":1: 'adc' is a section"));
  auto inconsistent = write_yaml("oasim_hw_incons.yaml", "weight_plane:\n  cols: 128\n  scale: group\n  group_size: 256\n");
  CHECK_THROWS_WITH(load_hardware_config(inconsistent), Catch::Contains("weight_plane.group_size = 256 exceeds"));
  auto syntax = write_yaml("oasim_hw_syntax.yaml", "adc:\n  bits: [8\n");
  CHECK_THROWS_AS(load_hardware_config(syntax), InputError);
  CHECK_THROWS_WITH(load_hardware_config("/nonexistent.yaml"), Catch::Contains("no such file"));
}

TEST_CASE("hw config: --set overrides and the YAML round trip", "[config]") {
  HardwareConfig c;
  set_hardware_param(c, "adc.bits", "6");
  CHECK(c.adc.bits == 6);
  CHECK_THROWS_WITH(set_hardware_param(c, "adc.nope", "1"), Catch::Contains("unknown hardware key 'adc.nope'"));
  CHECK_THROWS_WITH(set_hardware_param(c, "adc.bits", "x"), Catch::Contains("expected an integer"));
  auto p = write_yaml("oasim_hw_roundtrip.yaml", to_yaml(c));
  auto back = load_hardware_config(p);
  CHECK(to_yaml(back) == to_yaml(c));
}

TEST_CASE("hw config: every key is described with a meaning and a valid default", "[config]") {
  HardwareConfig defaults;
  for (auto& p : hardware_params()) {
    INFO(p.key);
    CHECK(!p.meaning.empty());
    HardwareConfig c;
    CHECK(p.set(c, p.get(defaults)).empty());  // the default is inside its own declared range
  }
}
