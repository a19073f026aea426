#pragma once
// Reading an untrusted HDF5 file first in a child process.
//
// Debian 12's libhdf5 (1.10.8) is not hardened against crafted files: fuzzing found heap overflows, SEGVs,
// endless loops and multi-gigabyte allocations driven by sizes read from the file, all inside the library
// (tests/fuzz/README.md). oasim cannot fix them, but it can keep them out of its own process: before a
// Reader opens a file, a forked child walks every object of it and reads every attribute and (a bounded part
// of every) dataset, watched for its memory and against a deadline. Only a file the child read without crashing,
// hanging or running out of memory is opened in-process. A file libhdf5 merely reports errors on is passed
// through, so the Reader names the broken object itself.
#include <functional>
#include <string>

// Builds under a sanitizer (clang does not define __SANITIZE_ADDRESS__; it answers __has_feature): its
// runtime catches a crash itself and exits with code 1, and its shadow memory inflates resident sizes.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define OASIM_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || __has_feature(memory_sanitizer)
#define OASIM_SANITIZED 1
#endif
#endif
#ifndef OASIM_SANITIZED
#define OASIM_SANITIZED 0
#endif

namespace oasim::h5 {

// Logical bytes of a dataset beyond this many times its bytes on disk cannot come from a file we or h5py
// wrote (no compression is used): Reader refuses such a dataset before reading it, and the probe skips it.
constexpr double kMaxExpansion = 64;
constexpr double kSmallBytes = 1 << 20;  // below this, any expansion is allowed

enum class ProbeVerdict {
  kReadable,     // every object was read
  kReportsErrors,  // libhdf5 returned errors (a broken object, a failed checksum): safe to open and report
  kUnsafe,       // the child crashed, hung, or tried to allocate without bound
};

struct ProbeResult {
  ProbeVerdict verdict = ProbeVerdict::kReadable;
  std::string why;  // for kUnsafe: "killed by signal 11", "no answer within 12 s", "allocation refused"
};

// Runs the probe on `path` in a child process. Set OASIM_H5_PROBE=0 to skip it (trusted files, debugging).
ProbeResult probe_in_child(const std::string& path);

// The isolation itself: runs `body` in a forked child (stdout/stderr silenced) and judges how it ended: exit 0
// readable, 3 errors reported, 4 (or std::bad_alloc) allocation refused, a signal or any other code unsafe;
// still running after `deadline_s`, or holding more resident memory than the caller did plus 1 GiB plus twice
// `extra_memory_bytes`: killed and unsafe.
ProbeResult run_isolated(const std::function<int()>& body, double deadline_s, double extra_memory_bytes);

// The probe's body, run in the calling process (the child calls it; tests may too). Returns the exit code
// the child reports: 0 readable, 3 errors reported, 4 an allocation failed.
int probe_here(const std::string& path);

}  // namespace oasim::h5
