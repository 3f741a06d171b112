#!/usr/bin/env bash
# Architecture rules the compiler does not check (run by `make test`):
#  - only src/capi may contain extern "C" (fuzz targets excepted: libFuzzer's entry point)
#  - no `using namespace` in headers
#  - every header opens with #pragma once
set -euo pipefail
cd "$(dirname "$0")/.."
fail=0
while IFS= read -r f; do
  echo "lint: $f: extern \"C\" belongs in src/capi only"; fail=1
done < <(git ls-files '*.h' '*.cc' | grep -v -e '^src/capi/' -e '^fuzz/' -e '^include/tapi.h$' -e '^tests/capi/' | xargs grep -l 'extern "C"' || true)
while IFS= read -r f; do
  echo "lint: $f: 'using namespace' in a header"; fail=1
done < <(git ls-files '*.h' | xargs grep -l -E '^\s*using namespace' || true)
for f in $(git ls-files '*.h' | grep -v '^include/tapi.h$'); do
  grep -q '^#pragma once' "$f" || { echo "lint: $f: no #pragma once"; fail=1; }
done
((fail == 0)) && echo "lint: ok"
exit $fail
