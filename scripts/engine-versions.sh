#!/bin/sh
# engine-versions.sh ENGINE...: checks each browser engine the tests use
# against the minimum version README.md states (Testing in other engines),
# upgrades Debian's package when it is older, and says what to do when it
# is still older. ENGINE is chromium, firefox or webkit.
set -eu
SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo

# Minimums (README.md, "Browser engines"): keep both in step.
MIN_chromium=148
MIN_firefox=153
MIN_webkit=2.50

version() {
	case $1 in
	chromium) chromium --version 2>/dev/null | sed -n 's/^Chromium \([0-9.]*\).*/\1/p' ;;
	firefox) firefox-esr --version 2>/dev/null | sed -n 's/^Mozilla Firefox \([0-9.]*\).*/\1/p' ;;
	webkit) dpkg-query -W -f '${Version}' libwebkit2gtk-4.1-0 2>/dev/null | sed 's/-.*//' ;;
	esac
}
package() {
	case $1 in chromium) echo chromium ;; firefox) echo firefox-esr ;; webkit) echo "webkit2gtk-driver libwebkit2gtk-4.1-0" ;; esac
}
# older A B: A is older than B (dotted versions).
older() { [ "$1" != "$2" ] && [ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | head -n1)" = "$1" ]; }

for e in "$@"; do
	eval min=\$MIN_$e
	v=$(version "$e")
	if [ -z "$v" ]; then echo "engine-versions: $e is not installed: apt-get install $(package "$e")"; exit 1; fi
	if older "$v" "$min"; then
		echo "engine-versions: $e $v is older than $min (README.md, Browser engines); upgrading Debian's $(package "$e")"
		$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --only-upgrade $(package "$e") >/dev/null || true
		v=$(version "$e")
		if older "$v" "$min"; then
			echo "engine-versions: $e is still $v, older than $min: install a newer $(package "$e") (Debian's security or backports suite), or run the tests on a machine that has one"
			exit 1
		fi
	fi
	echo "engine-versions: $e $v (minimum $min)"
done
