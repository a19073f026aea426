#pragma once
// Small, checked helpers over the HDF5 C++ API. Every failure becomes an InputError that names the file
// and the object, so callers never see a raw HDF5 error stack.
#include <H5Cpp.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace oasim::h5 {

struct FloatArray {
  std::vector<hsize_t> shape;
  std::vector<float> data;
  size_t size() const { return data.size(); }
};

std::string shape_str(const std::vector<hsize_t>& shape);

class Reader {
 public:
  // Opens for reading; InputError if missing or not HDF5.
  explicit Reader(const std::string& path);
  const std::string& path() const { return path_; }

  bool has_attribute(const std::string& name) const;
  std::optional<std::string> string_attribute(const std::string& name) const;  // nullopt if absent
  std::optional<long> int_attribute(const std::string& name) const;           // nullopt if absent
  std::optional<double> float_attribute(const std::string& name) const;

  bool has_dataset(const std::string& name) const;
  bool has_group(const std::string& name) const;
  std::vector<std::string> root_names() const;
  std::vector<hsize_t> dataset_shape(const std::string& name) const;
  // Human name of the stored element type ("float32", "int32", "float64", "string", ...).
  std::string dataset_type(const std::string& name) const;
  // Reads a float32 dataset; with `expect_float32`, other stored types are an error rather than converted.
  FloatArray read_floats(const std::string& name, bool expect_float32 = false) const;
  std::vector<int64_t> read_ints(const std::string& name) const;
  std::vector<double> read_doubles(const std::string& name) const;  // any numeric dtype, as float64
  std::vector<std::string> read_strings(const std::string& name) const;

 private:
  // Element count of a dataset, refused when its shape overflows or claims far more bytes than the file
  // stores for it (so a forged shape cannot make a reader allocate without bound).
  size_t checked_count(const std::string& name, size_t elem_bytes) const;
  template <typename F>
  auto guard(const std::string& object, F&& body) const -> decltype(body());
  // A failed read: a checksum failure says so and how to re-create the file; otherwise "corrupt?".
  [[noreturn]] void fail_read(const H5::DataSet& ds, const std::string& name, const H5::Exception& e) const;
  std::string path_;
  H5::H5File file_;
};

class Writer {
 public:
  // Creates (truncates) the file, or with `append` opens an existing one to add to it; InputError if it
  // cannot be created or opened.
  explicit Writer(const std::string& path, bool append = false);
  const std::string& path() const { return path_; }
  void attribute(const std::string& name, const std::string& value);
  void attribute(const std::string& name, long value);
  void attribute(const std::string& name, double value);
  // Creates intermediate groups as needed ("a/b/c").
  void floats(const std::string& name, const std::vector<hsize_t>& shape, const float* data);
  void doubles(const std::string& name, const std::vector<hsize_t>& shape, const double* data);
  void ints(const std::string& name, const std::vector<hsize_t>& shape, const int64_t* data);
  void strings(const std::string& name, const std::vector<std::string>& values);

 private:
  void ensure_parent_groups(const std::string& name);
  H5::DataSet create_checked(const std::string& name, const H5::DataType& type, const std::vector<hsize_t>& shape);
  std::string path_;
  H5::H5File file_;
};

}  // namespace oasim::h5
