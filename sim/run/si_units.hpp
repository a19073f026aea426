#pragma once
// On-screen numbers with an SI prefix chosen for reading ("1.713 mJ", not "1712701.440 nJ"); files keep the
// exact value in base units (J, s, W). One set of helpers so run, replay and the video stream print alike.
#include <string>

namespace oasim::run {

std::string si_energy(double joules);
std::string si_time(double seconds);
std::string si_power(double watts);

}  // namespace oasim::run
