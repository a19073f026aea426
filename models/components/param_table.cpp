#include "models/components/param_table.hpp"

#include <map>

#include "models/components/param_rows.hpp"

namespace oasim::config {
namespace {

std::vector<ParamSpec> build() {
  std::vector<ParamSpec> t;
  ParamSpec name{"name", "", "string", "name of this design, shown in reports", 0, 0, {}, {}, {}, "a label", ""};
  name.get = [](const HardwareConfig& c) { return c.name; };
  name.set = [](HardwareConfig& c, const std::string& v) -> std::string {
    if (v.empty()) return "a non-empty string";
    c.name = v;
    return "";
  };
  t.push_back(name);
  t.push_back(OASIM_INTEGER("seed", "", 0, 1e15, "device seed: draws the fixed-pattern errors of this device",
                            "any: one device of the design", uint64_t, seed));
  for (const hw::Component* c : hw::components())
    for (auto& p : c->params()) t.push_back(p);
  return t;
}

}  // namespace

const std::vector<ParamSpec>& hardware_params() {
  static const std::vector<ParamSpec> table = build();
  return table;
}

const ParamSpec* find_param(const std::string& key) {
  for (auto& p : hardware_params())
    if (p.key == key) return &p;
  return nullptr;
}

namespace {
const std::map<std::string, const char*>& replaced_table() {
  static const std::map<std::string, const char*> replaced{
      {"laser.power_per_channel_uw",
       "was replaced by laser.power_mw (the power each source emits); the light reaching a detector now follows "
       "from the light budget (docs/hardware-model.md)"},
      {"laser.optical_efficiency",
       "was replaced by the light budget's stages: modulator.insertion_loss_db, optics.fanout_excess_loss_db, "
       "weight_plane.transmission, weight_plane.pass_loss_db, optics.coupling_loss_db (the 1:rows fan-out is "
       "no longer hidden in it)"},
      {"detector.power_mw", "was replaced by detector.tia_power_mw (static TIA power, gated by detector.power_gating)"},
      {"weight_plane.program_energy_nj",
       "was replaced by weight_plane.program_energy_pj_per_pixel (a plane has 2 x rows x cols pixels)"},
  };
  return replaced;
}
}  // namespace

const char* replaced_key(const std::string& key) {
  auto it = replaced_table().find(key);
  return it == replaced_table().end() ? nullptr : it->second;
}

std::vector<std::string> replaced_keys() {
  std::vector<std::string> v;
  for (auto& [k, m] : replaced_table()) v.push_back(k);
  return v;
}

}  // namespace oasim::config
