// Loader errors: every bad model file names its first problem (file, key, expected vs found).
#include <catch2/catch.hpp>

#include "sim/common/error.hpp"
#include "tests/test_support.hpp"
#include "workloads/videomamba/model_file.hpp"

using namespace oasim;
using namespace oasim::videomamba;

namespace {
void expect_error(const std::string& file, const std::string& fragment) {
  INFO("file " << file);
  CHECK_THROWS_AS(load_model(test::fixture(file)), InputError);
  CHECK_THROWS_WITH(load_model(test::fixture(file)), Catch::Contains(fragment));
}
}  // namespace

TEST_CASE("loader: good files load with the right architecture", "[loader]") {
  ModelWeights w = load_model(test::fixture("ti_clip.h5"));
  CHECK(w.config.embed_dim == 192);
  CHECK(w.config.depth == 24);
  CHECK(w.config.d_inner() == 384);
  CHECK(w.config.dt_rank == 12);
  CHECK(w.config.num_classes == 400);
  CHECK(w.layers.size() == 24);
  // VideoMamba-Ti: about 7 M parameters with a 400-class head.
  CHECK(w.parameter_count() > 6'500'000);
  CHECK(w.parameter_count() < 8'000'000);
  // A = -exp(A_log) is precomputed at load; the reference initialises A_log near log(1..16).
  CHECK(w.layers[0].fwd.A(0, 0) < 0.0f);
}

TEST_CASE("loader: bad files give a precise error", "[loader]") {
  expect_error("bad_missing_key.h5", "missing key 'layers.1.mixer.D_b'");
  expect_error("bad_shape.h5", "key 'layers.0.mixer.in_proj.weight' has shape [63,32], expected [128,32]");
  expect_error("bad_dtype.h5", "key 'norm_f.weight' has dtype int32, expected float32");
  expect_error("bad_not_oasim.h5", "is not an oasim model file");
  expect_error("bad_extra_key.h5", "unexpected key 'foo.bar'");
  expect_error("bad_attr.h5", "missing root attribute 'depth'");
  expect_error("bad_not_hdf5.h5", "is not an HDF5 file");
  expect_error("no_such_file.h5", "no such file");
}
