#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL 15 cluster.
#
#   scripts/with-postgres.sh CMD [ARGS...]
#
# The cluster lives in a fresh temporary directory, listens only on a Unix
# socket in that directory (no TCP port), and is stopped and deleted when this
# script exits, whatever the outcome. CMD runs with DATABASE_URL pointing at an
# empty database named "collectifs"; its exit code is this script's exit code.
#
# PostgreSQL refuses to run as root, so as root the server binaries run as the
# "postgres" system user (created by Debian's postgresql packages); otherwise
# they run as the current user.
set -euo pipefail

if [[ $# -eq 0 ]]; then
    echo "usage: $0 CMD [ARGS...]" >&2
    exit 64
fi

find_pg_bin() {
    local name=$1 candidate
    for candidate in "$(command -v "$name" 2>/dev/null || true)" "/usr/lib/postgresql/15/bin/$name"; do
        # Debian's /usr/bin/createdb etc. are pg_wrapper symlinks that need a
        # configured cluster; prefer the real binary next to initdb.
        if [[ -n $candidate && -x $candidate && $(readlink -f "$candidate") != */pg_wrapper ]]; then
            echo "$candidate"
            return 0
        fi
    done
    echo "with-postgres: $name not found (in PATH or /usr/lib/postgresql/15/bin); run 'make system-deps'" >&2
    return 1
}

INITDB=$(find_pg_bin initdb)
PG_BIN=$(dirname "$(readlink -f "$INITDB")")
PG_CTL=$PG_BIN/pg_ctl
CREATEDB=$PG_BIN/createdb

if [[ $(id -u) -eq 0 ]]; then
    as_pg() { runuser -u postgres -- "$@"; }
else
    as_pg() { "$@"; }
fi

# Under /tmp rather than $TMPDIR: a Unix socket path must stay under ~100 bytes.
PGDIR=$(mktemp -d /tmp/pg-throwaway.XXXXXX)
# The socket directory must be traversable by the user running CMD.
chmod 755 "$PGDIR"
DATADIR=$PGDIR/data
LOGFILE=$PGDIR/postgres.log

cleanup() {
    local status=$?
    trap - EXIT INT TERM
    if [[ -f $DATADIR/postmaster.pid ]]; then
        as_pg "$PG_CTL" -D "$DATADIR" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$PGDIR"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [[ $(id -u) -eq 0 ]]; then
    chown postgres:postgres "$PGDIR"
fi

if locale -a 2>/dev/null | grep -qiE '^c\.utf-?8$'; then
    LOCALE_OPTS=(--locale=C.UTF-8)
else
    LOCALE_OPTS=(--no-locale)
fi

if ! as_pg "$INITDB" -D "$DATADIR" -A trust -U postgres --no-sync -E UTF8 "${LOCALE_OPTS[@]}" \
        >"$PGDIR/initdb.log" 2>&1; then
    cat "$PGDIR/initdb.log" >&2
    exit 1
fi

if ! as_pg "$PG_CTL" -w -D "$DATADIR" -l "$LOGFILE" \
        -o "-k $PGDIR -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
        start >/dev/null; then
    cat "$LOGFILE" >&2 || true
    exit 1
fi

as_pg "$CREATEDB" -h "$PGDIR" -U postgres collectifs

export DATABASE_URL="postgres://postgres@/collectifs?host=$PGDIR"

# Not exec: the EXIT trap must still run to remove the cluster. CMD runs in the
# foreground so that Ctrl-C reaches it; a SIGTERM sent to this script alone is
# handled once CMD returns (pg_ctl puts the server in its own session, so only
# this trap stops it).
set +e
"$@"
status=$?
set -e
exit "$status"
