#pragma once
// Weight-plane stack: spatial light modulators (display pixels) holding Int-N weight codes as pixel
// transmission. A signed weight is a balanced pixel pair (w+ and w-), so a plane of rows x cols weights has
// 2 x rows x cols pixels, and each modulated beam fans out over a column's rows x 2 pixels. Planes are
// stacked along the optical axis (light passes every other plane, transparent, at a small loss each) or
// tiled side by side (beam steering picks one). A dark pixel still leaks 1/contrast.
// Numerics: the device's fixed-pattern transmission error (drawn once per device) and crosstalk between
// neighbouring detector rows. Static: the display drive holding the pattern.
#include <string>

#include "models/components/component.hpp"
#include "sim/common/tensor.hpp"

namespace oasim::config {
enum class WeightScale { PerChannel, Group };
enum class PlaneAddressing { Stacked, SideBySide };
struct WeightPlaneConfig {
  int rows = 256;                   // outputs per plane
  int cols = 256;                   // inputs per plane (balanced pixel pair per weight)
  int planes = 128;                 // planes in the 3D stack
  int weight_bits = 4;
  WeightScale scale = WeightScale::PerChannel;
  int group_size = 128;
  double fixed_pattern_sigma = 0.01;  // per-pixel relative transmission error, drawn once per device
  double crosstalk = 0.002;           // fraction of each neighbouring detector's light that leaks in
  double program_time_us = 100.0;     // time to rewrite one plane
  int double_buffer = 0;              // 1: reloads alternate between two planes, overlapping compute
  double program_energy_pj_per_pixel = 1.0;
  double transmission = 0.8;          // a fully open pixel
  double contrast_db = 30.0;          // open / dark pixel transmission
  PlaneAddressing addressing = PlaneAddressing::Stacked;
  double pass_loss_db = 0.02;         // stacked: each transparent plane the light crosses
  double steering_loss_db = 1.0;      // side by side: beam steering to the addressed plane
  double drive_mw_per_plane = 10.0;   // display drive holding the pattern
  double pixel_pitch_um = 8.0;
  // Transmission drift with temperature (drift.hpp); 0 = none.
  double drift_walk_pct_per_sqrt_min = 0;
  double drift_swing_pct = 0;
  double drift_period_s = 120;
};
}  // namespace oasim::config

namespace oasim::hw {

int weight_levels(const config::HardwareConfig& hw);   // largest weight code, 7 for Int4
double pixels_per_plane(const config::HardwareConfig& hw);
// Light a dark pixel leaks, in weight code units: floor = L / (contrast - 1).
double weight_light_floor(const config::HardwareConfig& hw);
// Light that leaks between neighbouring detector rows of the same plane tile: each row keeps
// (1 - c * neighbours) of its own light and receives c of each neighbour's.
void apply_crosstalk(MatrixRM& s, double c, int tile_rows);

class WeightPlanes : public Component {
 public:
  Replication replication() const override { return Replication::PerOpticalCore; }
  std::string name() const override { return "weight planes"; }
  std::string section() const override { return "weight_plane"; }
  std::vector<config::ParamSpec> params() const override;
  std::vector<ActionEnergy> actions(const energy::ActionCounts& a, const config::HardwareConfig& hw) const override;
  std::vector<PowerState> power(const config::HardwareConfig& hw) const override;
  double area_mm2(const config::HardwareConfig& hw) const override;
  std::vector<LightStage> light_stages(const config::HardwareConfig& hw) const override;
  void check(const config::HardwareConfig& hw, Checks& c) const override;
};

}  // namespace oasim::hw
