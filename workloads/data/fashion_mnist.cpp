#include "workloads/data/fashion_mnist.hpp"

#include <zlib.h>

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>

#include "sim/common/error.hpp"
#include "sim/common/path_checks.hpp"

namespace oasim::data {
namespace {

std::vector<uint8_t> gunzip(const std::string& path) {
  if (!path_exists(path))
    fail_input("cannot open '{}': no such file (Debian package dataset-fashion-mnist installs it)", path);
  gzFile f = gzopen(path.c_str(), "rb");
  if (!f) fail_input("cannot open '{}'", path);
  std::vector<uint8_t> out;
  uint8_t buf[1 << 16];
  int n;
  while ((n = gzread(f, buf, sizeof buf)) > 0) out.insert(out.end(), buf, buf + n);
  int err = 0;
  const char* msg = gzerror(f, &err);
  gzclose(f);
  if (n < 0 || err < 0) fail_input("'{}' is not a readable gzip file: {}", path, msg ? msg : "?");
  return out;
}

uint32_t be32(const std::vector<uint8_t>& d, size_t at) {
  return uint32_t(d[at]) << 24 | uint32_t(d[at + 1]) << 16 | uint32_t(d[at + 2]) << 8 | uint32_t(d[at + 3]);
}

// IDX: magic (0, 0, type 0x08 = uint8, ndim), ndim big-endian sizes, then the data.
std::vector<uint8_t> read_idx(const std::string& path, std::vector<uint32_t>& dims) {
  auto d = gunzip(path);
  if (d.size() < 4 || d[0] != 0 || d[1] != 0 || d[2] != 0x08)
    fail_input("'{}' is not an IDX file of unsigned bytes", path);
  const int ndim = d[3];
  size_t count = 1;
  dims.clear();
  for (int i = 0; i < ndim; ++i) {
    dims.push_back(be32(d, 4 + 4 * i));
    count *= dims.back();
  }
  const size_t off = 4 + 4 * size_t(ndim);
  if (d.size() != off + count)
    fail_input("'{}' is truncated or corrupt: {} data bytes, its header says {}", path, d.size() - off, count);
  return std::vector<uint8_t>(d.begin() + long(off), d.end());
}

}  // namespace

const FashionMnist& load_fashion_mnist(const std::string& split, const std::string& dir) {
  static std::mutex m;
  static std::map<std::string, std::unique_ptr<FashionMnist>> cache;
  std::lock_guard<std::mutex> lock(m);
  const std::string key = split + "|" + dir;
  if (auto it = cache.find(key); it != cache.end()) return *it->second;
  std::string stem;
  if (split == "train") stem = "train";
  else if (split == "test") stem = "t10k";
  else fail_input("unknown Fashion-MNIST split '{}' (expected 'train' or 'test')", split);
  auto fm = std::make_unique<FashionMnist>();
  std::vector<uint32_t> idims, ldims;
  fm->images = read_idx(dir + "/" + stem + "-images-idx3-ubyte.gz", idims);
  fm->labels = read_idx(dir + "/" + stem + "-labels-idx1-ubyte.gz", ldims);
  if (idims.size() != 3 || ldims.size() != 1 || idims[0] != ldims[0])
    fail_input("Fashion-MNIST '{}' files in '{}' disagree in shape", split, dir);
  fm->count = int(idims[0]);
  fm->rows = int(idims[1]);
  fm->cols = int(idims[2]);
  return *(cache[key] = std::move(fm));
}

}  // namespace oasim::data
