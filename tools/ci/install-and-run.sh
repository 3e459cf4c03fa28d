#!/usr/bin/env bash
# The two CI lines of docs/ci.md and action.yml, run as a server project's CI runs them: install the
# `conformance` tool, run it. Here the package is packed from this checkout into a folder first (a server
# project would install from its feed instead). Every argument goes to `conformance run`:
#   tools/ci/install-and-run.sh --gate conformance --no-screenshot
#   tools/ci/install-and-run.sh --target http://127.0.0.1:8080 --profile my-profile.json
# CONFORMANCE_CI_WORK names the work folder (default: a new temporary folder); reports go to its out/.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="${CONFORMANCE_CI_WORK:-$(mktemp -d)}"
version="$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$root/Directory.Build.props")"
dotnet pack "$root/src/Conformance.Cli" -c Release -o "$work/packages" --nologo -v quiet

# The two lines a server project's CI needs. (NUGET_PACKAGES: a cache of its own, so a package of the same
# version installed before the fixtures changed is never taken instead of the one just packed.)
NUGET_PACKAGES="$work/nuget-packages" dotnet tool install Http11.Conformance --version "$version" --tool-path "$work/tool" --add-source "$work/packages"
cd "$work" && exec "$work/tool/conformance" run --out "$work/out" "$@"
