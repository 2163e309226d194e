# Shared by the bench scripts (sourced): stopping the servers they start, by PID, and finding ports.

# stop PID: SIGTERM, then SIGKILL if the process is still there after 15 s.
stop() {
    local pid=$1
    [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 150); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
}

# A loopback port free at the moment of asking.
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# wait_for URL PID [LOG]: waits until the URL answers at all (any HTTP status), for at most 60 s; shows LOG
# if the server exits first.
wait_for() {
    local url=$1 pid=$2 log=${3:-}
    for _ in $(seq 600); do
        if ! kill -0 "$pid" 2>/dev/null; then
            echo "server $pid exited before answering" >&2
            [[ -n $log && -f $log ]] && cat "$log" >&2
            return 1
        fi
        curl -s -o /dev/null --max-time 2 "$url" && return 0
        sleep 0.1
    done
    echo "no answer from $url within 60 s" >&2
    return 1
}

# bounded SECONDS "$@": re-runs the calling script under timeout (once), so the whole run stops by itself;
# a TERM from the timeout still runs the script's EXIT trap (its cleanup).
bounded() {
    local seconds=$1; shift
    if [[ -z ${BENCH_BOUNDED:-} ]]; then
        BENCH_BOUNDED=1 exec timeout "$seconds" "$0" "$@"
    fi
    trap 'exit 143' TERM
}
