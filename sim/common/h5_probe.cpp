#include "sim/common/h5_probe.hpp"

#include <fcntl.h>
#include <poll.h>
#include <hdf5.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <vector>

#include <fmt/format.h>

namespace oasim::h5 {
namespace {

constexpr int kExitReadable = 0;
constexpr int kExitErrors = 3;
constexpr int kExitAllocation = 4;

// The probe reads whole datasets up to this size, and the first and last slab along the first axis of
// larger ones (every layout and chunk index is still parsed; the bulk bytes of a large video are not re-read).
constexpr double kWholeReadBytes = 256.0 * (1 << 20);
constexpr double kMaxAttributeBytes = 16.0 * (1 << 20);

struct ProbeState {
  bool error = false;
  bool allocation_failed = false;
};

herr_t note_allocation_errors(unsigned, const H5E_error2_t* e, void* data) {
  if (e->min_num == H5E_CANTALLOC || e->min_num == H5E_NOSPACE) static_cast<ProbeState*>(data)->allocation_failed = true;
  return 0;
}

// Records a failed libhdf5 call; an allocation failure among its causes marks the file unsafe.
bool ok(ProbeState& st, long long ret) {
  if (ret >= 0) return true;
  st.error = true;
  if (std::getenv("OASIM_H5_PROBE_DEBUG")) H5Eprint2(H5E_DEFAULT, stderr);
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, note_allocation_errors, &st);
  return false;
}

// Closes an HDF5 id on scope exit (ids of a failed call are negative and skipped).
struct Id {
  hid_t id;
  herr_t (*close)(hid_t);
  ~Id() {
    if (id >= 0) close(id);
  }
};

// Reads `count` elements of an attribute or dataset selection through `read` (memory type, buffer).
template <typename Read>
void read_elements(ProbeState& st, hid_t file_type, hid_t mem_space, double count, Read&& read) {
  if (H5Tis_variable_str(file_type) > 0) {
    if (count > (1 << 20)) return;
    Id mem{H5Tcopy(file_type), H5Tclose};  // same character set as stored (h5py writes UTF-8)
    std::vector<char*> buf(size_t(count), nullptr);
    if (ok(st, read(mem.id, buf.data()))) H5Dvlen_reclaim(mem.id, mem_space, H5P_DEFAULT, buf.data());
    return;
  }
  const H5T_class_t cls = H5Tget_class(file_type);
  if (cls == H5T_VLEN || cls == H5T_REFERENCE) return;  // never written by oasim or its exporters
  Id mem{cls == H5T_STRING ? H5Tcopy(file_type) : H5Tget_native_type(file_type, H5T_DIR_DEFAULT), H5Tclose};
  if (!ok(st, mem.id)) return;
  const double bytes = count * double(H5Tget_size(mem.id));
  if (bytes > kWholeReadBytes) return;
  std::vector<char> buf(size_t(bytes) + 1);
  ok(st, read(mem.id, buf.data()));
}

// Reads one attribute (already opened) the way Reader::*_attribute would.
void probe_attribute(ProbeState& st, hid_t attr) {
  Id type{H5Aget_type(attr), H5Tclose};
  Id space{H5Aget_space(attr), H5Sclose};
  if (!ok(st, type.id) || !ok(st, space.id)) return;
  const hssize_t n = H5Sget_simple_extent_npoints(space.id);
  if (!ok(st, n) || double(H5Aget_storage_size(attr)) > kMaxAttributeBytes) return;
  read_elements(st, type.id, space.id, double(n), [&](hid_t mem, void* buf) { return H5Aread(attr, mem, buf); });
}

// Every attribute of an object, by index: one undecodable attribute must not hide the ones after it (an
// H5Aiterate stops at the first failure, and a Reader opens attributes by name, whichever they are).
constexpr hsize_t kMaxAttributes = 4096;
void probe_attributes(ProbeState& st, hid_t obj) {
  H5O_info_t info;
  if (!ok(st, H5Oget_info2(obj, &info, H5O_INFO_NUM_ATTRS))) return;
  for (hsize_t i = 0; i < std::min<hsize_t>(info.num_attrs, kMaxAttributes); ++i) {
    Id a{H5Aopen_by_idx(obj, ".", H5_INDEX_NAME, H5_ITER_NATIVE, i, H5P_DEFAULT, H5P_DEFAULT), H5Aclose};
    if (ok(st, a.id)) probe_attribute(st, a.id);
  }
}

void probe_dataset(ProbeState& st, hid_t ds) {
  Id type{H5Dget_type(ds), H5Tclose};
  Id space{H5Dget_space(ds), H5Sclose};
  Id plist{H5Dget_create_plist(ds), H5Pclose};
  if (!ok(st, type.id) || !ok(st, space.id) || !ok(st, plist.id)) return;
  const int rank = H5Sget_simple_extent_ndims(space.id);
  if (!ok(st, rank) || rank > H5S_MAX_RANK) return;
  std::vector<hsize_t> dims(size_t(std::max(rank, 1)), 1);
  if (rank > 0 && !ok(st, H5Sget_simple_extent_dims(space.id, dims.data(), nullptr))) return;
  double count = 1;
  for (int i = 0; i < rank; ++i) count *= double(dims[size_t(i)]);
  const double logical = count * double(H5Tget_size(type.id));
  const double stored = double(H5Dget_storage_size(ds));
  if (H5Pget_layout(plist.id) == H5D_COMPACT && stored < logical) return;
  if (logical > kSmallBytes && logical > kMaxExpansion * stored) return;
  if (count == 0) return;
  if (logical <= kWholeReadBytes || rank == 0) {
    read_elements(st, type.id, space.id, count,
                  [&](hid_t mem, void* buf) { return H5Dread(ds, mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf); });
    return;
  }
  // A large dataset: its first and last slab along axis 0.
  std::vector<hsize_t> slab = dims;
  slab[0] = 1;
  const double slab_count = count / double(dims[0]);
  for (hsize_t first : {hsize_t(0), dims[0] - 1}) {
    std::vector<hsize_t> start(dims.size(), 0);
    start[0] = first;
    Id file_space{H5Scopy(space.id), H5Sclose};
    Id mem_space{H5Screate_simple(rank, slab.data(), nullptr), H5Sclose};
    if (!ok(st, file_space.id) || !ok(st, mem_space.id) ||
        !ok(st, H5Sselect_hyperslab(file_space.id, H5S_SELECT_SET, start.data(), nullptr, slab.data(), nullptr)))
      return;
    read_elements(st, type.id, mem_space.id, slab_count, [&](hid_t mem, void* buf) {
      return H5Dread(ds, mem, mem_space.id, file_space.id, H5P_DEFAULT, buf);
    });
  }
}

herr_t probe_object(hid_t root, const char* name, const H5O_info_t* info, void* data) {
  auto& st = *static_cast<ProbeState*>(data);
  if (std::strcmp(name, ".") == 0) return 0;  // the root: probed before the visit
  Id obj{H5Oopen(root, name, H5P_DEFAULT), H5Oclose};
  if (!ok(st, obj.id)) return 0;
  probe_attributes(st, obj.id);
  if (info->type == H5O_TYPE_DATASET) probe_dataset(st, obj.id);
  return 0;
}

// Resident memory of a process in bytes (0 if it cannot be read).
double resident_bytes(pid_t pid) {
  long pages = 0, resident = 0;
  if (FILE* f = std::fopen(fmt::format("/proc/{}/statm", pid).c_str(), "r")) {
    if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
    std::fclose(f);
  }
  return double(resident) * double(sysconf(_SC_PAGESIZE));
}

std::string describe_signal(int sig) {
  const char* s = strsignal(sig);
  return fmt::format("killed by signal {} ({})", sig, s ? s : "?");
}

}  // namespace

int probe_here(const std::string& path) {
  ProbeState st;
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  try {
    Id file{H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose};
    if (ok(st, file.id)) {
      // The root's attributes first, on their own: a visit that fails on a broken link table would never
      // reach them, and every oasim file keeps its format and shape there.
      Id root{H5Oopen(file.id, "/", H5P_DEFAULT), H5Oclose};
      if (ok(st, root.id)) probe_attributes(st, root.id);
      ok(st, H5Ovisit2(file.id, H5_INDEX_NAME, H5_ITER_NATIVE, probe_object, &st, H5O_INFO_BASIC));
    }
  } catch (const std::bad_alloc&) {
    st.allocation_failed = true;
  }
  if (st.allocation_failed) return kExitAllocation;
  return st.error ? kExitErrors : kExitReadable;
}

ProbeResult probe_in_child(const std::string& path) {
  if (const char* e = std::getenv("OASIM_H5_PROBE"); e && std::string(e) == "0") return {};
  struct stat sb {};
  const off_t bytes = ::stat(path.c_str(), &sb) == 0 ? sb.st_size : 0;
  // Reading at 20 MB/s on a loaded machine, plus a fixed allowance: a legitimate file is never cut short.
  const double deadline_s = 10.0 + double(bytes) / 20e6;
  return run_isolated([&] { return probe_here(path); }, deadline_s, double(bytes));
}

ProbeResult run_isolated(const std::function<int()>& body, double deadline_s, double extra_memory_bytes) {
  // The child holds the write end of a pipe until it ends, so the parent wakes the moment it does (POLLHUP)
  // instead of polling waitpid.
  int done[2];
  if (pipe2(done, O_CLOEXEC) != 0) return {};  // no descriptors to spare: open in-process, as before the probe
  const pid_t pid = fork();
  if (pid < 0) {
    close(done[0]);
    close(done[1]);
    return {};
  }
  if (pid == 0) {
    // The child: quiet, bounded, and leaving through _exit so that no parent state (HDF5 files open for
    // writing, stdio buffers, atexit handlers) is flushed twice.
    close(done[0]);
    const int devnull = open("/dev/null", O_WRONLY);
    if (devnull >= 0) {
      dup2(devnull, STDOUT_FILENO);
      dup2(devnull, STDERR_FILENO);
    }
    int code = kExitErrors;
    try {
      code = body();
    } catch (const std::bad_alloc&) {
      code = kExitAllocation;
    } catch (...) {
      code = kExitErrors;
    }
    _exit(code);
  }
  close(done[1]);
  // The child runs exactly as the caller would (no rlimit: an allocation that fails there but would succeed
  // here hides a hang behind an error); the parent watches its resident memory instead and stops it past
  // what it held at the fork + 1 GiB + twice `extra_memory_bytes` (checked every 20 ms).
  const double memory_limit = resident_bytes(getpid()) + double(1u << 30) + 2.0 * extra_memory_bytes;
  const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(deadline_s);
  bool ended = false;
  std::string stopped;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      stopped = fmt::format("libhdf5 gave no answer within {:.0f} s", deadline_s);
      break;
    }
    pollfd p{done[0], POLLIN, 0};
    const int r = poll(&p, 1, int(std::min<long long>(left.count(), 20)));
    if (r > 0) {
      ended = true;
      break;
    }
    if (r < 0 && errno != EINTR) {
      stopped = "the reading process could not be watched";
      break;
    }
    if (resident_bytes(pid) > memory_limit) {
      stopped = fmt::format("a size read from the file asks libhdf5 for more memory than the file could fill "
                            "(over {:.0f} MiB)", memory_limit / double(1 << 20));
      break;
    }
  }
  close(done[0]);
  int status = 0;
  if (!ended) {
    kill(pid, SIGKILL);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return {ProbeVerdict::kUnsafe, stopped};
  }
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) return {};  // the child was reaped elsewhere: nothing to judge
  if (WIFSIGNALED(status)) return {ProbeVerdict::kUnsafe, "libhdf5 " + describe_signal(WTERMSIG(status))};
  const int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  if (code == kExitReadable) return {};
  if (code == kExitErrors) return {ProbeVerdict::kReportsErrors, ""};
  if (code == kExitAllocation)
    return {ProbeVerdict::kUnsafe, "a size read from the file asks libhdf5 for more memory than the file could fill"};
  return {ProbeVerdict::kUnsafe, fmt::format("the reading process ended with code {}", code)};
}

}  // namespace oasim::h5
