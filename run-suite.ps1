# Runs the conformance suite. A thin wrapper, twin of run-suite.sh: every argument goes to
# `conformance run` unchanged; the command is built only when missing or stale. See docs/settings.md or:
#   ./run-suite.ps1 --help
$ErrorActionPreference = 'Stop'
$out = Join-Path $PSScriptRoot 'src/Conformance.Cli/bin/Release/net10.0'
$dll = Join-Path $out 'conformance.dll'
$stamp = Join-Path $out '.conformance-built'
$inputs = @((Join-Path $PSScriptRoot 'src'), (Join-Path $PSScriptRoot 'Directory.Build.props'), (Join-Path $PSScriptRoot 'Directory.Packages.props'), (Join-Path $PSScriptRoot 'global.json'))
$stale = -not (Test-Path $dll) -or -not (Test-Path $stamp)
if (-not $stale) {
    $built = (Get-Item $stamp).LastWriteTimeUtc
    $stale = [bool](Get-ChildItem -Recurse -File $inputs | Where-Object { $_.FullName -notmatch '[\\/](bin|obj)[\\/]' -and $_.LastWriteTimeUtc -gt $built } | Select-Object -First 1)
}
if ($stale) {
    Write-Host 'conformance: building src/Conformance.Cli (sources changed or no build yet)'
    dotnet build (Join-Path $PSScriptRoot 'src/Conformance.Cli') -c Release --nologo -v quiet -clp:ErrorsOnly
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
}
dotnet $dll run @args
exit $LASTEXITCODE
