// Every hardware component, one registration line each, in light-path order then the digital side.
#include "models/components/adc.hpp"
#include "models/components/detector.hpp"
#include "models/components/digital.hpp"
#include "models/components/laser.hpp"
#include "models/components/memories.hpp"
#include "models/components/modulator.hpp"
#include "models/components/optics.hpp"
#include "models/components/structure.hpp"
#include "models/components/weight_plane.hpp"

namespace oasim::hw {

const std::vector<const Component*>& components() {
  // Built once; the components are stateless and live for the whole process.
  static const std::vector<const Component*> all{
      new Laser,       //
      new Modulator,   //
      new Optics,      //
      new WeightPlanes,
      new Detector,    //
      new Adc,         //
      new Sram,        //
      new Dram,        //
      new Digital,     //
      new Controller,  //
      new Structure,   //
  };
  return all;
}

}  // namespace oasim::hw
