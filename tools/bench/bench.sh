#!/usr/bin/env bash
# Benchmark: runs the whole catalog N times (default 20) and prints the median and spread of the wall
# time, cases per second, peak memory and how many cases changed verdict between runs. The build is
# done once, before and outside the measurement. Every other argument goes to `conformance run`:
#   tools/bench/bench.sh                                  # 20 runs against the embedded reference server
#   tools/bench/bench.sh --runs 5 --server nginx          # a bundled server (when available)
#   tools/bench/bench.sh --target http://127.0.0.1:8080 --profile fixtures/targets/mine.json
#   tools/bench/bench.sh --seeds 20 --server apache        # seed sweep: run i uses seed i, compared with
#                                                         # reports/baselines/<profile>/ (read-only)
#   tools/bench/bench.sh --runs 20 --browser-split         # raw catalog vs whole catalog with Chromium,
#                                                         # alternating, with the suite-time ratio
# Exit 0 when no case changed verdict (and, sweeping, no baseline changed), 1 otherwise.
# The figures are only as quiet as the machine.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
dotnet build "$here/src/Conformance.Cli" -c Release --nologo -v quiet >/dev/null
exec dotnet "$here/src/Conformance.Cli/bin/Release/net10.0/conformance.dll" bench "$@"
