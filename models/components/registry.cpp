// Every hardware component, one registration line each, in light-path order then the digital side.
#include <memory>

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

namespace oasim::hw {

namespace {

// Every component, one line each, in light-path order then the digital side. Owned here for the whole
// process (and freed at exit: no leak for LeakSanitizer to report).
std::vector<std::unique_ptr<const Component>> build() {
  std::vector<std::unique_ptr<const Component>> v;
  v.push_back(std::make_unique<Laser>());
  v.push_back(std::make_unique<Modulator>());
  v.push_back(std::make_unique<Optics>());
  v.push_back(std::make_unique<WeightPlanes>());
  v.push_back(std::make_unique<Detector>());
  v.push_back(std::make_unique<Adc>());
  v.push_back(std::make_unique<Sram>());
  v.push_back(std::make_unique<Dram>());
  v.push_back(std::make_unique<Digital>());
  v.push_back(std::make_unique<ScanEngine>());
  v.push_back(std::make_unique<Controller>());
  v.push_back(std::make_unique<Structure>());
  v.push_back(std::make_unique<Interconnect>());
  return v;
}

}  // namespace

const std::vector<const Component*>& components() {
  static const std::vector<std::unique_ptr<const Component>> owned = build();
  static const std::vector<const Component*> all = [] {
    std::vector<const Component*> v;
    for (auto& c : owned) v.push_back(c.get());
    return v;
  }();
  return all;
}

}  // namespace oasim::hw
