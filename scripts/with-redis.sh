#!/usr/bin/env bash
# Run a command against a throwaway Redis server.
#
#   scripts/with-redis.sh CMD [ARGS...]
#
# The server lives in a fresh temporary directory, listens only on a Unix
# socket in that directory (no TCP port), keeps nothing on disk (no RDB
# snapshot, no append-only file), and is stopped and deleted when this script
# exits, whatever the outcome. CMD runs with REDIS_URL pointing at database 0
# of that server; its exit code is this script's exit code.
#
# It composes with scripts/with-postgres.sh:
#   scripts/with-postgres.sh scripts/with-redis.sh CMD [ARGS...]
set -euo pipefail

if [[ $# -eq 0 ]]; then
    echo "usage: $0 CMD [ARGS...]" >&2
    exit 64
fi

REDIS_SERVER=$(command -v redis-server 2>/dev/null || true)
if [[ -z $REDIS_SERVER && -x /usr/bin/redis-server ]]; then
    REDIS_SERVER=/usr/bin/redis-server
fi
if [[ -z $REDIS_SERVER ]]; then
    echo "with-redis: redis-server not found; run 'make system-deps'" >&2
    exit 1
fi

# Under /tmp rather than $TMPDIR: a Unix socket path must stay under ~100 bytes.
REDISDIR=$(mktemp -d /tmp/redis-throwaway.XXXXXX)
chmod 755 "$REDISDIR"
SOCKET=$REDISDIR/redis.sock
PIDFILE=$REDISDIR/redis.pid
LOGFILE=$REDISDIR/redis.log

cleanup() {
    local status=$?
    trap - EXIT INT TERM
    if [[ -f $PIDFILE ]]; then
        local pid
        pid=$(cat "$PIDFILE")
        kill "$pid" 2>/dev/null || true
        # Wait (at most 5 s) for the server to go, so that its folder can be removed.
        for _ in $(seq 50); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -9 "$pid" 2>/dev/null || true
    fi
    rm -rf "$REDISDIR"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The socket is 770 and CMD runs as the same user: nobody else on the machine can talk to this server.
if ! "$REDIS_SERVER" --port 0 --unixsocket "$SOCKET" --unixsocketperm 770 \
        --dir "$REDISDIR" --save '' --appendonly no \
        --daemonize yes --pidfile "$PIDFILE" --logfile "$LOGFILE"; then
    cat "$LOGFILE" >&2 || true
    exit 1
fi

# The server daemonises before it listens: wait (at most 10 s) for the socket.
for _ in $(seq 100); do
    [[ -S $SOCKET ]] && break
    sleep 0.1
done
if [[ ! -S $SOCKET ]]; then
    echo "with-redis: the server did not start" >&2
    cat "$LOGFILE" >&2 || true
    exit 1
fi

export REDIS_URL="unix://$SOCKET?db=0"

# Not exec: the EXIT trap must still run to stop the server and remove its folder.
set +e
"$@"
status=$?
set -e
exit "$status"
