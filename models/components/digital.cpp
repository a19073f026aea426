#include "models/components/digital.hpp"

#include "models/components/param_rows.hpp"

namespace oasim::hw {

std::vector<config::ParamSpec> Digital::params() const {
  using config::StatePrecision;
  return {
      OASIM_NUMBER("digital.clock_ghz", "GHz", 1e-3, 100, "digital unit clock", "assumed", digital.clock_ghz),
      OASIM_INTEGER("digital.lanes", "", 1, 1e6, "elementwise operations per cycle", "assumed", int, digital.lanes),
      OASIM_NUMBER("digital.energy_pj_per_add", "pJ", 0, 1e3, "energy of one add",
                   "Horowitz 45 nm fp16 add 0.4 pJ x 0.25 for 7 nm (stated factor)", digital.energy_pj_per_add),
      OASIM_NUMBER("digital.energy_pj_per_mul", "pJ", 0, 1e3, "energy of one multiply",
                   "Horowitz 45 nm fp16 multiply 1.1 pJ x 0.25 for 7 nm (stated factor)", digital.energy_pj_per_mul),
      OASIM_NUMBER("digital.energy_pj_per_nonlinear", "pJ", 0, 1e4, "energy of one exp/SiLU/softplus/rsqrt",
                   "assumed: about 4 fp16 multiply-adds of a polynomial at 7 nm", digital.energy_pj_per_nonlinear),
      OASIM_CHOICE("digital.state_precision", StatePrecision, (std::vector<std::string>{"fp32", "fp16", "bf16", "int8"}),
                   "storage precision of the recurrent SSM state between frames", "fp32", digital.state_precision),
      OASIM_NUMBER("digital.leakage_mw", "mW", 0, 1e5, "digital unit leakage (static)", "assumed", digital.leakage_mw),
      OASIM_NUMBER("digital.area_mm2_per_lane", "mm2", 0, 1e3, "area per lane (fp16 datapath + registers)",
                   "assumed for 7 nm", digital.area_mm2_per_lane),
  };
}
std::vector<ActionEnergy> Digital::actions(const energy::ActionCounts& a, const config::HardwareConfig& hw) const {
  return {{"add", a.digital_adds, hw.digital.energy_pj_per_add * 1e-12},
          {"multiply", a.digital_muls, hw.digital.energy_pj_per_mul * 1e-12},
          {"nonlinear", a.digital_nonlinear, hw.digital.energy_pj_per_nonlinear * 1e-12}};
}
std::vector<PowerState> Digital::power(const config::HardwareConfig& hw) const {
  return {{"leakage", hw.digital.leakage_mw * 1e-3, false, 0}};
}
double Digital::area_mm2(const config::HardwareConfig& hw) const { return hw.digital.lanes * hw.digital.area_mm2_per_lane; }

std::vector<config::ParamSpec> Controller::params() const {
  return {
      OASIM_NUMBER("controller.static_mw", "mW", 0, 1e6, "controller and host link, always on",
                   "assumed: a control core plus an idle host-link PHY", controller.static_mw),
      OASIM_NUMBER("controller.area_mm2", "mm2", 0, 1e4, "controller and host-link area", "assumed", controller.area_mm2),
      OASIM_INTEGER("controller.recalibrate_every_frames", "frames", 0, 1e9,
                    "long streams: recalibrate ADC ranges and path gains every N frames (0 = never on a schedule)",
                    "0: the shipped designs do not drift (laser.drift_*, weight_plane.drift_*)", int,
                    controller.recalibrate_every_frames),
      OASIM_NUMBER("controller.recalibrate_threshold_pct", "%", 0, 100,
                   "long streams: recalibrate when a monitor photodiode sees any path's gain move by more than this "
                   "since the last calibration (0 = off)",
                   "0: no drift in the shipped designs; a monitor tap per laser bank and a reference pixel per plane "
                   "are assumed",
                   controller.recalibrate_threshold_pct),
      OASIM_INTEGER("controller.recalibration_frames", "frames", 1, 1e4,
                    "calibration frames one recalibration runs through the optical path (their time and energy)",
                    "assumed: the initial calibration's ADC ranges settle within a few frames", int,
                    controller.recalibration_frames),
  };
}
std::vector<PowerState> Controller::power(const config::HardwareConfig& hw) const {
  return {{"sequencer + host link", hw.controller.static_mw * 1e-3, false, 0}};
}
double Controller::area_mm2(const config::HardwareConfig& hw) const { return hw.controller.area_mm2; }

}  // namespace oasim::hw
