#!/usr/bin/env bash
# Small-object HTTP throughput (docs/performance.md, "Issue I"): wrk against Cloudkeep started cold on an
# existing data directory, then warm, and against the peers in the same run: nginx serving the same 4 KiB
# file from disk without auth (the machine's HTTP ceiling), s3rver and, with --ceph, Ceph RGW.
#   bench/s3/wrk.sh [--duration 6] [--rounds 3] [--connections 16] [--no-build] [--no-s3rver] [--no-large] [--ceph]
#                   [--server path/to/cloudkeep.dll] [--label NAME] [--before path/to/older/cloudkeep.dll]
# --before measures a second build (e.g. a worktree at an older commit) the same way, after the first.
# Every request is authenticated by the S3 servers: pre-signed URLs for most rows, and for the
# "signed" row one Authorization header computed once (SigV4 allows replay within 15 minutes, so the
# server still parses and verifies every request). Everything runs on loopback, is bounded by
# WRKBENCH_TIMEOUT seconds (default 1200) and stops the servers it started by PID.
set -euo pipefail
# The whole run is bounded: the script re-runs itself under timeout, and a TERM still runs the cleanup.
if [[ -z ${WRKBENCH_BOUNDED:-} ]]; then
    WRKBENCH_BOUNDED=1 exec timeout "${WRKBENCH_TIMEOUT:-1200}" "$0" "$@"
fi
trap 'exit 143' TERM

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
# shellcheck source=../lib/servers.sh
source "$here/../lib/servers.sh"
duration=6 rounds=3 connections=16 build=1 s3rver=1 ceph=0 label="" server="" before="" large=1
while (($#)); do
    case $1 in
        --duration) duration=$2; shift ;;
        --rounds) rounds=$2; shift ;;
        --connections) connections=$2; shift ;;
        --no-build) build=0 ;;
        --no-s3rver) s3rver=0 ;;
        --no-large) large=0 ;;
        --ceph) ceph=1 ;;
        --server) server=$2; shift ;;
        --label) label=$2; shift ;;
        --before) before=$2; shift ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
    shift
done
for tool in wrk nginx curl python3; do
    command -v $tool >/dev/null || { echo "$tool is missing (apt-get install wrk nginx curl)" >&2; exit 1; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/cloudkeep-wrk.XXXXXX")
chmod 755 "$work"  # nginx's workers run as nobody and read their root from here
pids=()
cleanup() {
    for pid in "${pids[@]}"; do stop "$pid"; done
    [[ $ceph == 1 && -f "$work/ceph/env" ]] && "$repo/bench/peers/ceph-rgw.sh" stop "$work/ceph" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

now_ms() { date +%s%3N; }
# Waits (at most 60 s) until the URL answers 200; prints the milliseconds waited since $2.
wait_ready() {
    local url=$1 since=$2 pid=$3
    for _ in $(seq 6000); do
        kill -0 "$pid" 2>/dev/null || { echo "server $pid exited" >&2; return 1; }
        if [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$url") == 200 ]]; then
            echo $(($(now_ms) - since)); return 0
        fi
        sleep 0.01
    done
    echo "no answer from $url within 60 s" >&2; return 1
}

results="$work/results.tsv"
# run NAME OPERATION SECONDS wrk-arguments...: one wrk round, one result row.
run() {
    local name=$1 operation=$2 seconds=$3; shift 3
    local out cpu0=0 cpu1=0
    [[ -n ${server_pid:-} ]] && cpu0=$(awk '{ print $14 + $15 }' "/proc/$server_pid/stat")
    out=$(wrk -t 2 -c "$connections" -d "${seconds}s" --latency "$@")
    [[ -n ${server_pid:-} ]] && cpu1=$(awk '{ print $14 + $15 }' "/proc/$server_pid/stat")
    awk -v name="$name" -v op="$operation" -v ticks=$((cpu1 - cpu0)) -v hz="$(getconf CLK_TCK)" '
        function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /m$/) return v * 60000; return v * 1000 }
        /requests in/ { count = $1 } /Requests\/sec/ { rate = $2 }
        /^ +50%/ { p50 = ms($2) } /^ +99%/ { p99 = ms($2) }
        /Non-2xx/ { errors = $5 } /Socket errors/ { errors += 1 }
        END { printf "%s\t%s\t%.0f\t%.2f\t%.2f\t%d\t%s\n", name, op, rate, p50, p99, errors + 0, (ticks > 0 ? sprintf("%.1f", ticks / hz * 1e6 / count) : "") }' <<<"$out" | tee -a "$results"
}

# Large objects: one 1 GiB file (zeros: nothing on the path compresses) sent and fetched by curl,
# streaming, with the server's peak RSS sampled every 50 ms. MB is 10^6 bytes.
large_results="$work/large.tsv"
large_file="$work/large.bin"
# transfer NAME OPERATION PID curl-arguments...: one timed transfer, one row.
transfer() {
    local name=$1 operation=$2 pid=$3; shift 3
    local speed
    touch "$work/sampling"
    ( peak=0
      while [[ -f "$work/sampling" ]]; do
          rss=$(awk '/VmRSS/ { print int($2 / 1024) }' "/proc/$pid/status" 2>/dev/null || echo 0)
          ((rss > peak)) && peak=$rss
          sleep 0.05
      done
      echo "$peak" >"$work/peak" ) & local sampler=$!
    speed=$(curl -s -f -o /dev/null -w '%{speed_download} %{speed_upload}' "$@")
    rm -f "$work/sampling"
    wait "$sampler"
    printf '%s\t%s\t%s\t%s\n' "$name" "$operation" "$(awk '{ printf "%.0f", ($1 > $2 ? $1 : $2) / 1e6 }' <<<"$speed")" "$(cat "$work/peak")" | tee -a "$large_results"
}

# measure NAME DLL: one Cloudkeep build. First start: a new data directory, the bucket and objects.
# Then a second start on that existing directory is the cold one: its time to ready and its first
# seconds of load are what a restart costs. Then 10 s of mixed load (GET and PUT at once) and the
# measured rounds. server_pid makes each row also report the server's CPU time per request.
measure() {
    local name=$1 dll=$2 data="$work/cloudkeep-$RANDOM" port started pid first_ready ready
    port=$(free_port)
    mkdir -p "$data"
    serve() {
        dotnet "$dll" serve --data "$data" --listen "127.0.0.1:$port" --no-request-log >>"$data.log" 2>&1 &
        echo $!
    }
    started=$(now_ms); pid=$(serve); pids+=("$pid")
    first_ready=$(wait_ready "http://127.0.0.1:$port/_cloudkeep/health" "$started" "$pid")
    credential() { sed -n "s/^$1 *= *//p" "$data/root-credentials" | head -n 1; }
    python3 "$here/wrk/prepare.py" "http://127.0.0.1:$port" "$(credential aws_access_key_id)" "$(credential aws_secret_access_key)" bench listing >"$data.env"
    stop "$pid"
    started=$(now_ms); pid=$(serve); pids+=("$pid")
    ready=$(wait_ready "http://127.0.0.1:$port/_cloudkeep/health" "$started" "$pid")
    # shellcheck disable=SC1090
    source "$data.env"
    echo "$name: ready in ${first_ready} ms on a new data directory, ${ready} ms on an existing one" | tee -a "$work/ready.txt"
    server_pid=$pid
    run "$name" "GET 4 KiB, first 5 s after start" 5 "$GET_SMALL"
    wrk -t 1 -c 8 -d 10s "$GET_SMALL" >/dev/null & local mixed=$!
    wrk -t 1 -c 8 -d 10s -s "$here/wrk/put.lua" "$PUT_SMALL" >/dev/null
    wait "$mixed"
    for _ in $(seq "$rounds"); do run "$name" "GET 4 KiB" "$duration" "$GET_SMALL"; done
    for _ in $(seq "$rounds"); do run "$name" "GET 4 KiB signed" "$duration" -H "Authorization: $SIGNED_AUTH" -H "x-amz-date: $SIGNED_DATE" -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" "$SIGNED_URL"; done
    for _ in $(seq "$rounds"); do run "$name" "PUT 4 KiB" "$duration" -s "$here/wrk/put.lua" "$PUT_SMALL"; done
    run "$name" "GET 64 KiB" "$duration" "$GET_MEDIUM"
    run "$name" "DELETE" "$duration" -s "$here/wrk/method.lua" "$DELETE_SMALL" -- DELETE
    run "$name" "ListObjectsV2 1,000 keys" "$duration" "$LIST_URL"
    echo "$name: RSS after the rounds $(awk '/VmRSS/ { print int($2 / 1024) }' "/proc/$pid/status") MiB" | tee -a "$work/ready.txt"
    server_pid=""
    if [[ $large == 1 ]]; then
        transfer "$name" "PUT 1 GiB" "$pid" -X PUT --upload-file "$large_file" "$PUT_LARGE"
        transfer "$name" "GET 1 GiB" "$pid" "$GET_LARGE"
    fi
    stop "$pid"
}

if [[ $large == 1 ]]; then
    dd if=/dev/zero of="$large_file" bs=1M count=1024 status=none
    # The disk's own figure: the same 1 GiB written and fsynced on the same file system.
    started=$(now_ms)
    dd if="$large_file" of="$work/disk.bin" bs=1M conv=fsync status=none
    printf '%s\t%s\t%s\t\n' "(disk)" "write 1 GiB + fsync" "$((1073741824 / 1000 / ($(now_ms) - started)))" | tee -a "$large_results"
    rm -f "$work/disk.bin"
fi

if [[ $build == 1 && -z $server ]]; then
    dotnet build "$repo/src/Cloudkeep.Cli" -c Release --nologo -v q -clp:NoSummary
fi
measure "${label:-Cloudkeep}" "${server:-$repo/src/Cloudkeep.Cli/bin/Release/net10.0/cloudkeep.dll}"
if [[ -n $before ]]; then
    measure "Cloudkeep before" "$before"
fi

# nginx: the same 4 KiB file from disk, no authentication, two workers (one per core), no access log.
nginx_port=$(free_port)
mkdir -p "$work/nginx/root/bench" "$work/nginx/tmp"
head -c 4096 /dev/zero | tr '\0' s >"$work/nginx/root/bench/small"
mkdir -p "$work/nginx/root/put" && chmod 777 "$work/nginx/root/put" "$work/nginx/tmp"  # written by the workers (nobody)
cat >"$work/nginx/nginx.conf" <<CONF
worker_processes 2;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
daemon off;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $work/nginx/tmp;
    proxy_temp_path $work/nginx/tmp; fastcgi_temp_path $work/nginx/tmp; uwsgi_temp_path $work/nginx/tmp; scgi_temp_path $work/nginx/tmp;
    server {
        listen 127.0.0.1:$nginx_port;
        root $work/nginx/root;
        location / { dav_methods PUT DELETE; create_full_put_path on; }
    }
}
CONF
nginx -c "$work/nginx/nginx.conf" -e "$work/nginx/error.log" & pid=$!; pids+=("$pid")
wait_ready "http://127.0.0.1:$nginx_port/bench/small" "$(now_ms)" "$pid" >/dev/null
for _ in $(seq "$rounds"); do run nginx "GET 4 KiB" "$duration" "http://127.0.0.1:$nginx_port/bench/small"; done
run nginx "PUT 4 KiB (WebDAV, no fsync)" "$duration" -s "$here/wrk/put.lua" "http://127.0.0.1:$nginx_port/put/small"
if [[ $large == 1 ]]; then
    ln "$large_file" "$work/nginx/root/bench/large"
    transfer nginx "GET 1 GiB" "$pid" "http://127.0.0.1:$nginx_port/bench/large"
fi
stop "$pid"

if [[ $s3rver == 1 ]]; then
    (cd "$here" && npm ci --no-audit --no-fund --silent)
    s3rver_port=$(free_port)
    mkdir -p "$work/s3rver"
    node --openssl-legacy-provider "$here/node_modules/s3rver/bin/s3rver.js" -d "$work/s3rver" -a 127.0.0.1 -p "$s3rver_port" --silent >"$work/s3rver.log" 2>&1 &
    pid=$!; pids+=("$pid")
    for _ in $(seq 600); do curl -s -o /dev/null "http://127.0.0.1:$s3rver_port/" && break; sleep 0.1; done
    python3 "$here/wrk/prepare.py" "http://127.0.0.1:$s3rver_port" S3RVER S3RVER bench >"$work/s3rver.env"
    source "$work/s3rver.env"
    wrk -t 2 -c "$connections" -d 3s "$GET_SMALL" >/dev/null
    for _ in $(seq "$rounds"); do run s3rver "GET 4 KiB" "$duration" "$GET_SMALL"; done
    for _ in $(seq "$rounds"); do run s3rver "PUT 4 KiB" "$duration" -s "$here/wrk/put.lua" "$PUT_SMALL"; done
    stop "$pid"
fi

if [[ $ceph == 1 ]]; then
    "$repo/bench/peers/ceph-rgw.sh" start "$work/ceph" >"$work/ceph.log"
    source "$work/ceph/env"
    python3 "$here/wrk/prepare.py" "$CEPH_RGW_ENDPOINT" "$CEPH_RGW_ACCESS_KEY" "$CEPH_RGW_SECRET_KEY" bench >"$work/ceph.env"
    source "$work/ceph.env"
    wrk -t 2 -c "$connections" -d 3s "$GET_SMALL" >/dev/null
    for _ in $(seq "$rounds"); do run "Ceph RGW" "GET 4 KiB" "$duration" "$GET_SMALL"; done
    for _ in $(seq "$rounds"); do run "Ceph RGW" "PUT 4 KiB" "$duration" -s "$here/wrk/put.lua" "$PUT_SMALL"; done
    "$repo/bench/peers/ceph-rgw.sh" stop "$work/ceph" >/dev/null
fi

if [[ -s $large_results ]]; then
    echo
    echo "| server | transfer | MB/s | peak RSS MiB |"
    echo "|---|---|---:|---:|"
    awk -F'\t' '{ printf "| %s | %s | %\047d | %s |\n", $1, $2, $3, $4 }' "$large_results"
fi

# The report: every row, then each server's median per operation as a ratio to nginx's GET.
echo
cat "$work/ready.txt"
echo
echo "| server | operation | requests/s | p50 ms | p99 ms | errors | server CPU µs/request |"
echo "|---|---|---:|---:|---:|---:|---:|"
awk -F'\t' '{ printf "| %s | %s | %\047d | %.2f | %.2f | %d | %s |\n", $1, $2, $3, $4, $5, $6, $7 }' "$results"
echo
echo "| server | operation | median requests/s | / nginx GET 4 KiB |"
echo "|---|---|---:|---:|"
python3 - "$results" <<'PY'
import statistics, sys
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1])]
groups = {}
for name, op, rate, *_ in rows:
    groups.setdefault((name, op), []).append(float(rate))
ceiling = statistics.median(groups.get(("nginx", "GET 4 KiB"), [float("nan")]))
for (name, op), rates in groups.items():
    median = statistics.median(rates)
    print(f"| {name} | {op} | {median:,.0f} | {median / ceiling:.2f}x |")
print()
for (name, op), rates in groups.items():
    if op.startswith("GET 4 KiB, first"):
        warm = statistics.median(groups[(name, "GET 4 KiB")])
        print(f"{name}: the first 5 s after start served {rates[0] / warm:.2f}x the warm GET rate")
PY
