#!/bin/sh
# Pre-install script: the installation proceeds only if the end user has
# accepted the EULA (partner terms, clause 11.3). `eulagate gate` prints the
# receipt on acceptance and exits:
#   0 accepted   3 declined   4 no decision (timeout or interrupted)
#   1 error      2 usage
# Anything but 0 stops the installation.
#
# Usage: preinstall.sh PRODUCT [INSTALL-COMMAND...]
set -u
PRODUCT=${1:?usage: preinstall.sh PRODUCT [INSTALL-COMMAND...]}
shift
EULAGATE=${EULAGATE:-eulagate}
RECEIPT=${EULAGATE_RECEIPT:-${TMPDIR:-/tmp}/eulagate-receipt.json}

"$EULAGATE" gate --product "$PRODUCT" --timeout "${EULAGATE_TIMEOUT:-30m}" ${EULAGATE_GATE_FLAGS:-} >"$RECEIPT"
code=$?
case $code in
0)
	echo "EULA accepted (receipt: $RECEIPT); installing $PRODUCT"
	;;
3)
	echo "The EULA was declined: $PRODUCT is not installed." >&2
	exit 3
	;;
4)
	echo "No EULA decision was made: $PRODUCT is not installed." >&2
	exit 4
	;;
*)
	echo "The EULA gate failed (exit $code): $PRODUCT is not installed." >&2
	exit "$code"
	;;
esac

if [ $# -gt 0 ]; then
	exec "$@"
fi
