#!/usr/bin/env bash
# Slow-server proof over the whole catalog: every raw case against the embedded reference target, first
# directly, then through a relay that spreads every burst of the server's bytes over about 3 s
# (tests/Conformance.Harness.Tests/Survival/WholeCatalogTrickleTests.cs, an explicit test). Prints the wall
# times and each case whose verdict changed; exit 0 when none changed beyond the listed timing-dependent ones.
#   tools/bench/trickle.sh                 # seed 20261121
#   TRICKLE_SEED=7 tools/bench/trickle.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
report="$(mktemp)"
trap 'rm -f "$report"' EXIT
dotnet build "$here/tests/Conformance.Harness.Tests" -c Release --nologo -v quiet >/dev/null
status=0
TRICKLE_REPORT="$report" dotnet test "$here/tests/Conformance.Harness.Tests" -c Release --no-build --nologo \
  --filter "FullyQualifiedName~WholeCatalogTrickleTests" >/dev/null || status=$?
if [ -s "$report" ]; then cat "$report"; else echo "trickle: the test wrote no report (exit $status)" >&2; fi
exit "$status"
