// The integer optical MVM (issue 16): the Highway kernel against plain loops and against the fp32 product
// it replaced, bit for bit wherever that product was exact; the whole MVM through the integer path against
// the fp32 path; and the counter-based detector noise (Philox-4x32-10) against Random123 and across
// thread counts.
#include <catch2/catch.hpp>

#include <Random123/philox.h>
#include <omp.h>

#include <random>

#include "models/components/weight_plane.hpp"
#include "models/optical/int_gemm.hpp"
#include "models/optical/light_gemm.hpp"
#include "models/optical/optical_mvm.hpp"
#include "sim/common/noise_stream.hpp"

using namespace oasim;
using namespace oasim::optical;

namespace {

// Random integer codes in [lo, hi] with the edge values planted in the first row and column.
MatrixRM random_codes(long rows, long cols, int lo, int hi, unsigned seed) {
  std::mt19937 g(seed);
  std::uniform_int_distribution<int> d(lo, hi);
  MatrixRM m(rows, cols);
  for (long i = 0; i < m.size(); ++i) m.data()[i] = float(d(g));
  for (long k = 0; k < cols; ++k) m(0, k) = float(k % 2 ? hi : lo);
  for (long r = 0; r < rows; ++r) m(r, 0) = float(r % 2 ? lo : hi);
  return m;
}

std::vector<int16_t> to_i16(const MatrixRM& m, long ld) {
  std::vector<int16_t> v(size_t(m.rows() * ld), 0);
  for (long r = 0; r < m.rows(); ++r)
    for (long k = 0; k < m.cols(); ++k) v[size_t(r * ld + k)] = int16_t(m(r, k));
  return v;
}

}  // namespace

TEST_CASE("int16 kernel: equals the plain loops and the fp32 product on Int4 x 8-bit DAC codes", "[optical][int_mvm]") {
  // Shapes with tails everywhere: rows not a multiple of 4, outputs not of 16 / 64, odd widths.
  for (auto [L, M, K] : {std::tuple{13L, 37, 193}, std::tuple{197L, 768, 192}, std::tuple{1L, 1, 1}, std::tuple{6L, 70, 256}}) {
    const MatrixRM w = random_codes(M, K, -8, 7, unsigned(M + K));    // Int4 codes, -8 included
    const MatrixRM x = random_codes(L, K, -127, 127, unsigned(L + 3));  // the full 8-bit DAC range
    const PackedI16 b = pack_i16(to_i16(w, K).data(), M, K, K);
    const long lda = 2L * b.kpairs;
    const std::vector<int16_t> a = to_i16(x, lda);
    std::vector<int32_t> fast(size_t(L * M)), plain(fast.size());
    gemm_i16_i32(a.data(), L, lda, b, fast.data(), M);
    gemm_i16_i32_reference(a.data(), L, lda, b, plain.data(), M);
    const MatrixRM fp32 = x * w.transpose();  // the product the MVM computed before (exact: sums < 2^24)
    INFO("L " << L << " M " << M << " K " << K);
    for (long i = 0; i < fp32.size(); ++i) {
      REQUIRE(fast[size_t(i)] == plain[size_t(i)]);
      REQUIRE(float(fast[size_t(i)]) == fp32.data()[i]);
    }
  }
}

TEST_CASE("light kernel: equals the plain loops, and the exact light within half a byte step per weight",
          "[optical][int_mvm]") {
  std::mt19937 g(12);
  std::normal_distribution<float> fpe(0.0f, 0.02f);
  for (auto [L, M, K] : {std::tuple{13L, 37, 193}, std::tuple{16L, 768, 192}, std::tuple{1L, 1, 1}, std::tuple{5L, 70, 256}}) {
    MatrixRM w = random_codes(M, K, -8, 7, unsigned(M * K));  // Int4 codes with fixed-pattern error
    for (long i = 0; i < w.size(); ++i) w.data()[i] *= 1.0f + fpe(g);
    const MatrixRM x = random_codes(L, K, 0, 255, unsigned(L + 5));  // light levels of the offset rail
    const PackedLight b = pack_light(w);
    const long lda = b.lda();
    std::vector<uint8_t> a(size_t(L * lda), 0);
    for (long t = 0; t < L; ++t)
      for (long k = 0; k < K; ++k) a[size_t(t * lda + k)] = uint8_t(x(t, k));
    MatrixRM fast(L, M), plain(L, M);
    light_gemm(a.data(), L, lda, b, fast.data(), M);
    light_gemm_reference(a.data(), L, lda, b, plain.data(), M);
    const MatrixRM exact = (x.cast<double>() * w.cwiseAbs().cast<double>().transpose()).cast<float>();
    INFO("L " << L << " M " << M << " K " << K);
    double worst = 0;
    for (long t = 0; t < L; ++t)
      for (long m = 0; m < M; ++m) {
        REQUIRE(fast(t, m) == plain(t, m));
        // Each |w| is off by at most half its row's step: the sum by at most sum(a) x that.
        const double bound = x.row(t).cast<double>().sum() * b.row_scale[size_t(m)] / 2 + 1e-6 * exact(t, m);
        REQUIRE(std::abs(double(fast(t, m)) - exact(t, m)) <= bound);
        if (exact(t, m) > 0) worst = std::max(worst, std::abs(double(fast(t, m)) - exact(t, m)) / exact(t, m));
      }
    // Only the fixed-pattern error is rounded and roundings mostly cancel over a row: about 1e-3 of the
    // light here (2 % error, 1/8-code steps for rows reaching 8), 5e-4 of the shot-noise std.
    if (K >= 192) CHECK(worst < 5e-3);
  }
  // Exact integer codes (no fixed-pattern error): the light is exact.
  const MatrixRM w = random_codes(40, 100, -8, 7, 3), x = random_codes(3, 100, 0, 255, 4);
  const PackedLight b = pack_light(w);
  std::vector<uint8_t> a(size_t(3 * b.lda()), 0);
  for (long t = 0; t < 3; ++t)
    for (long k = 0; k < 100; ++k) a[size_t(t * b.lda() + k)] = uint8_t(x(t, k));
  MatrixRM fast(3, 40);
  light_gemm(a.data(), 3, b.lda(), b, fast.data(), 40);
  const MatrixRM exact = x * w.cwiseAbs().transpose();
  for (long i = 0; i < fast.size(); ++i) REQUIRE(fast.data()[i] == exact.data()[i]);
}

TEST_CASE("optical MVM: the integer path reproduces the fp32 path", "[optical][int_mvm]") {
  for (auto encoding : {config::SignedEncoding::Differential, config::SignedEncoding::Offset}) {
    config::HardwareConfig hw;
    hw.modulator.signed_encoding = encoding;
    hw.adc.range = config::AdcRange::Dynamic;
    hw.weight_plane.rows = hw.weight_plane.cols = hw.modulator.channels = 64;  // K-split and row tiles
    std::mt19937 g(4);
    std::normal_distribution<float> n;
    MatrixRM w(150, 200), x(21, 200);
    for (long i = 0; i < w.size(); ++i) w.data()[i] = n(g);
    for (long i = 0; i < x.size(); ++i) x.data()[i] = n(g);
    OpticalMvm mvm(hw);
    MvmMode mode;
    mode.noise = false;
    mode.count_light = true;
    auto run = [&](const OpticalLinearPlan& p, bool adc, double& light) {
      MatrixRM y;
      NoiseStream noise(1);
      energy::ActionCounts counts;
      MvmMode m = mode;
      m.adc = adc;
      mvm.run(p, x, y, noise, counts, m);
      light = counts.detector_light;
      return y;
    };
    for (double sigma : {0.0, 0.01}) {
      hw.weight_plane.fixed_pattern_sigma = sigma;
      const OpticalLinearPlan plan = make_plan("layers.0.mixer.in_proj", w, VectorF(), hw);
      REQUIRE(plan.code_shift >= 0);
      OpticalLinearPlan fp32_plan = plan;
      fp32_plan.code_shift = -1;
      fp32_plan.light_in_bytes = false;
      double light_int = 0, light_fp32 = 0;
      for (bool adc : {false, true}) {
        const MatrixRM yi = run(plan, adc, light_int), yf = run(fp32_plan, adc, light_fp32);
        INFO("offset " << (encoding == config::SignedEncoding::Offset) << " sigma " << sigma << " adc " << adc);
        // Bytes for |weff| in the light (light_gemm.hpp): exact without fixed-pattern error, else rounded.
        CHECK(light_int == Approx(light_fp32).epsilon(sigma == 0 ? 1e-6 : 1e-4));
        if (sigma == 0) {
          // Exact codes: the same analog values, hence the same ADC codes and outputs, bit for bit.
          for (long i = 0; i < yi.size(); ++i) REQUIRE(yi.data()[i] == yf.data()[i]);
        } else if (!adc) {
          // Fixed-pattern error: the integer path rounds the exact product once, the fp32 GEMM at every
          // addition; they differ by fp32 rounding only.
          CHECK((yi - yf).cwiseAbs().maxCoeff() <= 1e-5f * yf.cwiseAbs().maxCoeff());
        }
      }
    }
  }
}

TEST_CASE("detector noise: Philox-4x32-10 equals Random123's", "[optical][noise]") {
  r123::Philox4x32 reference;
  for (uint64_t c : {0ull, 1ull, 4294967296ull, 12345678901ull, ~0ull})
    for (uint64_t k : {0ull, 42ull, 0xdeadbeefcafef00dull}) {
      const r123::Philox4x32::ctr_type ct = {{uint32_t(c), uint32_t(c >> 32), 0, 0}};
      const r123::Philox4x32::key_type kt = {{uint32_t(k), uint32_t(k >> 32)}};
      const auto r = reference(ct, kt);
      uint32_t mine[4];
      philox4x32_10(c, k, mine);
      for (int i = 0; i < 4; ++i) CHECK(mine[i] == r[i]);
    }
}

TEST_CASE("detector noise: a sample depends only on (key, index), not on thread count or chunking",
          "[optical][noise]") {
  const long n = 300001;  // many batches, so the fill runs in parallel
  std::vector<float> one(n), two(n), pieces(n);
  const int threads = omp_get_max_threads();
  omp_set_num_threads(1);
  philox_normals(77, 3, one.data(), n);
  omp_set_num_threads(2);
  philox_normals(77, 3, two.data(), n);
  omp_set_num_threads(threads);
  NoiseStream s(77);
  std::vector<float> skip(3);
  s.fill(skip.data(), 3);
  for (long at = 0; at < n;) {  // uneven pieces, as successive MVM calls draw them
    const long len = std::min(n - at, 1 + at % 9973);
    s.fill(pieces.data() + at, len);
    at += len;
  }
  double mean = 0, var = 0;
  for (long i = 0; i < n; ++i) {
    REQUIRE(one[size_t(i)] == two[size_t(i)]);
    REQUIRE(one[size_t(i)] == pieces[size_t(i)]);
    mean += one[size_t(i)];
    var += double(one[size_t(i)]) * one[size_t(i)];
  }
  mean /= n;
  var = var / n - mean * mean;
  CHECK(std::abs(mean) < 0.01);
  CHECK(var == Approx(1.0).epsilon(0.01));
}

TEST_CASE("crosstalk: the vectorised loop equals the per-row reference bit for bit", "[optical][int_mvm]") {
  std::mt19937 g(8);
  std::normal_distribution<float> n(0.0f, 1000.0f);
  for (int tile : {1, 2, 3, 16, 256})
    for (long m : {1L, 2L, 37L, 300L}) {
      MatrixRM s(5, m);
      for (long i = 0; i < s.size(); ++i) s.data()[i] = n(g);
      MatrixRM expect = s;
      const float c = 0.002f;
      for (long t = 0; t < s.rows(); ++t)  // the loop apply_crosstalk had before issue 16
        for (long j = 0; j < m; ++j) {
          const long tile_start = j - j % tile, tile_end = std::min(m, tile_start + tile);
          float acc = s(t, j);
          if (j > tile_start) acc += c * (s(t, j - 1) - s(t, j));
          if (j + 1 < tile_end) acc += c * (s(t, j + 1) - s(t, j));
          expect(t, j) = acc;
        }
      hw::apply_crosstalk(s, 0.002, tile);
      INFO("tile " << tile << " m " << m);
      for (long i = 0; i < s.size(); ++i) REQUIRE(s.data()[i] == expect.data()[i]);
    }
}

TEST_CASE("ADC calibration: the sampled signals are the full pass's samples, bit for bit", "[optical][int_mvm]") {
  std::mt19937 g(21);
  std::normal_distribution<float> n;
  MatrixRM w(768, 192), x(100, 192);  // 76,800 signals per pass: every 18th is kept
  for (long i = 0; i < w.size(); ++i) w.data()[i] = n(g);
  for (long i = 0; i < x.size(); ++i) x.data()[i] = n(g);
  for (auto encoding : {config::SignedEncoding::Differential, config::SignedEncoding::Offset})
    for (double crosstalk : {0.0, 0.003})
      for (float gain : {1.0f, 0.93f}) {
        config::HardwareConfig hw;
        hw.modulator.signed_encoding = encoding;
        hw.weight_plane.crosstalk = crosstalk;
        hw.weight_plane.fixed_pattern_sigma = 0.01;
        hw.weight_plane.rows = 100;  // tiles of 100 outputs: edges inside the pass
        hw.weight_plane.cols = hw.modulator.channels = 96;  // two passes
        const OpticalLinearPlan plan = make_plan("layers.0.mixer.in_proj", w, VectorF(), hw);
        REQUIRE(plan.code_shift >= 0);
        OpticalMvm mvm(hw);
        CalibrationSamples full, sampled;
        MvmMode mode{false, false, &full};
        mode.analog_gain = gain;
        MatrixRM y;
        NoiseStream noise(1);
        energy::ActionCounts counts;
        mvm.run(plan, x, y, noise, counts, mode);
        mode.calibration = &sampled;
        mvm.collect_adc_samples(plan, x, noise, mode);
        INFO("offset " << (encoding == config::SignedEncoding::Offset) << " crosstalk " << crosstalk << " gain " << gain);
        REQUIRE(sampled.adc_abs.size() == full.adc_abs.size());
        REQUIRE(full.adc_abs.size() > 8000);
        for (size_t i = 0; i < full.adc_abs.size(); ++i) REQUIRE(sampled.adc_abs[i] == full.adc_abs[i]);
        REQUIRE(sampled.dac_abs == full.dac_abs);
      }
}
