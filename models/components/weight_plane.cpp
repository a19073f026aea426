#include "models/components/weight_plane.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "models/components/param_rows.hpp"
#include "models/components/units.hpp"
#include "models/optical/quantizer.hpp"

namespace oasim::hw {

using config::PlaneAddressing;

int weight_levels(const config::HardwareConfig& hw) { return optical::max_code(hw.weight_plane.weight_bits); }
double pixels_per_plane(const config::HardwareConfig& hw) {
  return 2.0 * hw.weight_plane.rows * hw.weight_plane.cols;  // a balanced pixel pair per weight
}
double weight_light_floor(const config::HardwareConfig& hw) {
  return weight_levels(hw) / (db_ratio(hw.weight_plane.contrast_db) - 1.0);
}

void apply_crosstalk(MatrixRM& s, double c, int tile_rows) {
  if (c <= 0) return;
  const long m = s.cols();
  const float fc = float(c);
  thread_local std::vector<float> row;  // no allocation per call once grown
  row.resize(size_t(m));
  for (long t = 0; t < s.rows(); ++t) {
    float* r = s.row(t).data();
    std::copy(r, r + m, row.begin());
    // Per tile: its first and last rows have one neighbour, the rows between two (a branch-free loop
    // that vectorises); each row's arithmetic is the same expression in the same order as before.
    for (long start = 0; start < m; start += tile_rows) {
      const long end = std::min(m, start + long(tile_rows));
      if (end - start == 1) continue;  // a lone row keeps its light
      r[start] = row[start] + fc * (row[start + 1] - row[start]);
      for (long j = start + 1; j + 1 < end; ++j) {
        float acc = row[j];
        acc += fc * (row[j - 1] - row[j]);
        acc += fc * (row[j + 1] - row[j]);
        r[j] = acc;
      }
      r[end - 1] = row[end - 1] + fc * (row[end - 2] - row[end - 1]);
    }
  }
}

std::vector<config::ParamSpec> WeightPlanes::params() const {
  using config::WeightScale;
  return {
      OASIM_INTEGER("weight_plane.rows", "", 1, 65536, "outputs (detector rows) per plane",
                    "assumed SLM tile of 256 x 256 weight pixel pairs", int, weight_plane.rows),
      OASIM_INTEGER("weight_plane.cols", "", 1, 65536, "inputs per plane (one balanced pixel pair per weight)",
                    "assumed", int, weight_plane.cols),
      OASIM_INTEGER("weight_plane.planes", "", 1, 1e6, "weight planes in the 3D stack",
                    "assumed: holds the whole default model resident", int, weight_plane.planes),
      OASIM_INTEGER("weight_plane.weight_bits", "bit", 2, 8, "weight resolution (signed levels)",
                    "Int4 weights (the mission)", int, weight_plane.weight_bits),
      OASIM_CHOICE("weight_plane.scale", WeightScale, (std::vector<std::string>{"per_channel", "group"}),
                   "weight scales: one per output row, or one per group of inputs", "assumed", weight_plane.scale),
      OASIM_INTEGER("weight_plane.group_size", "", 1, 65536, "inputs per scale group (scale = group)", "assumed", int,
                    weight_plane.group_size),
      OASIM_NUMBER("weight_plane.fixed_pattern_sigma", "", 0, 1,
                   "relative per-pixel transmission error (static, drawn once per device)",
                   "\"a few percent of a level\" per pixel (optical-hardware.md): 1 % of full scale",
                   weight_plane.fixed_pattern_sigma),
      OASIM_NUMBER("weight_plane.crosstalk", "", 0, 0.25, "fraction of a neighbouring row's light reaching a detector",
                   "free-space crosstalk 1e-3..1e-2 (optical-hardware.md)", weight_plane.crosstalk),
      OASIM_NUMBER("weight_plane.program_time_us", "us", 0, 1e9, "time to rewrite one plane",
                   "ferroelectric LC / DMD 1-30 kHz frame rates (optical-hardware.md)", weight_plane.program_time_us),
      OASIM_CHOICE("weight_plane.double_buffer", int, (std::vector<std::string>{"off", "on"}),
                   "when the model does not fit the stack: off: one plane is rewritten for each extra plane's worth of "
                   "tiles and the ops on rewritten planes wait for the step's reload; on: two planes alternate (one "
                   "is read while the other is written), so the reload overlaps the step's compute (one resident "
                   "plane fewer; needs weight_plane.planes >= 2)",
                   "off: every earlier number", weight_plane.double_buffer),
      OASIM_NUMBER("weight_plane.program_energy_pj_per_pixel", "pJ", 0, 1e9,
                   "energy to rewrite one pixel (a plane has 2 x rows x cols pixels)", "assumed: about 1 pJ per pixel",
                   weight_plane.program_energy_pj_per_pixel),
      OASIM_NUMBER("weight_plane.transmission", "", 1e-6, 1, "transmission of a fully open pixel",
                   "assumed: LCoS / DMD optical efficiency 60-90 %", weight_plane.transmission),
      OASIM_NUMBER("weight_plane.contrast_db", "dB", 0.1, 80, "open / dark pixel transmission (a dark pixel leaks)",
                   "assumed: LCoS about 1000:1 (30 dB)", weight_plane.contrast_db),
      OASIM_CHOICE("weight_plane.addressing", PlaneAddressing, (std::vector<std::string>{"stacked", "side_by_side"}),
                   "stacked: planes in series along the optical axis (light crosses every other, transparent plane); "
                   "side_by_side: planes tiled, beam steering picks one",
                   "3D stack (the design card)", weight_plane.addressing),
      OASIM_NUMBER("weight_plane.pass_loss_db", "dB", 0, 10, "stacked: loss through each transparent plane",
                   "assumed: AR-coated transparent display about 0.5 %", weight_plane.pass_loss_db),
      OASIM_NUMBER("weight_plane.steering_loss_db", "dB", 0, 60, "side by side: beam-steering loss to the addressed plane",
                   "assumed", weight_plane.steering_loss_db),
      OASIM_NUMBER("weight_plane.drive_mw_per_plane", "mW", 0, 1e6, "display drive holding a plane's pattern (static)",
                   "assumed: a display holds its pattern with drive electronics that draw power continuously "
                   "(optical-hardware.md)",
                   weight_plane.drive_mw_per_plane),
      OASIM_NUMBER("weight_plane.pixel_pitch_um", "um", 0.1, 1e4, "pixel pitch (area of a plane)",
                   "LCoS 3.7-8 um, DLP7000 13.7 um", weight_plane.pixel_pitch_um),
      OASIM_NUMBER("weight_plane.drift_walk_pct_per_sqrt_min", "%/sqrt(min)", 0, 100,
                   "transmission random walk of each site's planes with temperature: standard deviation after one "
                   "minute (long streams)",
                   "0: a temperature-stabilised stack; liquid-crystal birefringence falls as temperature rises, so "
                   "an LC pixel's transmission moves with it (Wu, LC refractive indices vs temperature); "
                   "configs/hw/drifting.yaml sets an unstabilised stack",
                   weight_plane.drift_walk_pct_per_sqrt_min),
      OASIM_NUMBER("weight_plane.drift_swing_pct", "%", 0, 100,
                   "amplitude of the slow transmission oscillation, common to the whole stack (one temperature)",
                   "0: stabilised stack; see weight_plane.drift_walk_pct_per_sqrt_min", weight_plane.drift_swing_pct),
      OASIM_NUMBER("weight_plane.drift_period_s", "s", 1, 1e6, "period of the stack's transmission oscillation",
                   "assumed: a room-air / fan thermal cycle of minutes", weight_plane.drift_period_s),
  };
}

std::vector<ActionEnergy> WeightPlanes::actions(const energy::ActionCounts& a, const config::HardwareConfig& hw) const {
  return {{"pixel program", a.plane_programs * pixels_per_plane(hw), hw.weight_plane.program_energy_pj_per_pixel * 1e-12}};
}

std::vector<PowerState> WeightPlanes::power(const config::HardwareConfig& hw) const {
  return {{"display drive", hw.weight_plane.planes * hw.weight_plane.drive_mw_per_plane * 1e-3, false, 0}};
}

double WeightPlanes::area_mm2(const config::HardwareConfig& hw) const {
  const double plane = pixels_per_plane(hw) * std::pow(hw.weight_plane.pixel_pitch_um * 1e-3, 2);
  // Stacked planes share one footprint; side by side they tile.
  return hw.weight_plane.addressing == PlaneAddressing::Stacked ? plane : plane * hw.weight_plane.planes;
}

std::vector<LightStage> WeightPlanes::light_stages(const config::HardwareConfig& hw) const {
  const auto& w = hw.weight_plane;
  std::vector<LightStage> s;
  s.push_back({fmt::format("fan-out over a column: {} rows x 2 pixels (balanced pair)", w.rows), 1.0 / (2.0 * w.rows),
               "weight_plane.rows"});
  if (w.addressing == PlaneAddressing::Stacked)
    s.push_back({fmt::format("through {} transparent planes of the stack", w.planes - 1),
                 db_loss_factor(w.pass_loss_db * (w.planes - 1)), "weight_plane.pass_loss_db"});
  else
    s.push_back({"beam steering to the addressed plane", db_loss_factor(w.steering_loss_db), "weight_plane.steering_loss_db"});
  s.push_back({"open pixel transmission x (1 - 1/contrast)", w.transmission * (1.0 - 1.0 / db_ratio(w.contrast_db)),
               "weight_plane.transmission, contrast_db"});
  return s;
}

void WeightPlanes::check(const config::HardwareConfig& hw, Checks& c) const {
  const auto& w = hw.weight_plane;
  if (w.scale == config::WeightScale::Group && w.group_size > w.cols)
    c.errors.push_back(fmt::format("weight_plane.group_size = {} exceeds weight_plane.cols = {}: a scale group must fit "
                                   "on one plane pass",
                                   w.group_size, w.cols));
}

}  // namespace oasim::hw
