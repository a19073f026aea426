#include "sim/config/hardware_params.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <limits>

namespace oasim::config {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

template <typename Access>
ParamSpec integer(std::string key, std::string unit, double lo, double hi, std::string meaning, Access acc) {
  ParamSpec p{std::move(key), std::move(unit), "integer", std::move(meaning), lo, hi, {}, {}, {}};
  p.get = [acc](const HardwareConfig& c) { return std::to_string(acc(const_cast<HardwareConfig&>(c))); };
  p.set = [acc, lo, hi, ex = p](HardwareConfig& c, const std::string& text) -> std::string {
    long v = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || ptr != text.data() + text.size() || v < lo || v > hi) return ex.expected();
    acc(c) = static_cast<std::remove_reference_t<decltype(acc(c))>>(v);
    return "";
  };
  return p;
}

template <typename Access>
ParamSpec number(std::string key, std::string unit, double lo, double hi, std::string meaning, Access acc) {
  ParamSpec p{std::move(key), std::move(unit), "number", std::move(meaning), lo, hi, {}, {}, {}};
  p.get = [acc](const HardwareConfig& c) { return fmt::format("{:g}", acc(const_cast<HardwareConfig&>(c))); };
  p.set = [acc, lo, hi, ex = p](HardwareConfig& c, const std::string& text) -> std::string {
    char* end = nullptr;
    double v = std::strtod(text.c_str(), &end);
    if (text.empty() || end != text.c_str() + text.size() || !std::isfinite(v) || v < lo || v > hi)
      return ex.expected();
    acc(c) = v;
    return "";
  };
  return p;
}

template <typename Enum, typename Access>
ParamSpec choice(std::string key, std::vector<std::string> names, std::string meaning, Access acc) {
  ParamSpec p{std::move(key), "", "choice", std::move(meaning), 0, 0, names, {}, {}};
  p.get = [acc, names](const HardwareConfig& c) { return names.at(size_t(acc(const_cast<HardwareConfig&>(c)))); };
  p.set = [acc, names, ex = p](HardwareConfig& c, const std::string& text) -> std::string {
    for (size_t i = 0; i < names.size(); ++i)
      if (names[i] == text) {
        acc(c) = Enum(i);
        return "";
      }
    return ex.expected();
  };
  return p;
}

std::vector<ParamSpec> build() {
  using C = HardwareConfig;
  std::vector<ParamSpec> t;
  ParamSpec name{"name", "", "string", "name of this design, shown in reports", 0, 0, {}, {}, {}};
  name.get = [](const C& c) { return c.name; };
  name.set = [](C& c, const std::string& v) -> std::string {
    if (v.empty()) return "a non-empty string";
    c.name = v;
    return "";
  };
  t.push_back(name);
  t.push_back(integer("seed", "", 0, 1e15, "device seed: draws the fixed-pattern errors of this device",
                      [](C& c) -> uint64_t& { return c.seed; }));

  // Modulator array + DAC
  t.push_back(integer("modulator.channels", "", 1, 65536, "input channels modulated in parallel per symbol",
                      [](C& c) -> int& { return c.modulator.channels; }));
  t.push_back(integer("modulator.dac_bits", "bit", 1, 16, "DAC resolution of each input (signed levels)",
                      [](C& c) -> int& { return c.modulator.dac_bits; }));
  t.push_back(choice<SignedEncoding>("modulator.signed_encoding", {"differential", "offset"},
                                     "signed inputs on non-negative light: differential = two rails (x+, x-) with "
                                     "balanced detection; offset = x + bias, bias term removed digitally",
                                     [](C& c) -> SignedEncoding& { return c.modulator.signed_encoding; }));
  t.push_back(choice<ActivationScale>("modulator.scale", {"static", "dynamic"},
                                      "DAC input scale: static per layer from calibration, or dynamic per token "
                                      "(a digital max-reduction per vector)",
                                      [](C& c) -> ActivationScale& { return c.modulator.scale; }));
  t.push_back(number("modulator.static_percentile", "%", 50, 100,
                     "static DAC scale: percentile of |x| over calibration data",
                     [](C& c) -> double& { return c.modulator.static_percentile; }));
  t.push_back(number("modulator.symbol_rate_ghz", "GHz", 1e-3, 1e3, "input symbols per second per channel",
                     [](C& c) -> double& { return c.modulator.symbol_rate_ghz; }));
  t.push_back(number("modulator.modulator_energy_fj_per_symbol", "fJ", 0, 1e6,
                     "modulator drive energy per channel per symbol",
                     [](C& c) -> double& { return c.modulator.modulator_energy_fj_per_symbol; }));
  t.push_back(number("modulator.dac_fom_fj_per_step", "fJ", 0, 1e6, "DAC energy per conversion step (E = FoM*2^bits)",
                     [](C& c) -> double& { return c.modulator.dac_fom_fj_per_step; }));

  // Weight planes
  t.push_back(integer("weight_plane.rows", "", 1, 65536, "outputs (detector rows) per plane",
                      [](C& c) -> int& { return c.weight_plane.rows; }));
  t.push_back(integer("weight_plane.cols", "", 1, 65536, "inputs per plane (one balanced pixel pair per weight)",
                      [](C& c) -> int& { return c.weight_plane.cols; }));
  t.push_back(integer("weight_plane.planes", "", 1, 1e6, "weight planes in the 3D stack",
                      [](C& c) -> int& { return c.weight_plane.planes; }));
  t.push_back(integer("weight_plane.weight_bits", "bit", 2, 8, "weight resolution (signed levels)",
                      [](C& c) -> int& { return c.weight_plane.weight_bits; }));
  t.push_back(choice<WeightScale>("weight_plane.scale", {"per_channel", "group"},
                                  "weight scales: one per output row, or one per group of inputs",
                                  [](C& c) -> WeightScale& { return c.weight_plane.scale; }));
  t.push_back(integer("weight_plane.group_size", "", 1, 65536, "inputs per scale group (scale = group)",
                      [](C& c) -> int& { return c.weight_plane.group_size; }));
  t.push_back(number("weight_plane.fixed_pattern_sigma", "", 0, 1,
                     "relative per-pixel transmission error (static, drawn once per device)",
                     [](C& c) -> double& { return c.weight_plane.fixed_pattern_sigma; }));
  t.push_back(number("weight_plane.crosstalk", "", 0, 0.25, "fraction of a neighbouring row's light reaching a detector",
                     [](C& c) -> double& { return c.weight_plane.crosstalk; }));
  t.push_back(number("weight_plane.program_time_us", "us", 0, 1e9, "time to rewrite one plane",
                     [](C& c) -> double& { return c.weight_plane.program_time_us; }));
  t.push_back(number("weight_plane.program_energy_nj", "nJ", 0, 1e12, "energy to rewrite one plane",
                     [](C& c) -> double& { return c.weight_plane.program_energy_nj; }));

  // Laser / optics
  t.push_back(number("laser.power_per_channel_uw", "uW", 1e-9, 1e6, "optical power of one full-scale input",
                     [](C& c) -> double& { return c.laser.power_per_channel_uw; }));
  t.push_back(number("laser.wall_plug_efficiency", "", 1e-4, 1, "optical power out / electrical power in",
                     [](C& c) -> double& { return c.laser.wall_plug_efficiency; }));
  t.push_back(number("laser.optical_efficiency", "", 1e-6, 1, "fraction of input light reaching the detector "
                     "(fan-out, plane transmission, coupling)",
                     [](C& c) -> double& { return c.laser.optical_efficiency; }));

  // Detector + TIA
  t.push_back(choice<NoiseModel>("detector.noise_model", {"physical", "gaussian", "off"},
                                 "physical = shot + thermal + RIN + dark from the light levels; gaussian = "
                                 "N(0, (sigma_rel * ADC full scale)^2); off = noiseless",
                                 [](C& c) -> NoiseModel& { return c.detector.noise_model; }));
  t.push_back(number("detector.sigma_rel", "", 0, 1, "gaussian model: noise std / ADC full scale",
                     [](C& c) -> double& { return c.detector.sigma_rel; }));
  t.push_back(number("detector.noise_scale", "", 0, 100,
                     "multiplies the detector noise std of either model (1 = as modelled; 2 = twice the noise)",
                     [](C& c) -> double& { return c.detector.noise_scale; }));
  t.push_back(number("detector.responsivity_a_per_w", "A/W", 1e-3, 2, "photodetector responsivity",
                     [](C& c) -> double& { return c.detector.responsivity_a_per_w; }));
  t.push_back(number("detector.dark_current_na", "nA", 0, 1e6, "dark current (adds shot noise 2 q I_d B)",
                     [](C& c) -> double& { return c.detector.dark_current_na; }));
  t.push_back(number("detector.rin_db_per_hz", "dB/Hz", -200, -80, "laser relative intensity noise",
                     [](C& c) -> double& { return c.detector.rin_db_per_hz; }));
  t.push_back(number("detector.tia_feedback_kohm", "kOhm", 1e-3, 1e6, "TIA feedback resistor (thermal noise 4kTB/R)",
                     [](C& c) -> double& { return c.detector.tia_feedback_kohm; }));
  t.push_back(number("detector.temperature_k", "K", 1, 500, "temperature for thermal noise",
                     [](C& c) -> double& { return c.detector.temperature_k; }));
  t.push_back(number("detector.power_mw", "mW", 0, 1e4, "TIA power per detector while streaming",
                     [](C& c) -> double& { return c.detector.power_mw; }));

  // ADC
  t.push_back(integer("adc.bits", "bit", 1, 16, "ADC resolution (signed codes)",
                      [](C& c) -> int& { return c.adc.bits; }));
  t.push_back(integer("adc.count", "", 1, 65536, "ADCs in parallel", [](C& c) -> int& { return c.adc.count; }));
  t.push_back(number("adc.sample_rate_gsps", "GS/s", 1e-3, 1e3, "samples per second per ADC",
                     [](C& c) -> double& { return c.adc.sample_rate_gsps; }));
  t.push_back(choice<AdcRange>("adc.range", {"static", "dynamic"},
                               "ADC full scale: static per layer from calibration data, or dynamic per vector",
                               [](C& c) -> AdcRange& { return c.adc.range; }));
  t.push_back(number("adc.calibration_percentile", "%", 50, 100,
                     "static range: percentile of |output| over calibration data",
                     [](C& c) -> double& { return c.adc.calibration_percentile; }));
  t.push_back(number("adc.walden_fom_fj_per_step", "fJ", 0, 1e6, "Walden figure of merit (E = FoM * 2^bits)",
                     [](C& c) -> double& { return c.adc.walden_fom_fj_per_step; }));

  // Memories
  t.push_back(number("sram.capacity_kib", "KiB", 1, 1e9, "on-chip buffer for activations and recurrent state",
                     [](C& c) -> double& { return c.sram.capacity_kib; }));
  t.push_back(number("sram.bandwidth_gbps", "GB/s", 1e-3, 1e6, "SRAM bandwidth",
                     [](C& c) -> double& { return c.sram.bandwidth_gbps; }));
  t.push_back(number("sram.energy_pj_per_bit", "pJ", 0, 1e3, "SRAM energy per bit read or written",
                     [](C& c) -> double& { return c.sram.energy_pj_per_bit; }));
  t.push_back(number("dram.bandwidth_gbps", "GB/s", 1e-3, 1e6, "DRAM bandwidth (spills, weight reloads)",
                     [](C& c) -> double& { return c.dram.bandwidth_gbps; }));
  t.push_back(number("dram.energy_pj_per_bit", "pJ", 0, 1e4, "DRAM energy per bit",
                     [](C& c) -> double& { return c.dram.energy_pj_per_bit; }));

  // Digital unit
  t.push_back(number("digital.clock_ghz", "GHz", 1e-3, 100, "digital unit clock",
                     [](C& c) -> double& { return c.digital.clock_ghz; }));
  t.push_back(integer("digital.lanes", "", 1, 1e6, "elementwise operations per cycle",
                      [](C& c) -> int& { return c.digital.lanes; }));
  t.push_back(number("digital.energy_pj_per_add", "pJ", 0, 1e3, "energy of one add",
                     [](C& c) -> double& { return c.digital.energy_pj_per_add; }));
  t.push_back(number("digital.energy_pj_per_mul", "pJ", 0, 1e3, "energy of one multiply",
                     [](C& c) -> double& { return c.digital.energy_pj_per_mul; }));
  t.push_back(number("digital.energy_pj_per_nonlinear", "pJ", 0, 1e4, "energy of one exp/SiLU/softplus/rsqrt",
                     [](C& c) -> double& { return c.digital.energy_pj_per_nonlinear; }));
  t.push_back(choice<StatePrecision>("digital.state_precision", {"fp32", "fp16", "bf16", "int8"},
                                     "storage precision of the recurrent SSM state between frames",
                                     [](C& c) -> StatePrecision& { return c.digital.state_precision; }));
  return t;
}

}  // namespace

std::string ParamSpec::expected() const {
  if (type == "integer") return fmt::format("an integer in [{:g}, {:g}]", min, max);
  if (type == "number") return fmt::format("a number in [{:g}, {:g}]", min, max);
  if (type == "choice") {
    std::string s = "one of: ";
    for (size_t i = 0; i < choices.size(); ++i) s += (i ? ", " : "") + choices[i];
    return s;
  }
  return "a string";
}

const std::vector<ParamSpec>& hardware_params() {
  static const std::vector<ParamSpec> table = build();
  return table;
}

const ParamSpec* find_param(const std::string& key) {
  for (auto& p : hardware_params())
    if (p.key == key) return &p;
  return nullptr;
}

}  // namespace oasim::config
