#pragma once
// Fashion-MNIST from Debian's dataset-fashion-mnist package (gzip IDX files).
#include <cstdint>
#include <string>
#include <vector>

namespace oasim::data {

constexpr const char* kFashionMnistDir = "/usr/share/datasets/fashion-mnist";

struct FashionMnist {
  int count = 0, rows = 28, cols = 28;
  std::vector<uint8_t> images;  // [count][rows][cols]
  std::vector<uint8_t> labels;  // [count], 0..9
  const uint8_t* image(int i) const { return images.data() + size_t(i) * rows * cols; }
};

// split "train" (60,000) or "test" (10,000). InputError naming the file if missing or corrupt.
const FashionMnist& load_fashion_mnist(const std::string& split, const std::string& dir = kFashionMnistDir);

}  // namespace oasim::data
