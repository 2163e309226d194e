#!/usr/bin/env bash
# DNS listener benchmark (docs/performance.md, "Route 53 DNS listener"): queries per second for a cached A
# record, with dnsperf (Debian's dnsperf package), on loopback. Starts `serve --dns-listen` on free ports with
# an empty data directory, makes a hosted zone and an A record through the Route 53 API (the AWS CLI), then
# runs dnsperf for DNSBENCH_DURATION seconds (default 10) per concurrency level in DNSBENCH_CLIENTS (default
# "1 4 16"), over UDP, always asking the same question, so every answer after the first comes from the
# listener's zone cache. Prints a Markdown table; stops the server it started by PID and deletes its data.
#   bench/dns/run.sh            DNSBENCH_DURATION=10  DNSBENCH_CLIENTS="1 4 16"  DNSBENCH_TIMEOUT=600  DNSBENCH_NO_BUILD=1
set -euo pipefail

# The whole run is bounded: timeout sends TERM, the trap below stops the server and removes its data.
if [[ -z "${DNSBENCH_BOUNDED:-}" ]]; then
    DNSBENCH_BOUNDED=1 exec timeout --kill-after=30 "${DNSBENCH_TIMEOUT:-600}" "$0" "$@"
fi

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
# shellcheck source=../lib/servers.sh
source "$here/../lib/servers.sh"
work=$(mktemp -d "${TMPDIR:-/tmp}/cloudkeep-dnsbench.XXXXXX")
duration=${DNSBENCH_DURATION:-10}
clients=${DNSBENCH_CLIENTS:-"1 4 16"}
server_pid=""

cleanup() {
    stop "$server_pid"
    rm -rf "$work"
}
trap cleanup EXIT
trap 'echo "dns bench: stopped (timeout or signal)" >&2; exit 143' TERM INT

command -v dnsperf >/dev/null || { echo "dnsperf is needed (apt-get install dnsperf)" >&2; exit 1; }
command -v dig >/dev/null || { echo "dig is needed (apt-get install bind9-dnsutils)" >&2; exit 1; }
command -v aws >/dev/null || { echo "the AWS CLI is needed for the set-up" >&2; exit 1; }
# DNSBENCH_NO_BUILD=1 uses the build already there (on a shared machine the build takes its own turn).
[[ -n "${DNSBENCH_NO_BUILD:-}" ]] || dotnet build "$repo/src/Cloudkeep.Cli" -c Release --nologo -v q -clp:NoSummary
cloudkeep=("dotnet" "$repo/src/Cloudkeep.Cli/bin/Release/net10.0/cloudkeep.dll")

http_port=$(free_port)
dns_port=$(free_port)
export CLOUDKEEP_ROOT_ACCESS_KEY_ID=AKIADNSBENCH00000001 CLOUDKEEP_ROOT_SECRET_ACCESS_KEY=dns-bench-secret-0123456789abcdefgh
export AWS_ACCESS_KEY_ID=$CLOUDKEEP_ROOT_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY=$CLOUDKEEP_ROOT_SECRET_ACCESS_KEY
export AWS_DEFAULT_REGION=us-east-1 AWS_ENDPOINT_URL=http://127.0.0.1:$http_port AWS_PAGER=""

"${cloudkeep[@]}" serve --data "$work/data" --listen "127.0.0.1:$http_port" --dns-listen "127.0.0.1:$dns_port" \
    --no-request-log --lifecycle-interval 0 > "$work/server.log" 2>&1 &
server_pid=$!
wait_for "http://127.0.0.1:$http_port/_cloudkeep/health" "$server_pid" "$work/server.log"

zone=$(aws route53 create-hosted-zone --name bench.example --caller-reference "dnsbench-$$" --query HostedZone.Id --output text)
aws route53 change-resource-record-sets --hosted-zone-id "$zone" --change-batch \
    '{"Changes":[{"Action":"UPSERT","ResourceRecordSet":{"Name":"www.bench.example","Type":"A","TTL":300,"ResourceRecords":[{"Value":"192.0.2.10"}]}}]}' > /dev/null
answer=$(dig +short +norecurse @127.0.0.1 -p "$dns_port" www.bench.example A)
[[ "$answer" == "192.0.2.10" ]] || { echo "the listener answered '$answer', not 192.0.2.10" >&2; exit 1; }
printf 'www.bench.example A\n' > "$work/queries.txt"

cores=$(nproc)
echo "dnsperf against Cloudkeep's DNS listener, $(date -u '+%Y-%m-%d %H:%M UTC'), $cores cores, ${duration}s per run, UDP, loopback"
echo
echo "| dnsperf clients (-c) | outstanding (-q) | queries/s | avg latency | lost |"
echo "|---:|---:|---:|---:|---:|"
for c in $clients; do
    out=$(dnsperf -s 127.0.0.1 -p "$dns_port" -d "$work/queries.txt" -l "$duration" -c "$c" -q $((c * 10)) -T 1 2>&1)
    qps=$(awk '/Queries per second/ {print $4}' <<< "$out")
    latency=$(awk '/Average Latency/ {print $4}' <<< "$out")
    lost=$(awk '/Queries lost/ {print $3}' <<< "$out")
    echo "| $c | $((c * 10)) | $qps | ${latency}s | $lost |"
done
