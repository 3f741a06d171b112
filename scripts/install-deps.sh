#!/usr/bin/env bash
# Installs the Debian packages tapir needs, and nothing else.
# Idempotent: asks dpkg what is present, runs `apt-get update` once only when
# something is missing, then installs just the missing packages.
set -euo pipefail

PACKAGES=(
  # toolchain
  g++ make cmake ninja-build pkg-config git
  # fuzz targets (libFuzzer ships with clang's runtime)
  clang-14 libclang-rt-14-dev llvm-14
  # libraries (see docs/dependencies.md for why each is here)
  libboost-dev          # Boost.Asio event loop (and Beast for the protocol)
  libssl-dev            # wss:// (TLS for the protocol)
  libspdlog-dev libfmt-dev
  libtomlplusplus-dev   # configuration files
  libphonenumber-dev libicu-dev   # dialing rules: country metadata
  libcli11-dev          # command lines
  nlohmann-json3-dev    # the tapird protocol's JSON
  libedit-dev           # the tapir CLI's interactive mode
  libjemalloc-dev       # tapird's allocator
  libgtest-dev libgmock-dev libbenchmark-dev
)

missing=()
for p in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true)
  [[ "$status" == ii* ]] || missing+=("$p")
done

if ((${#missing[@]} == 0)); then
  [[ "${1:-}" == "--quiet" ]] || echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

SUDO=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  SUDO=sudo
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
