#!/bin/sh
# pgtest.sh starts and stops a throwaway PostgreSQL for tests: initdb and
# pg_ctl in a temporary directory, listening on 127.0.0.1 only, on a random
# free port, with trust authentication for the local superuser "postgres".
#
#   scripts/pgtest.sh start [DIR]   start; print the DSN (also in DIR/dsn)
#   scripts/pgtest.sh stop DIR      stop and remove DIR
#   scripts/pgtest.sh run CMD...    start, run CMD with EULAGATE_TEST_POSTGRES
#                                   set to the DSN, stop; exit with CMD's code
#
# PostgreSQL refuses to run as root; as root the server runs as the user in
# PGTEST_USER (default: nobody). PGBIN overrides where initdb and pg_ctl are.
set -eu

pgbin() {
	if [ -n "${PGBIN:-}" ]; then echo "$PGBIN"; return; fi
	for d in /usr/lib/postgresql/*/bin; do
		if [ -x "$d/initdb" ]; then echo "$d"; return; fi
	done
	if command -v pg_config >/dev/null 2>&1; then pg_config --bindir; return; fi
	echo "pgtest: initdb not found; install Debian's postgresql package or set PGBIN" >&2
	exit 1
}

# as runs a command as the unprivileged user when running as root.
as() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u "${PGTEST_USER:-nobody}" -- "$@"
	else
		"$@"
	fi
}

freeport() {
	if command -v python3 >/dev/null 2>&1; then
		python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
	else
		echo $((20000 + $(od -An -N2 -tu2 /dev/urandom) % 40000))
	fi
}

start() {
	dir=${1:-$(mktemp -d "${TMPDIR:-/tmp}/eulagate-pg.XXXXXX")}
	mkdir -p "$dir"
	chmod 700 "$dir"
	if [ "$(id -u)" = 0 ]; then chown "${PGTEST_USER:-nobody}" "$dir"; fi
	bin=$(pgbin)
	as "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
		{ cat "$dir/initdb.log" >&2; exit 1; }
	tries=0
	while :; do
		port=$(freeport)
		if as "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
			-o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$dir -c max_connections=200" \
			start >/dev/null 2>&1; then
			break
		fi
		tries=$((tries + 1))
		if [ "$tries" -ge 5 ]; then
			cat "$dir/server.log" >&2
			exit 1
		fi
	done
	dsn="postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
	echo "$dsn" >"$dir/dsn"
	echo "$dir" >"$dir/dir"
	echo "$dsn"
	echo "pgtest: PostgreSQL in $dir (stop with: $0 stop $dir)" >&2
}

stop() {
	dir=${1:?usage: pgtest.sh stop DIR}
	if [ -d "$dir/data" ]; then
		as "$(pgbin)/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
	fi
	rm -rf "$dir"
}

case "${1:-}" in
start)
	shift
	start "$@"
	;;
stop)
	shift
	stop "$@"
	;;
run)
	shift
	dir=$(mktemp -d "${TMPDIR:-/tmp}/eulagate-pg.XXXXXX")
	trap 'stop "$dir"' EXIT INT TERM
	EULAGATE_TEST_POSTGRES=$(start "$dir")
	export EULAGATE_TEST_POSTGRES
	set +e
	"$@"
	code=$?
	set -e
	exit $code
	;;
*)
	echo "usage: $0 start [DIR] | stop DIR | run CMD..." >&2
	exit 2
	;;
esac
