#!/usr/bin/env bash
# Architecture rules the compiler does not check (run by `make test`):
#  - only src/capi may contain extern "C" (fuzz targets excepted: libFuzzer's entry point;
#    the public C headers include/tapi.h and include/tapir/sim.h declare the C API)
#  - no `using namespace` in headers
#  - every C++ header opens with #pragma once (the C headers keep include guards)
set -euo pipefail
cd "$(dirname "$0")/.."
fail=0
while IFS= read -r f; do
  echo "lint: $f: extern \"C\" belongs in src/capi only"; fail=1
done < <(git ls-files '*.h' '*.cc' | grep -v -e '^src/capi/' -e '^fuzz/' -e '^include/tapi.h$' -e '^include/tapir/sim.h$' \
  -e '^tests/capi/' | xargs grep -l 'extern "C"' || true)
while IFS= read -r f; do
  echo "lint: $f: 'using namespace' in a header"; fail=1
done < <(git ls-files '*.h' | xargs grep -l -E '^\s*using namespace' || true)
for f in $(git ls-files '*.h' | grep -v -e '^include/tapi.h$' -e '^include/tapir/sim.h$'); do
  grep -q '^#pragma once' "$f" || { echo "lint: $f: no #pragma once"; fail=1; }
done
((fail == 0)) && echo "lint: ok"
exit $fail
