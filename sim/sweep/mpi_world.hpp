#pragma once
// The MPI side of `mpirun -n N oasim sweep`: ranks split the points, meet at barriers, and rank 0
// merges. Only started when an MPI launcher started us (so plain runs never touch MPI), and a no-op
// build without Boost.MPI still works on one rank.
#include <memory>

namespace oasim::sweep {

class MpiWorld {
 public:
  // Initialises MPI if this process was started by mpirun/srun (their environment says so).
  static std::unique_ptr<MpiWorld> join_if_launched();
  ~MpiWorld();
  int rank() const { return rank_; }
  int size() const { return size_; }
  void barrier();
  long sum(long value);  // across ranks, result on every rank

 private:
  MpiWorld() = default;
  struct Impl;
  std::unique_ptr<Impl> impl_;
  int rank_ = 0, size_ = 1;
};

// Whether this binary was built with Boost.MPI.
bool mpi_available();

}  // namespace oasim::sweep
