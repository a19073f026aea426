#!/usr/bin/env bash
# Installs oasim's build and run dependencies from Debian packages (Debian 12, as root).
# Idempotent: does nothing when everything is already installed.
set -euo pipefail

PACKAGES=(
  build-essential cmake pkg-config
  libsystemc-dev libeigen3-dev libboost-dev libfmt-dev libspdlog-dev libcli11-dev catch2
  libyaml-cpp-dev libhdf5-dev libssl-dev nlohmann-json3-dev zlib1g-dev
  libhwy-dev librandom123-dev  # integer optical MVM kernels (Highway); Philox reference for the noise tests
  libavformat-dev libavcodec-dev libswscale-dev libavutil-dev ffmpeg
  libboost-mpi-dev libopenmpi-dev openmpi-bin
  python3 python3-torch python3-h5py python3-numpy python3-matplotlib
  dataset-fashion-mnist
  clang-14 libclang-rt-14-dev libomp-14-dev  # libFuzzer targets (scripts/fuzz.sh)
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi
echo "install-deps: installing ${missing[*]}"
SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
