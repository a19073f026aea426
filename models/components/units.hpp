#pragma once
// Unit conversions used by the components' formulas.
#include <cmath>

namespace oasim::hw {

inline double db_loss_factor(double loss_db) { return std::pow(10.0, -loss_db / 10.0); }  // 3 dB -> 0.501
inline double db_ratio(double ratio_db) { return std::pow(10.0, ratio_db / 10.0); }        // 30 dB -> 1000
constexpr double kElectronCharge = 1.602176634e-19;  // C
constexpr double kBoltzmann = 1.380649e-23;           // J/K

}  // namespace oasim::hw
