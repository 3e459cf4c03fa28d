#!/usr/bin/env bash
# Runs the built `conformance` command of this checkout, building it only when it is missing or a source
# file changed since the last build (so `--help` answers at once). Used by run-suite.sh and by hand:
#   tools/conformance.sh diff --help
#   tools/conformance.sh lint
# Fixtures are read at run time, so editing them never needs a build.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/src/Conformance.Cli/bin/Release/net10.0"
dll="$out/conformance.dll"
stamp="$out/.conformance-built"
stale() {
  [ -f "$dll" ] && [ -f "$stamp" ] || return 0
  # Anything the build reads: code, projects, build props and the SDK pin.
  [ -n "$(find "$root/src" "$root/Directory.Build.props" "$root/Directory.Packages.props" "$root/global.json" \
      \( -path '*/bin' -o -path '*/obj' \) -prune -o -type f -newer "$stamp" -print -quit)" ]
}
if stale; then
  echo "conformance: building src/Conformance.Cli (sources changed or no build yet)" >&2
  dotnet build "$root/src/Conformance.Cli" -c Release --nologo -v quiet -clp:ErrorsOnly >&2  # the build touches $stamp (Conformance.Cli.csproj)
fi
exec dotnet "$dll" "$@"
