// TEMPORARY: replaced when the Moving Fashion-MNIST generator lands.
#include "sim/common/error.hpp"
#include "workloads/data/clip_source.hpp"
namespace oasim::data {
std::unique_ptr<ClipSource> make_mfm_source(const std::string& split, const videomamba::ModelConfig&, int, long, uint64_t) {
  fail_input("mfm:{} not available yet", split);
}
}  // namespace oasim::data
