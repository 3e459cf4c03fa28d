#!/usr/bin/env bash
# Slow-server proof over the whole catalog: every raw case against the embedded reference target, first
# directly, then through a relay that spreads every burst of the server's bytes over about 3 s
# (tests/Conformance.Harness.Tests/Survival/WholeCatalogTrickleTests.cs, an explicit test). Prints the wall
# times and each case whose verdict changed; exit 0 when none changed beyond the listed timing-dependent ones.
# With --strict, the same sweep runs against the harness tests' strict origin server instead
# (tests/Conformance.Harness.Tests/StrictOrigin, docs/strict-origin.md): it must get 0 FAIL and 0 ERROR both
# directly and trickled; the table shows the verdict counts of both runs.
#   tools/bench/trickle.sh                 # seed 20261121
#   tools/bench/trickle.sh --strict
#   TRICKLE_SEED=7 tools/bench/trickle.sh
set -euo pipefail
filter="FullyQualifiedName~WholeCatalogTrickleTests"
case "${1:-}" in
  "") ;;
  --strict) filter="FullyQualifiedName~StrictOriginTrickleTests" ;;
  *) echo "usage: tools/bench/trickle.sh [--strict]" >&2; exit 2 ;;
esac
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
report="$(mktemp)"
trap 'rm -f "$report"' EXIT
dotnet build "$here/tests/Conformance.Harness.Tests" -c Release --nologo -v quiet >/dev/null
status=0
TRICKLE_REPORT="$report" dotnet test "$here/tests/Conformance.Harness.Tests" -c Release --no-build --nologo \
  --filter "$filter" >/dev/null || status=$?
if [ -s "$report" ]; then cat "$report"; else echo "trickle: the test wrote no report (exit $status)" >&2; fi
exit "$status"
