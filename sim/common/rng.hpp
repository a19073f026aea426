#pragma once
// Seeded random streams. Every stream is derived from (run seed, component path), so a run is
// reproducible and one component's noise can change without disturbing any other component's.
#include <cstdint>
#include <random>
#include <string_view>

namespace oasim {

// SplitMix64 finaliser: a strong 64-bit mixer (Steele et al., "Fast splittable PRNGs", 2014).
constexpr uint64_t splitmix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

// FNV-1a over the path, then mixed with the seed.
constexpr uint64_t stream_seed(uint64_t run_seed, std::string_view path) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (char c : path) h = (h ^ uint8_t(c)) * 0x100000001b3ull;
  return splitmix64(run_seed ^ splitmix64(h));
}

using Rng = std::mt19937_64;

inline Rng make_rng(uint64_t run_seed, std::string_view path) { return Rng(stream_seed(run_seed, path)); }

}  // namespace oasim
