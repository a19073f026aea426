#include "sim/sweep/mpi_world.hpp"

#include <cstdlib>
#include <stdexcept>

#ifdef OASIM_WITH_MPI
#include <boost/mpi/collectives.hpp>
#include <boost/mpi/communicator.hpp>
#include <boost/mpi/environment.hpp>
#endif

namespace oasim::sweep {

namespace {
bool launched_by_mpi() {
  // OpenMPI's mpirun, PMIx-based launchers (srun, prterun) and MPICH's hydra set these.
  for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_SIZE"})
    if (std::getenv(v)) return true;
  return false;
}
}  // namespace

#ifdef OASIM_WITH_MPI
struct MpiWorld::Impl {
  boost::mpi::environment env{boost::mpi::threading::single, false};
  boost::mpi::communicator world;
};

bool mpi_available() { return true; }

std::unique_ptr<MpiWorld> MpiWorld::join_if_launched() {
  if (!launched_by_mpi()) return nullptr;
  std::unique_ptr<MpiWorld> w(new MpiWorld());
  w->impl_ = std::make_unique<Impl>();
  w->rank_ = w->impl_->world.rank();
  w->size_ = w->impl_->world.size();
  return w;
}

void MpiWorld::barrier() { impl_->world.barrier(); }

long MpiWorld::sum(long value) {
  long out = 0;
  boost::mpi::all_reduce(impl_->world, value, out, std::plus<long>());
  return out;
}
#else
struct MpiWorld::Impl {};

bool mpi_available() { return false; }

std::unique_ptr<MpiWorld> MpiWorld::join_if_launched() {
  if (launched_by_mpi())
    throw std::runtime_error("started by an MPI launcher, but this oasim was built without Boost.MPI "
                             "(install libboost-mpi-dev and rebuild)");
  return nullptr;
}

void MpiWorld::barrier() {}
long MpiWorld::sum(long value) { return value; }
#endif

MpiWorld::~MpiWorld() = default;

}  // namespace oasim::sweep
