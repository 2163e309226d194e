#!/usr/bin/env bash
# Cloudkeep on a Ceph blob backend against the same Ceph RADOS Gateway straight (docs/performance.md, "Blobs on
# Ceph RGW"): starts a one-node Ceph cluster (bench/peers/ceph-rgw.sh), Cloudkeep with --blobs s3://... on it, and
# drives both with the S3 load generator one after the other: 4 KiB PUT/GET at 1 and 16 clients (5 s each after
# 2 s of warm-up), then one 1 GiB PUT and GET each with the server's RSS sampled. Prints the load generator's
# Markdown tables, then stops everything by PID and deletes the data.
#   bench/s3/ceph.sh [load generator options, e.g. --large-size 256M --clients 1,16,64 --scenarios small]
# Run it under the shared build lock and without nice (the daemons inherit the niceness of their starter):
#   flock /tmp/ck-build.lock bench/s3/ceph.sh
# The whole run is bounded by CEPHBENCH_TIMEOUT seconds (default 900).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
# shellcheck source=../lib/servers.sh
source "$here/../lib/servers.sh"
work=$(mktemp -d "${TMPDIR:-/tmp}/cloudkeep-cephbench.XXXXXX")
cloudkeep_pid=""

cleanup() {
    stop "$cloudkeep_pid"
    [[ -f "$work/ceph/pids" ]] && "$repo/bench/peers/ceph-rgw.sh" stop "$work/ceph" || true
    rm -rf "$work"
}
trap cleanup EXIT

dotnet build "$repo/src/Cloudkeep.Cli" -c Release --nologo -v q -clp:NoSummary
dotnet build "$repo/bench/Cloudkeep.LoadGenerator" -c Release --nologo -v q -clp:NoSummary

# The cluster: its env file has the gateway's endpoint, the keys of its first user and the daemons' PIDs.
"$repo/bench/peers/ceph-rgw.sh" start "$work/ceph" >/dev/null
set -a
# shellcheck disable=SC1091
. "$work/ceph/env"
set +a
read -r _ _ _ rgw_pid <<<"$CEPH_PIDS"

# Cloudkeep's blob bucket, made on the gateway with boto3 (python3-boto3, which test.sh installs).
python3 - "$CEPH_RGW_ENDPOINT" <<'PY'
import os, sys, boto3
s3 = boto3.client("s3", endpoint_url=sys.argv[1], region_name="us-east-1",
                  aws_access_key_id=os.environ["CEPH_RGW_ACCESS_KEY"], aws_secret_access_key=os.environ["CEPH_RGW_SECRET_KEY"])
s3.create_bucket(Bucket="cloudkeep-blobs")
PY

# Cloudkeep: the Release build run by `dotnet cloudkeep.dll` (so the PID is the server's), blobs in the gateway's
# bucket with the same user's keys from a 0600 credentials file, metadata in SQLite in its data directory.
cloudkeep_port=$(free_port)
mkdir -p "$work/cloudkeep"
(umask 077 && printf '[default]\naws_access_key_id = %s\naws_secret_access_key = %s\n' "$CEPH_RGW_ACCESS_KEY" "$CEPH_RGW_SECRET_KEY" >"$work/blobs-credentials")
dotnet "$repo/src/Cloudkeep.Cli/bin/Release/net10.0/cloudkeep.dll" serve --data "$work/cloudkeep" \
    --blobs s3://cloudkeep-blobs/bench --blobs-endpoint "$CEPH_RGW_ENDPOINT" --blobs-credentials "$work/blobs-credentials" \
    --listen "127.0.0.1:$cloudkeep_port" --no-request-log >"$work/cloudkeep.log" 2>&1 &
cloudkeep_pid=$!
wait_for "http://127.0.0.1:$cloudkeep_port/_cloudkeep/health" "$cloudkeep_pid" "$work/cloudkeep.log"
credential() { sed -n "s/^$1 *= *//p" "$work/cloudkeep/root-credentials" | head -n 1; }
cloudkeep_key=$(credential aws_access_key_id)
cloudkeep_secret=$(credential aws_secret_access_key)

echo "cloudkeep $(git -C "$repo" rev-parse --short HEAD) pid $cloudkeep_pid (blobs s3://cloudkeep-blobs/bench on $CEPH_RGW_ENDPOINT); $(radosgw --version | head -n 1) pid $rgw_pid"
timeout "${CEPHBENCH_TIMEOUT:-900}" dotnet "$repo/bench/Cloudkeep.LoadGenerator/bin/Release/net10.0/Cloudkeep.LoadGenerator.dll" s3 \
    --target "name=Cloudkeep (blobs on RGW),endpoint=http://127.0.0.1:$cloudkeep_port/,pid=$cloudkeep_pid,access-key=$cloudkeep_key,secret-key=$cloudkeep_secret" \
    --target "name=RGW,endpoint=$CEPH_RGW_ENDPOINT/,pid=$rgw_pid,access-key=$CEPH_RGW_ACCESS_KEY,secret-key=$CEPH_RGW_SECRET_KEY" \
    --scenarios small,large "$@"
