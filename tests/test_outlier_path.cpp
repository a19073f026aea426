// OuroMamba-style outlier path (workloads/quant/outlier_path.hpp): planted outlier channels are found
// largest first within the cap; the threshold adapts over time steps; the digital path multiplies
// activation_bits activations with the plane's own Int-N codes (not fp32 weights); the work it counts is
// the compiler's per-token budget when every slot is used.
#include <catch2/catch.hpp>

#include <random>

#include "models/optical/weight_quantizer.hpp"
#include "tests/test_support.hpp"
#include "workloads/quant/outlier_path.hpp"

using namespace oasim;

namespace {

using test::randn;

// Tokens of Gaussian channels with planted outliers at (token, channel, magnitude).
MatrixRM planted(long tokens, long k, uint64_t seed) {
  MatrixRM x = randn(tokens, k, seed);
  for (long t = 0; t < tokens; ++t) {
    x(t, (7 * t) % k) = 40.0f + float(t);       // moves from token to token (dynamic outliers)
    x(t, 5) = -60.0f;                           // persistent
  }
  return x;
}

}  // namespace

TEST_CASE("outliers: planted channels are found, largest first, within the cap", "[quant][outliers]") {
  std::vector<float> x(256, 0.0f);
  std::mt19937 g(5);
  std::normal_distribution<float> n;
  for (auto& v : x) v = n(g);
  x[10] = 40;
  x[200] = -60;
  x[77] = 30;
  long candidates = 0;
  CHECK(quant::outlier_channels(x.data(), 256, 6.0, 8, &candidates) == std::vector<long>{200, 10, 77});
  CHECK(candidates == 3);
  CHECK(quant::outlier_channels(x.data(), 256, 6.0, 2, &candidates) == std::vector<long>{200, 10});
  CHECK(candidates == 3);  // the cap cut one
  std::vector<float> flat(64, 1.0f);
  CHECK(quant::outlier_channels(flat.data(), 64, 6.0, 8).empty());
}

TEST_CASE("outliers: the threshold adapts over time steps (momentum)", "[quant][outliers]") {
  // Ten quiet tokens, then one token 20x larger everywhere (a readout-like token), no single outlier.
  MatrixRM x = randn(11, 64, 3);
  x.row(10) *= 20.0f;
  const optical::QuantizedWeights w = optical::quantize_weights_rtn(randn(8, 64, 4), 4, 0);
  quant::OutlierConfig per_token{6.0, 0.0, 16, 8}, adaptive{6.0, 0.9, 16, 8};
  MatrixRM a = x, b = x;
  quant::OutlierWork wa, wb;
  quant::split_outliers(per_token, w, a, wa);
  quant::split_outliers(adaptive, w, b, wb);
  // Per-token threshold: the large token is uniformly large, nothing stands out. The adaptive threshold
  // still remembers the quiet tokens (tau = 0.9 quiet + 0.1 x 20 quiet = 2.9 quiet), so the large token's
  // channels above 6 x 2.9 x quiet rms go digital, up to the cap.
  CHECK(wa.channels == 0);
  CHECK(wb.channels > 0);
  CHECK(wb.channels <= 16);
  for (long t = 0; t < 10; ++t) CHECK(b.row(t) == x.row(t));  // quiet tokens untouched
}

TEST_CASE("outliers: the digital path uses the plane's Int-N codes and activation_bits activations",
          "[quant][outliers]") {
  const long k = 384, m = 24;
  const MatrixRM wf = randn(m, k, 7, 0.1f);
  const optical::QuantizedWeights w = optical::quantize_weights_rtn(wf, 4, 32);
  const MatrixRM wdq = w.dequantized();
  const MatrixRM x = planted(20, k, 8);
  for (int bits : {8, 16, 24}) {
    INFO("activation bits " << bits);
    quant::OutlierConfig c{6.0, 0.0, 4, bits};
    MatrixRM rest = x;
    quant::OutlierWork work;
    const MatrixRM digital = quant::split_outliers(c, w, rest, work);
    CHECK(work.channels == 40);  // both planted channels of every token
    CHECK(rest.col(5).isZero());
    const MatrixRM outl = x - rest;  // what left the optical input
    const MatrixRM ideal = outl * wdq.transpose();
    const double err = test::rel_error(digital, ideal);
    // The activations are quantized with one scale per token over the outliers: error ~ 2^-bits.
    CHECK(err < 2.0 / double((1 << (bits - 1)) - 1));
    CHECK(err > 0);
    if (bits == 24) CHECK(test::rel_error(digital, MatrixRM(outl * wf.transpose())) > 100 * err);  // not fp32 W
  }
}

TEST_CASE("outliers: counted work equals the compiler's budget when every slot is used", "[quant][outliers]") {
  const long k = 384, m = 24;
  const optical::QuantizedWeights w = optical::quantize_weights_rtn(randn(m, k, 9, 0.1f), 4, 0);
  const MatrixRM x = planted(12, k, 10);
  const quant::OutlierWork per_token = quant::outlier_cost(quant::OutlierConfig{6.0, 0.5, 2, 8}, int(k), int(m), 4);
  SECTION("cap 2 of 2 planted: every slot used") {
    MatrixRM rest = x;
    quant::OutlierWork work;
    quant::split_outliers(quant::OutlierConfig{6.0, 0.5, 2, 8}, w, rest, work);
    CHECK(work.adds == Approx(12 * per_token.adds));
    CHECK(work.muls == Approx(12 * per_token.muls));
    CHECK(work.nonlinear == Approx(12 * per_token.nonlinear));
    CHECK(work.sram_bytes_read == Approx(12 * per_token.sram_bytes_read));  // 2 columns x 24 codes x 4 bits
    CHECK(per_token.sram_bytes_read == 24);
  }
  SECTION("cap 1: capped tokens are counted") {
    MatrixRM rest = x;
    quant::OutlierWork work;
    quant::split_outliers(quant::OutlierConfig{6.0, 0.5, 1, 8}, w, rest, work);
    CHECK(work.channels == 12);
    CHECK(work.capped_tokens == 12);
  }
}
