#!/usr/bin/env bash
# Runs every benchmark binary (BUILD_DIR/bin/*_bench), prints the results,
# keeps them as JSON under BUILD_DIR/bench-results/, and checks the performance
# targets (docs/performance.md), printing PASS or MISS for each.
#
# It reports; it does not gate: the exit status is 0 whether targets are met
# or not (non-zero only if a benchmark binary itself fails).
#
#   BENCH_REPETITIONS  runs of each benchmark; targets use the median (default 3)
#   BENCH_FILTER       a --benchmark_filter regex (default: all)
set -euo pipefail
build=${1:?usage: scripts/bench.sh BUILD_DIR}
build=${build%/}
reps=${BENCH_REPETITIONS:-3}
filter=${BENCH_FILTER:-.}
out="$build/bench-results"  # build/*/bench/ is CMake's own directory for bench/
mkdir -p "$out"

shopt -s nullglob
bins=("$build"/bin/*_bench)
if ((${#bins[@]} == 0)); then
  echo "bench: no *_bench binaries in $build/bin (configure with -DTAPIR_BENCH=ON)" >&2
  exit 1
fi

# The machine, for docs/performance.md.
{
  echo "date:     $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "commit:   $(git -C "$(dirname "$0")/.." describe --always --dirty 2>/dev/null || echo unknown)"
  echo "cpu:      $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "nproc:    $(nproc)"
  echo "memory:   $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
  echo "kernel:   $(uname -r)"
  echo "load:     $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min; other work skews the timings)"
  echo "compiler: $(grep -m1 'CMAKE_CXX_COMPILER:' "$build/CMakeCache.txt" 2>/dev/null | cut -d= -f2-) \
$(grep -m1 'CMAKE_CXX_COMPILER_VERSION' "$build/CMakeFiles/"*/CMakeCXXCompiler.cmake 2>/dev/null \
    | sed 's/.*"\(.*\)".*/\1/')"
  echo "build:    $(grep -m1 'CMAKE_BUILD_TYPE:' "$build/CMakeCache.txt" 2>/dev/null | cut -d= -f2-)"
} | tee "$out/machine.txt"
echo

for bin in "${bins[@]}"; do
  name=$(basename "$bin")
  echo "bench: $name (repetitions: $reps, filter: $filter)"
  "$bin" --benchmark_filter="$filter" --benchmark_repetitions="$reps" \
    --benchmark_report_aggregates_only=true \
    --benchmark_out="$out/$name.json" --benchmark_out_format=json
  echo
done

# Flattens Google Benchmark's JSON into "run_name<TAB>aggregate<TAB>key<TAB>value"
# lines (aggregate empty for a plain run). Good enough for the library's own
# pretty-printed output: one field per line.
flatten() {
  awk '
    /"benchmarks": \[/ { inside = 1; next }
    !inside { next }
    /^ *\{/ { run = ""; agg = ""; n = 0; next }
    /"run_name":/ { v = $0; sub(/^[^:]*: *"/, "", v); sub(/",? *$/, "", v); run = v; next }
    /"aggregate_name":/ { v = $0; sub(/^[^:]*: *"/, "", v); sub(/",? *$/, "", v); agg = v; next }
    /"error_occurred": true/ { key[++n] = "error"; val[n] = 1; next }
    /^ *"[A-Za-z0-9_]+": -?[0-9.eE+-]+,? *$/ {
      k = $0; sub(/^ *"/, "", k); sub(/".*$/, "", k)
      v = $0; sub(/^[^:]*: */, "", v); sub(/,? *$/, "", v)
      key[++n] = k; val[n] = v; next
    }
    /^ *\}/ { if (run != "") for (i = 1; i <= n; ++i) printf "%s\t%s\t%s\t%s\n", run, agg, key[i], val[i] }
  ' "$@"
}
flat="$out/figures.tsv"
flatten "$out"/*_bench.json > "$flat"

# The figure a target is judged on: the median over repetitions (or the only run).
figure() {  # run_name key
  awk -F'\t' -v run="$1" -v key="$2" '
    $1 == run && $3 == key && ($2 == "median" || $2 == "") { print $4; exit }
  ' "$flat"
}

echo "targets (docs/performance.md; each figure the median of $reps runs):"
check() {  # label value op limit unit
  local label=$1 value=$2 op=$3 limit=$4 unit=$5
  if [[ -z "$value" ]]; then
    if [[ "$filter" == . ]]; then
      printf '  MISS  %-52s no figure (the benchmark failed)\n' "$label"
    else
      printf '  SKIP  %-52s not run (BENCH_FILTER)\n' "$label"
    fi
    return
  fi
  local verdict
  verdict=$(awk -v v="$value" -v l="$limit" -v op="$op" \
    'BEGIN { ok = (op == ">=") ? (v >= l) : (v <= l); print ok ? "PASS" : "MISS" }')
  printf '  %s  %-52s %s %s (target %s %s)\n' "$verdict" "$label" \
    "$(awk -v v="$value" 'BEGIN { printf (v >= 100 ? "%.0f" : "%.2f"), v }')" "$unit" "$op" "$limit"
}
ratio() {  # a b -> a / b
  [[ -n "$1" && -n "$2" ]] && awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }' || true
}

check "basic calls per second, one core" "$(figure BM_BasicCall items_per_second)" ">=" 500000 "calls/s"
for n in 1000 10000 100000; do
  check "bytes per idle station ($n stations)" \
    "$(figure "BM_IdleStationMemory/$n/iterations:1" bytes_per_station)" "<=" 1024 "B"
done
for n in 1000 10000 100000; do
  check "bytes per active two-party call ($n calls)" \
    "$(figure "BM_ActiveCallMemory/$n/iterations:1" bytes_per_call)" "<=" 4096 "B"
done
for op in HoldUnhold BasicCall; do
  check "$op cost at 100k calls / at 1k calls" \
    "$(ratio "$(figure "BM_${op}UnderLoad/100000" cpu_time)" "$(figure "BM_${op}UnderLoad/1000" cpu_time)")" \
    "<=" 1.5 "x"
done
# The C API target holds if some pipeline depth K reaches it: the best median.
capi_best=""
capi_k=""
for k in 1 8 16 32 64 128 256; do
  v=$(figure "BM_CApiBasicCall/$k/real_time" items_per_second)
  if [[ -n "$v" ]] && { [[ -z "$capi_best" ]] || awk -v a="$v" -v b="$capi_best" 'BEGIN { exit !(a > b) }'; }; then
    capi_best=$v
    capi_k=$k
  fi
done
check "C API basic calls per second${capi_k:+ (best: K = $capi_k in flight)}" "$capi_best" ">=" 200000 "calls/s"
# tapird over the wire (bench/daemon_bench.cc): transport 0 = unix socket, 1 = TCP loopback.
for t in 0 1; do
  tname=$([[ $t == 0 ]] && echo "unix socket" || echo "TCP loopback")
  for n in 1 50; do
    # Judged with the calls each client keeps in flight (64); with one at a
    # time a client waits a round trip per step, which the table shows too.
    check "tapird basic calls per second, $tname, $n client(s)" \
      "$(figure "BM_BasicCalls/transport:$t/clients:$n/inflight:64/real_time" items_per_second)" \
      ">=" 20000 "calls/s"
    check "tapird request round trip p99, $tname, $n client(s)" \
      "$(figure "BM_RoundTrip/transport:$t/clients:$n/real_time" p99_us)" "<=" 1000 "us"
  done
done
echo
echo "bench: results in $out/ (*.json from Google Benchmark, figures.tsv flattened, machine.txt)"
