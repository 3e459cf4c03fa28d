#!/usr/bin/env bash
# Runs the conformance suite. A thin wrapper: every argument goes to `conformance run` unchanged, so
# this script and run-suite.ps1 cannot drift. The command is built only when missing or stale
# (tools/conformance.sh). See docs/settings.md or: ./run-suite.sh --help
#   ./run-suite.sh                                   # the embedded reference server
#   ./run-suite.sh --target http://127.0.0.1:8080 --profile fixtures/targets/mine.json
#   ./run-suite.sh --filter status-line --strict --seed 42
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec "$here/tools/conformance.sh" run "$@"
