// The vectorised converter loops are bit-identical to the scalar definitions they replaced:
// round_half_away == std::round, adc_convert_row == adc_convert (values and saturation counts).
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

#include "models/components/adc.hpp"
#include "models/optical/quantizer.hpp"

using namespace oasim;

namespace {
bool same_bits(float a, float b) { return std::memcmp(&a, &b, sizeof a) == 0 || (std::isnan(a) && std::isnan(b)); }
}  // namespace

TEST_CASE("round_half_away equals std::round bit for bit", "[optical][converters]") {
  std::vector<float> v = {0.0f, -0.0f, 0.5f, -0.5f, 1.5f, -1.5f, 2.5f, -2.5f, 0.49999997f, -0.49999997f,
                          8388607.5f, -8388607.5f, 8388608.0f, 16777217.0f, 1e30f, -1e30f,
                          std::numeric_limits<float>::infinity(), -std::numeric_limits<float>::infinity(),
                          std::numeric_limits<float>::denorm_min(), std::nextafter(0.5f, 0.0f), std::nextafter(0.5f, 1.0f)};
  std::mt19937 g(3);
  std::uniform_real_distribution<float> u(-300.0f, 300.0f);
  for (int i = 0; i < 200000; ++i) v.push_back(u(g));
  for (int i = -600; i <= 600; ++i) v.push_back(float(i) * 0.5f);  // every tie in range
  long mismatches = 0;
  for (float x : v) mismatches += !same_bits(optical::round_half_away(x), std::round(x));
  CHECK(mismatches == 0);
}

TEST_CASE("adc_convert_row equals adc_convert element by element, saturations included", "[optical][converters]") {
  std::mt19937 g(5);
  std::normal_distribution<float> n(0.0f, 40.0f);
  const long m = 300;
  std::vector<float> v(m), fs(m);
  for (long i = 0; i < m; ++i) {
    v[i] = n(g);
    fs[i] = i % 37 == 0 ? 0.0f : std::abs(n(g)) + 1.0f;  // some zero ranges (read 0), many saturating samples
  }
  for (int stride : {1, 0}) {
    hw::AdcStats scalar, row;
    std::vector<float> expect(m), got = v;
    for (long i = 0; i < m; ++i) expect[i] = hw::adc_convert(v[i], fs[i * stride], 127, scalar);
    hw::adc_convert_row(got.data(), fs.data() + (stride ? 0 : 1), stride, m, 127, row);
    if (stride == 0)
      for (long i = 0; i < m; ++i) {
        hw::AdcStats s2;
        expect[i] = hw::adc_convert(v[i], fs[1], 127, s2);
      }
    long mismatches = 0;
    for (long i = 0; i < m; ++i) mismatches += !same_bits(got[i], expect[i]);
    CHECK(mismatches == 0);
    CHECK(row.samples == m);
    if (stride == 1) CHECK(row.saturated == scalar.saturated);
    CHECK(row.saturated > 0);
  }
}
