# Runs the conformance suite. A thin wrapper, twin of run-suite.sh: every argument goes to
# `conformance run` unchanged. See README.md or: ./run-suite.ps1 --help
$ErrorActionPreference = 'Stop'
dotnet run --project (Join-Path $PSScriptRoot 'src/Conformance.Cli') -c Release -- run @args
exit $LASTEXITCODE
