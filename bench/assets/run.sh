#!/usr/bin/env bash
# Assets router benchmark (docs/performance.md, "Issue H"): 4 KiB and 10 MiB pre-signed GETs straight to the
# S3 listener and through the assets router, with wrk, on loopback, in one run:
#   phase 1: `serve --assets-config` with `upstream: in-process` (the router rewrites and runs the S3 pipeline)
#   phase 2: the same data restarted with `upstream: proxy` (YARP forwarding over loopback to the S3 listener)
# Each phase alternates direct and routed runs (ASSETSBENCH_ROUNDS rounds, default 5) so both see the same
# background load, and reports each round and the median of the rounds' ratios. Prints Markdown tables;
# stops every server it started by PID and deletes its data.
#   bench/assets/run.sh            ASSETSBENCH_DURATION=5 (seconds per wrk run)  ASSETSBENCH_TIMEOUT=900
set -euo pipefail

# The whole run is bounded: timeout sends TERM, the trap below stops the server and removes its data.
if [[ -z "${ASSETSBENCH_BOUNDED:-}" ]]; then
    ASSETSBENCH_BOUNDED=1 exec timeout --kill-after=30 "${ASSETSBENCH_TIMEOUT:-900}" "$0" "$@"
fi

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
# shellcheck source=../lib/servers.sh
source "$here/../lib/servers.sh"
work=$(mktemp -d "${TMPDIR:-/tmp}/cloudkeep-assetsbench.XXXXXX")
duration=${ASSETSBENCH_DURATION:-5}
rounds=${ASSETSBENCH_ROUNDS:-5}
server_pid=""

cleanup() {
    stop "$server_pid"
    rm -rf "$work"
}
trap cleanup EXIT
trap 'echo "assets bench: stopped (timeout or signal)" >&2; exit 143' TERM INT

command -v wrk >/dev/null || { echo "wrk is needed (apt-get install wrk)" >&2; exit 1; }
command -v aws >/dev/null || { echo "the AWS CLI is needed for the set-up" >&2; exit 1; }
dotnet build "$repo/src/Cloudkeep.Cli" -c Release --nologo -v q -clp:NoSummary
cloudkeep=("dotnet" "$repo/src/Cloudkeep.Cli/bin/Release/net10.0/cloudkeep.dll")

s3_port=$(free_port)
assets_port=$(free_port)
export CLOUDKEEP_ROOT_ACCESS_KEY_ID=AKIAASSETSBENCH00001 CLOUDKEEP_ROOT_SECRET_ACCESS_KEY=assets-bench-secret-0123456789abcdef
export AWS_ACCESS_KEY_ID=$CLOUDKEEP_ROOT_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY=$CLOUDKEEP_ROOT_SECRET_ACCESS_KEY
export AWS_DEFAULT_REGION=eu-west-1 AWS_ENDPOINT_URL=http://127.0.0.1:$s3_port AWS_PAGER=""
bucket=assets-bench-documents

config() { # $1 = in-process | proxy
    cat > "$work/assets.yaml" <<EOF
upstream: $1
access-log: false
buckets:
  documents: http://127.0.0.1:$s3_port/$bucket
EOF
}

start() {
    "${cloudkeep[@]}" serve --data "$work/data" --listen "127.0.0.1:$s3_port" --no-request-log \
        --assets-listen "127.0.0.1:$assets_port" --assets-config "$work/assets.yaml" --lifecycle-interval 0 > "$work/server.log" 2>&1 &
    server_pid=$!
    wait_for "http://127.0.0.1:$s3_port/_cloudkeep/health" "$server_pid" "$work/server.log"
    wait_for "http://127.0.0.1:$assets_port/robots.txt" "$server_pid" "$work/server.log"
}

# wrk's figures for one URL: "requests/s MiB/s".
measure() {
    local url=$1 connections=$2
    wrk -t2 -c"$connections" -d"${duration}s" --timeout 30s "$url" > "$work/wrk.txt"
    if grep -q "Non-2xx" "$work/wrk.txt"; then
        echo "non-2xx answers from $url" >&2; cat "$work/wrk.txt" >&2; exit 1
    fi
    awk '/^Requests\/sec/ { rps = $2 }
         /^Transfer\/sec/ { v = $2; u = substr(v, length(v) - 1); n = substr(v, 1, length(v) - 2) + 0;
                            mib = (u == "GB") ? n * 1024 : (u == "MB") ? n : (u == "KB") ? n / 1024 : n / 1048576 }
         END { printf "%.0f %.1f\n", rps, mib }' "$work/wrk.txt"
}

phase() { # $1 = in-process | proxy
    local mode=$1
    config "$mode"
    start
    local direct4 routed4 direct10 routed10
    direct4=$("${cloudkeep[@]}" presign "s3://$bucket/fw/documents/4k.bin" --expires-in 3600 --endpoint-url "$AWS_ENDPOINT_URL" --region eu-west-1)
    routed4=$("${cloudkeep[@]}" presign "s3://$bucket/fw/documents/4k.bin" --expires-in 3600 --via-assets "http://127.0.0.1:$assets_port" --assets-config "$work/assets.yaml" --region eu-west-1)
    direct10=$("${cloudkeep[@]}" presign "s3://$bucket/fw/documents/10m.bin" --expires-in 3600 --endpoint-url "$AWS_ENDPOINT_URL" --region eu-west-1)
    routed10=$("${cloudkeep[@]}" presign "s3://$bucket/fw/documents/10m.bin" --expires-in 3600 --via-assets "http://127.0.0.1:$assets_port" --assets-config "$work/assets.yaml" --region eu-west-1)
    for url in "$direct4" "$routed4" "$direct10" "$routed10"; do
        [[ $(curl -s -o /dev/null -w '%{http_code}' "$url") == 200 ]] || { echo "not 200: $url" >&2; exit 1; }
    done

    # Warm-up (JIT, pools, page cache), not reported.
    wrk -t2 -c16 -d3s "$direct4" > /dev/null
    wrk -t2 -c16 -d3s "$routed4" > /dev/null
    for round in $(seq "$rounds"); do
        read -r d4 _ < <(measure "$direct4" 32)
        read -r r4 _ < <(measure "$routed4" 32)
        read -r _ d10 < <(measure "$direct10" 4)
        read -r _ r10 < <(measure "$routed10" 4)
        awk -v m="$mode" -v r="$round" -v d4="$d4" -v r4="$r4" -v d10="$d10" -v r10="$r10" 'BEGIN {
            printf "| %s | %s | %d | %d | %.2f | %.1f | %.1f | %.2f |\n", m, r, d4, r4, r4 / d4, d10, r10, r10 / d10 }'
        echo "$mode $(awk -v a="$r4" -v b="$d4" 'BEGIN { print a / b }') $(awk -v a="$r10" -v b="$d10" 'BEGIN { print a / b }')" >> "$work/ratios"
    done
    stop "$server_pid"
    server_pid=""
}

# Set-up: a private bucket with the two objects (data kept across the two phases).
config in-process
start
aws s3 mb "s3://$bucket" > /dev/null
head -c 4096 /dev/urandom > "$work/4k.bin"
head -c $((10 * 1024 * 1024)) /dev/urandom > "$work/10m.bin"
aws s3 cp "$work/4k.bin" "s3://$bucket/fw/documents/4k.bin" --no-progress > /dev/null
aws s3 cp "$work/10m.bin" "s3://$bucket/fw/documents/10m.bin" --no-progress > /dev/null
stop "$server_pid"
server_pid=""

echo "assets router bench: $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git -C "$repo" rev-parse --short HEAD), load average $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores, wrk ${duration}s per run"
echo
echo "| upstream | round | 4 KiB direct req/s | 4 KiB routed req/s | ratio | 10 MiB direct MiB/s | 10 MiB routed MiB/s | ratio |"
echo "|---|---|---|---|---|---|---|---|"
phase in-process
phase proxy
echo
echo "| upstream | median ratio, 4 KiB req/s | median ratio, 10 MiB MiB/s |"
echo "|---|---|---|"
for mode in in-process proxy; do
    m4=$(awk -v m="$mode" '$1 == m { print $2 }' "$work/ratios" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
    m10=$(awk -v m="$mode" '$1 == m { print $3 }' "$work/ratios" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
    printf '| %s | %.2f | %.2f |\n' "$mode" "$m4" "$m10"
done
echo
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
