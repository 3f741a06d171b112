#!/usr/bin/env bash
# Runs every fuzz target in BUILD_DIR over its seed corpus (fuzz/corpus/NAME).
#   smoke: a fixed number of runs from a fixed seed (used by `make test`)
#   long:  FUZZ_RUNS runs (default 1,000,000) into a scratch copy of the corpus
set -euo pipefail
build=${1:?build dir}
mode=${2:-smoke}
root=$(cd "$(dirname "$0")/.." && pwd)
for bin in "$build"/bin/*_fuzz; do
  name=$(basename "$bin" _fuzz)
  corpus="$root/fuzz/corpus/$name"
  [[ -d "$corpus" ]] || { echo "fuzz: no corpus for $name" >&2; exit 1; }
  if [[ "$mode" == smoke ]]; then
    runs=20000
    work=$(mktemp -d)
  else
    runs=${FUZZ_RUNS:-1000000}
    work="$root/fuzz/corpus-$name"
    mkdir -p "$work"
  fi
  echo "fuzz: $name ($runs runs)"
  if ! "$bin" -seed=1 -runs="$runs" -max_len=4096 -rss_limit_mb=2048 \
      -artifact_prefix="$build/" "$work" "$corpus" > "$build/$name.fuzz.log" 2>&1; then
    tail -n 40 "$build/$name.fuzz.log" >&2
    echo "fuzz: $name FAILED (log: $build/$name.fuzz.log)" >&2
    exit 1
  fi
  [[ "$mode" == smoke ]] && rm -rf "$work"
done
echo "fuzz: all targets passed"
