#include "sim/common/h5_file.hpp"

#include <algorithm>
#include <filesystem>

#include "sim/common/error.hpp"
#include "sim/common/h5_probe.hpp"
#include "sim/common/path_checks.hpp"

namespace oasim::h5 {
namespace {

// HDF5 prints its own error stack on every failed call unless told not to; we report errors ourselves.
struct SilenceHdf5 {
  SilenceHdf5() { H5::Exception::dontPrint(); }
};
const SilenceHdf5 silence_once;

std::string type_name(const H5::DataType& t) {
  switch (t.getClass()) {
    case H5T_FLOAT: return fmt::format("float{}", t.getSize() * 8);
    case H5T_INTEGER: {
      H5::IntType it(t.getId());
      bool is_signed = it.getSign() != H5T_SGN_NONE;
      return fmt::format("{}int{}", is_signed ? "" : "u", t.getSize() * 8);
    }
    case H5T_STRING: return "string";
    default: return "other";
  }
}


bool has_fletcher32(const H5::DataSet& ds) {
  H5::DSetCreatPropList p = ds.getCreatePlist();
  const int n = p.getNfilters();
  for (int i = 0; i < n; ++i) {
    unsigned flags = 0;
    size_t nvalues = 0;
    unsigned cd = 0;
    char name[64];
    unsigned config = 0;
    if (p.getFilter(i, flags, nvalues, &cd, sizeof(name), name, config) == H5Z_FILTER_FLETCHER32) return true;
  }
  return false;
}

}  // namespace

std::string shape_str(const std::vector<hsize_t>& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? "," : "") + std::to_string(shape[i]);
  return s + "]";
}

Reader::Reader(const std::string& path) : path_(path) {
  if (!path_exists(path)) fail_input("cannot open '{}': no such file", path);
  if (is_folder(path)) fail_input("cannot open '{}': it is a directory", path);
  htri_t is_h5 = H5Fis_hdf5(path.c_str());
  if (is_h5 <= 0) fail_input("'{}' is not an HDF5 file", path);
  const ProbeResult probe = probe_in_child(path);
  if (probe.verdict == ProbeVerdict::kUnsafe)
    fail_input("'{}': this HDF5 file is damaged or crafted: reading it in a separate process, {}. It was not "
               "opened. Re-create it (a model: export it again with workloads/python/oasim-export; a trace: "
               "`oasim run --record-trace`; clips: write them again)",
               path, probe.why);
  try {
    file_.openFile(path, H5F_ACC_RDONLY);
  } catch (const H5::Exception& e) {
    fail_input("cannot open HDF5 file '{}': {}", path, e.getDetailMsg());
  }
}

bool Reader::has_attribute(const std::string& name) const {
  return guard(name, [&]() -> bool { return file_.attrExists(name); });
}

std::optional<std::string> Reader::string_attribute(const std::string& name) const {
  return guard(name, [&]() -> std::optional<std::string> {
    if (!file_.attrExists(name)) return std::nullopt;
    H5::Attribute a = file_.openAttribute(name);
    if (a.getTypeClass() != H5T_STRING)
      fail_input("'{}': attribute '{}' should be a string, found {}", path_, name, type_name(a.getDataType()));
    // One string of a sane length: a damaged type or space would make the HDF5 C++ API copy an absurd size
    // (found by fuzzing: memcpy of 2^53 bytes in Attribute::read).
    const H5::StrType st = a.getStrType();
    if (a.getSpace().getSimpleExtentNpoints() != 1 || (!st.isVariableStr() && st.getSize() > (1u << 20)) ||
        a.getStorageSize() > (1u << 24))
      fail_input("'{}': attribute '{}' is not one string of a sane length (corrupt file?)", path_, name);
    std::string s;
    if (st.isVariableStr()) {
      // A variable-length string lives in the global heap, where libhdf5 1.10.8 can loop forever on a crafted
      // collection, depending on what its cache holds (fuzzing: H5HG_read via H5T__conv_vlen after the whole-
      // file probe had passed). A child forked now has this very cache: if the read hangs or crashes there,
      // it would here, and the file is refused instead.
      const ProbeResult r = run_isolated(
          [&] {
            std::string discard;
            a.read(st, discard);
            return 0;
          },
          10.0, 1 << 24);
      if (r.verdict == ProbeVerdict::kUnsafe)
        fail_input("'{}': attribute '{}' cannot be read safely ({}): the file is damaged or crafted", path_, name,
                   r.why);
    }
    a.read(st, s);
    return s;
  });
}

std::optional<long> Reader::int_attribute(const std::string& name) const {
  return guard(name, [&]() -> std::optional<long> {
    if (!file_.attrExists(name)) return std::nullopt;
    H5::Attribute a = file_.openAttribute(name);
    if (a.getTypeClass() != H5T_INTEGER || a.getSpace().getSimpleExtentNpoints() != 1)
      fail_input("'{}': attribute '{}' should be one integer, found {}", path_, name, type_name(a.getDataType()));
    long v = 0;
    a.read(H5::PredType::NATIVE_LONG, &v);
    return v;
  });
}

std::optional<double> Reader::float_attribute(const std::string& name) const {
  return guard(name, [&]() -> std::optional<double> {
    if (!file_.attrExists(name)) return std::nullopt;
    H5::Attribute a = file_.openAttribute(name);
    auto cls = a.getTypeClass();
    if ((cls != H5T_FLOAT && cls != H5T_INTEGER) || a.getSpace().getSimpleExtentNpoints() != 1)
      fail_input("'{}': attribute '{}' should be one number, found {}", path_, name, type_name(a.getDataType()));
    double v = 0;
    a.read(H5::PredType::NATIVE_DOUBLE, &v);
    return v;
  });
}

bool Reader::has_dataset(const std::string& name) const {
  return guard(name, [&]() -> bool {
    if (!H5Lexists(file_.getId(), name.c_str(), H5P_DEFAULT)) return false;
    H5O_info_t info;
    if (H5Oget_info_by_name(file_.getId(), name.c_str(), &info, H5P_DEFAULT) < 0) return false;
    return info.type == H5O_TYPE_DATASET;
  });
}

bool Reader::has_group(const std::string& name) const {
  return guard(name, [&]() -> bool {
    if (!H5Lexists(file_.getId(), name.c_str(), H5P_DEFAULT)) return false;
    H5O_info_t info;
    if (H5Oget_info_by_name(file_.getId(), name.c_str(), &info, H5P_DEFAULT) < 0) return false;
    return info.type == H5O_TYPE_GROUP;
  });
}

std::vector<std::string> Reader::root_names() const {
  return guard(std::string("/"), [&]() -> std::vector<std::string> {
    std::vector<std::string> names;
    hsize_t n = file_.getNumObjs();
    for (hsize_t i = 0; i < n; ++i) names.push_back(file_.getObjnameByIdx(i));
    return names;
  });
}

// Any HDF5 exception from a damaged file (a broken attribute, B-tree or heap) becomes an InputError naming
// the file and the object, never an escaped H5::Exception ("internal error" or std::terminate).
template <typename F>
auto Reader::guard(const std::string& object, F&& body) const -> decltype(body()) {
  try {
    return body();
  } catch (const H5::Exception& e) {
    fail_input("'{}': cannot read '{}' (file truncated or corrupt?): {}", path_, object, e.getDetailMsg());
  }
}

size_t Reader::checked_count(const std::string& name, size_t elem_bytes) const {
  H5::DataSet ds = file_.openDataSet(name);
  size_t n = 1;
  for (hsize_t d : dataset_shape(name))
    if (__builtin_mul_overflow(n, size_t(d), &n))
      fail_input("'{}': dataset '{}' declares an impossible shape {} (corrupt file?)", path_, name,
                 shape_str(dataset_shape(name)));
  const double logical = double(n) * double(elem_bytes);
  const double stored = double(ds.getStorageSize());
  // Compact data lives in the object header and cannot be compressed: a declared size larger than what is
  // stored is a damaged layout message, which libhdf5 would read past (found by fuzzing: heap overflow in
  // H5D__select_read).
  if (ds.getCreatePlist().getLayout() == H5D_COMPACT && n > 0 && stored < logical)
    fail_input("'{}': dataset '{}' declares {:.3g} bytes but its compact storage holds {:.3g} (corrupt file?)", path_,
               name, logical, stored);
  if (logical > kSmallBytes && logical > kMaxExpansion * stored)
    fail_input("'{}': dataset '{}' declares shape {} ({:.3g} bytes) but holds only {:.3g} bytes in the file "
               "(corrupt or forged file?)",
               path_, name, shape_str(dataset_shape(name)), logical, stored);
  return n;
}

void Reader::fail_read(const H5::DataSet& ds, const std::string& name, const H5::Exception& e) const {
  if (has_fletcher32(ds))
    fail_input("'{}': dataset '{}' fails its Fletcher-32 checksum: the file is damaged. Re-create it (a model: "
               "export it again with workloads/python/oasim-export or copy it again; a trace: `oasim run "
               "--record-trace`)",
               path_, name);
  fail_input("'{}': cannot read dataset '{}' (file truncated or corrupt?): {}", path_, name, e.getDetailMsg());
}

std::vector<hsize_t> Reader::dataset_shape(const std::string& name) const {
  return guard(name, [&]() -> std::vector<hsize_t> {
    if (!has_dataset(name)) fail_input("'{}': no dataset '{}'", path_, name);
    H5::DataSpace space = file_.openDataSet(name).getSpace();
    std::vector<hsize_t> dims(space.getSimpleExtentNdims());
    space.getSimpleExtentDims(dims.data());
    return dims;
  });
}

std::string Reader::dataset_type(const std::string& name) const {
  return guard(name, [&]() -> std::string {
    if (!has_dataset(name)) fail_input("'{}': no dataset '{}'", path_, name);
    return type_name(file_.openDataSet(name).getDataType());
  });
}

FloatArray Reader::read_floats(const std::string& name, bool expect_float32) const {
  return guard(name, [&]() -> FloatArray {
    if (!has_dataset(name)) fail_input("'{}': no dataset '{}'", path_, name);
    H5::DataSet ds = file_.openDataSet(name);
    std::string tn = type_name(ds.getDataType());
    if (expect_float32 && tn != "float32")
      fail_input("'{}': key '{}' has dtype {}, expected float32", path_, name, tn);
    if (ds.getTypeClass() != H5T_FLOAT && ds.getTypeClass() != H5T_INTEGER)
      fail_input("'{}': dataset '{}' has dtype {}, expected numbers", path_, name, tn);
    FloatArray out;
    out.shape = dataset_shape(name);
    const size_t n = checked_count(name, sizeof(float));
    out.data.resize(n);
    try {
      if (n) ds.read(out.data.data(), H5::PredType::NATIVE_FLOAT);
    } catch (const H5::Exception& e) {
      fail_read(ds, name, e);
    }
    return out;
  });
}

std::vector<double> Reader::read_doubles(const std::string& name) const {
  return guard(name, [&]() -> std::vector<double> {
    if (!has_dataset(name)) fail_input("'{}': no dataset '{}'", path_, name);
    H5::DataSet ds = file_.openDataSet(name);
    if (ds.getTypeClass() != H5T_FLOAT && ds.getTypeClass() != H5T_INTEGER)
      fail_input("'{}': dataset '{}' has dtype {}, expected numbers", path_, name, type_name(ds.getDataType()));
    const size_t n = checked_count(name, sizeof(double));
    std::vector<double> out(n);
    try {
      if (n) ds.read(out.data(), H5::PredType::NATIVE_DOUBLE);
    } catch (const H5::Exception& e) {
      fail_read(ds, name, e);
    }
    return out;
  });
}

std::vector<int64_t> Reader::read_ints(const std::string& name) const {
  return guard(name, [&]() -> std::vector<int64_t> {
    if (!has_dataset(name)) fail_input("'{}': no dataset '{}'", path_, name);
    H5::DataSet ds = file_.openDataSet(name);
    if (ds.getTypeClass() != H5T_INTEGER)
      fail_input("'{}': dataset '{}' has dtype {}, expected integers", path_, name, type_name(ds.getDataType()));
    const size_t n = checked_count(name, sizeof(int64_t));
    std::vector<int64_t> out(n);
    try {
      if (n) ds.read(out.data(), H5::PredType::NATIVE_INT64);
    } catch (const H5::Exception& e) {
      fail_read(ds, name, e);
    }
    return out;
  });
}

std::vector<std::string> Reader::read_strings(const std::string& name) const {
  return guard(name, [&]() -> std::vector<std::string> {
    if (!has_dataset(name)) fail_input("'{}': no dataset '{}'", path_, name);
    H5::DataSet ds = file_.openDataSet(name);
    if (ds.getTypeClass() != H5T_STRING)
      fail_input("'{}': dataset '{}' should hold strings", path_, name);
    std::vector<std::string> out;
    H5::StrType stored = ds.getStrType();
    try {
    if (stored.isVariableStr()) {
      // Variable-length strings are stored as 16-byte references to the heap.
      const size_t n = checked_count(name, 16);
      std::vector<char*> raw(n, nullptr);
      H5::StrType mem(H5::PredType::C_S1, H5T_VARIABLE);
      mem.setCset(stored.getCset());
      if (n) ds.read(raw.data(), mem);
      for (char* s : raw) out.emplace_back(s ? s : "");
      if (n) H5Dvlen_reclaim(mem.getId(), ds.getSpace().getId(), H5P_DEFAULT, raw.data());
    } else {
      size_t len = stored.getSize();
      const size_t n = checked_count(name, len);
      std::vector<char> buf(n * len);
      if (n) ds.read(buf.data(), stored);
      for (size_t i = 0; i < n; ++i) {
        std::string s(buf.data() + i * len, len);
        s.erase(s.find_last_not_of('\0') + 1);
        out.push_back(s);
      }
    }
    } catch (const H5::Exception& e) {
      fail_read(ds, name, e);
    }
    return out;
  });
}

Writer::Writer(const std::string& path, bool append) : path_(path) {
  try {
    file_ = H5::H5File(path, append ? H5F_ACC_RDWR : H5F_ACC_TRUNC);
  } catch (const H5::Exception& e) {
    fail_input("cannot create HDF5 file '{}': {}", path, e.getDetailMsg());
  }
}

void Writer::attribute(const std::string& name, const std::string& value) {
  H5::StrType t(H5::PredType::C_S1, H5T_VARIABLE);
  t.setCset(H5T_CSET_UTF8);
  H5::Attribute a = file_.createAttribute(name, t, H5::DataSpace(H5S_SCALAR));
  a.write(t, value);
}

void Writer::attribute(const std::string& name, long value) {
  H5::Attribute a = file_.createAttribute(name, H5::PredType::NATIVE_LONG, H5::DataSpace(H5S_SCALAR));
  a.write(H5::PredType::NATIVE_LONG, &value);
}

void Writer::attribute(const std::string& name, double value) {
  H5::Attribute a = file_.createAttribute(name, H5::PredType::NATIVE_DOUBLE, H5::DataSpace(H5S_SCALAR));
  a.write(H5::PredType::NATIVE_DOUBLE, &value);
}

void Writer::ensure_parent_groups(const std::string& name) {
  for (size_t pos = name.find('/'); pos != std::string::npos; pos = name.find('/', pos + 1)) {
    std::string g = name.substr(0, pos);
    if (!g.empty() && !H5Lexists(file_.getId(), g.c_str(), H5P_DEFAULT)) file_.createGroup(g);
  }
}

// Numeric datasets are chunked with the Fletcher-32 checksum filter, so a byte changed on disk is refused at
// read time instead of silently simulated. Chunks of about 1 MiB along the first dimension; an empty dataset
// (which HDF5 cannot chunk) stays contiguous.
H5::DataSet Writer::create_checked(const std::string& name, const H5::DataType& type, const std::vector<hsize_t>& shape) {
  ensure_parent_groups(name);
  H5::DataSpace space(int(shape.size()), shape.data());
  H5::DSetCreatPropList plist;
  size_t n = 1;
  for (auto d : shape) n *= d;
  if (n > 0 && !shape.empty()) {
    std::vector<hsize_t> chunk = shape;
    const size_t row_bytes = n / shape[0] * type.getSize();
    chunk[0] = std::max<hsize_t>(1, std::min<hsize_t>(shape[0], (1 << 20) / std::max<size_t>(1, row_bytes)));
    plist.setChunk(int(chunk.size()), chunk.data());
    plist.setFletcher32();
  }
  return file_.createDataSet(name, type, space, plist);
}

void Writer::floats(const std::string& name, const std::vector<hsize_t>& shape, const float* data) {
  H5::DataSet ds = create_checked(name, H5::PredType::IEEE_F32LE, shape);
  if (data && ds.getSpace().getSimpleExtentNpoints() > 0) ds.write(data, H5::PredType::NATIVE_FLOAT);
}

void Writer::doubles(const std::string& name, const std::vector<hsize_t>& shape, const double* data) {
  H5::DataSet ds = create_checked(name, H5::PredType::IEEE_F64LE, shape);
  if (data && ds.getSpace().getSimpleExtentNpoints() > 0) ds.write(data, H5::PredType::NATIVE_DOUBLE);
}

void Writer::ints(const std::string& name, const std::vector<hsize_t>& shape, const int64_t* data) {
  H5::DataSet ds = create_checked(name, H5::PredType::STD_I64LE, shape);
  if (data && ds.getSpace().getSimpleExtentNpoints() > 0) ds.write(data, H5::PredType::NATIVE_INT64);
}

void Writer::strings(const std::string& name, const std::vector<std::string>& values) {
  ensure_parent_groups(name);
  H5::StrType t(H5::PredType::C_S1, H5T_VARIABLE);
  t.setCset(H5T_CSET_UTF8);
  hsize_t n = values.size();
  H5::DataSpace space(1, &n);
  H5::DataSet ds = file_.createDataSet(name, t, space);
  std::vector<const char*> ptrs;
  for (auto& v : values) ptrs.push_back(v.c_str());
  if (n) ds.write(ptrs.data(), t);
}

}  // namespace oasim::h5
