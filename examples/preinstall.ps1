# Pre-install script for Windows appliances and installers: the installation
# proceeds only if the end user has accepted the EULA (partner terms, clause
# 11.3). Mirrors preinstall.sh. `eulagate gate` prints the receipt on
# acceptance and exits:
#   0 accepted   3 declined   4 no decision (timeout or interrupted)
#   1 error      2 usage
# Anything but 0 stops the installation.
#
# Usage: preinstall.ps1 -Product husky-ivo-350t [-Install { & .\setup.exe /quiet }]
param(
    [Parameter(Mandatory = $true)][string] $Product,
    [scriptblock] $Install,
    [string] $Eulagate = $(if ($env:EULAGATE) { $env:EULAGATE } else { "eulagate.exe" }),
    [string] $Timeout = $(if ($env:EULAGATE_TIMEOUT) { $env:EULAGATE_TIMEOUT } else { "30m" }),
    [string] $Receipt = $(Join-Path $env:TEMP "eulagate-receipt.json")
)

& $Eulagate gate --product $Product --timeout $Timeout | Out-File -Encoding utf8 $Receipt
$code = $LASTEXITCODE
switch ($code) {
    0 { Write-Host "EULA accepted (receipt: $Receipt); installing $Product" }
    3 { Write-Error "The EULA was declined: $Product is not installed."; exit 3 }
    4 { Write-Error "No EULA decision was made: $Product is not installed."; exit 4 }
    default { Write-Error "The EULA gate failed (exit $code): $Product is not installed."; exit $code }
}

if ($Install) { & $Install; exit $LASTEXITCODE }
