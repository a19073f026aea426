#include "sim/common/provenance.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <fstream>
#include <stdexcept>
#include <vector>
#include <memory>

#include "sim/common/error.hpp"

namespace oasim {
namespace {

std::string& stored_command_line() {
  static std::string s;
  return s;
}

// Feeds `read(buffer) -> bytes` into one SHA-256 digest.
template <typename Read>
std::string digest(Read read) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) throw std::runtime_error("SHA-256 unavailable");
  std::vector<char> buf(1 << 16);
  for (size_t n; (n = read(buf)) > 0;) EVP_DigestUpdate(ctx.get(), buf.data(), n);
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx.get(), md, &len);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < len; ++i) out += {hex[md[i] >> 4], hex[md[i] & 15]};
  return out;
}

}  // namespace

const char* oasim_version() { return OASIM_VERSION; }

void set_command_line(int argc, char** argv) {
  std::string s;
  for (int i = 0; i < argc; ++i) s += (i ? " " : "") + std::string(argv[i]);
  stored_command_line() = s;
}

const std::string& command_line() { return stored_command_line(); }

std::string sha256_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) fail_input("cannot read '{}' to hash it", path);
  return digest([&](std::vector<char>& b) {
    f.read(b.data(), std::streamsize(b.size()));
    return size_t(f.gcount());
  });
}

std::string sha256_bytes(const std::string& bytes) {
  size_t pos = 0;
  return digest([&](std::vector<char>& b) {
    const size_t n = std::min(b.size(), bytes.size() - pos);
    std::copy_n(bytes.data() + pos, n, b.data());
    pos += n;
    return n;
  });
}

}  // namespace oasim
