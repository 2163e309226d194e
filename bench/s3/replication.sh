#!/bin/bash
# Issue B's replication benchmark against one fresh Cloudkeep (SQLite + local disk), 4 KiB objects:
#   1. throughput: COUNT versions are queued with replication off, then a restarted server drains
#      them; objects/s = COUNT / time from start to an empty queue (read from /_cloudkeep/metrics);
#   2. lag under full write load: COUNT more PUTs from 16 boto3 threads while replicating;
#   3. lag at a steady 100 PUT/s for 10 s.
# Lag is the server's own measure, write to COMPLETED (p50 and p99 of cloudkeep_s3_replication_lag_seconds).
#   bench/s3/replication.sh [COUNT]        (default 5000). Build first: dotnet build Cloudkeep.slnx -c Release
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/lib/servers.sh
COUNT=${1:-5000}
DATA=$(mktemp -d)
PORT=$(free_port)
ENDPOINT=http://127.0.0.1:$PORT
PID=""
trap 'stop "$PID"; rm -rf "$DATA" "$DATA.log"' EXIT
export AWS_ACCESS_KEY_ID=AKIABENCHREPLICATE01 AWS_SECRET_ACCESS_KEY=bench-replication-secret-0123456789abcdef AWS_DEFAULT_REGION=eu-west-1
export CLOUDKEEP_ROOT_ACCESS_KEY_ID=$AWS_ACCESS_KEY_ID CLOUDKEEP_ROOT_SECRET_ACCESS_KEY=$AWS_SECRET_ACCESS_KEY CLOUDKEEP_ACCOUNT_ID=123412341234

start() {
    dotnet src/Cloudkeep.Cli/bin/Release/net10.0/cloudkeep.dll serve --data "$DATA" --listen 127.0.0.1:$PORT --no-request-log --replication-interval "$1" >> "$DATA.log" 2>&1 &
    PID=$!
    wait_for "$ENDPOINT/_cloudkeep/health" "$PID" "$DATA.log"
}
metric() { curl -s "$ENDPOINT/_cloudkeep/metrics" | awk -v m="$1" '$1 == m { print $2 }'; }
aws() { command aws --endpoint-url "$ENDPOINT" "$@"; }
drain() {   # waits until the replicator has completed $1 versions in this process; prints the seconds
    local want=$1 t0 done
    t0=$(date +%s.%N)
    for _ in $(seq 6000); do
        done=$(metric cloudkeep_s3_replication_completed_total); done=${done%.*}
        [[ ${done:-0} -ge $want ]] && break
        sleep 0.05
    done
    echo "$(date +%s.%N) - $t0" | bc
}
lag() { printf 'p50 %.0f ms, p99 %.0f ms' "$(echo "$(metric 'cloudkeep_s3_replication_lag_seconds{quantile="0.5"}') * 1000" | bc -l)" "$(echo "$(metric 'cloudkeep_s3_replication_lag_seconds{quantile="0.99"}') * 1000" | bc -l)"; }

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), commit $(git rev-parse --short HEAD)"
start 0
aws iam create-role --role-name replication --assume-role-policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"s3.amazonaws.com"},"Action":"sts:AssumeRole"}]}' > /dev/null
aws iam put-role-policy --role-name replication --policy-name replicate --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObjectVersionForReplication","s3:ReplicateObject"],"Resource":"*"}]}'
aws s3api create-bucket --bucket source --create-bucket-configuration LocationConstraint=eu-west-1 > /dev/null
aws s3api create-bucket --bucket replica --create-bucket-configuration LocationConstraint=eu-west-2 > /dev/null
for b in source replica; do aws s3api put-bucket-versioning --bucket $b --versioning-configuration Status=Enabled; done
aws s3api put-bucket-replication --bucket source --replication-configuration '{"Role":"arn:aws:iam::123412341234:role/replication","Rules":[{"ID":"all","Priority":1,"Status":"Enabled","Filter":{},"DeleteMarkerReplication":{"Status":"Disabled"},"Destination":{"Bucket":"arn:aws:s3:::replica"}}]}'
read -r n secs < <(python3 bench/s3/replication/load.py "$ENDPOINT" source "$COUNT" 16)
echo "queued: $n versions in ${secs} s with replication off ($(echo "$n / $secs" | bc) PUT/s)"
stop "$PID"

start 1
secs=$(drain "$COUNT")
echo "throughput: $COUNT versions replicated in $(printf %.2f "$secs") s = $(echo "$COUNT / $secs" | bc) objects/s (lag includes the queueing: $(lag))"
stop "$PID"

start 1
read -r n secs < <(python3 bench/s3/replication/load.py "$ENDPOINT" source "$COUNT" 16)
drain "$COUNT" > /dev/null
echo "full write load: $n PUTs in ${secs} s ($(echo "$n / $secs" | bc) PUT/s) while replicating; lag $(lag)"
stop "$PID"

start 1
read -r n secs < <(python3 bench/s3/replication/load.py "$ENDPOINT" source 1000 4 100)
drain 1000 > /dev/null
echo "steady 100 PUT/s: $n PUTs in ${secs} s; lag $(lag)"
