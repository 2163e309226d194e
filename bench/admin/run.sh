#!/usr/bin/env bash
# Measures `cloudkeep admin backup` and `admin restore` of an estate of OBJECTS objects, LARGE of them 1 MiB
# (blobs on disk) and the rest 1 KiB (kept inline in SQLite): wall time, peak RSS (GNU time) and archive size.
# Starts its own server on a free loopback port in a temporary directory, fills it through S3 with boto3
# (bounded thread pool), stops the server by its PID, and removes everything at the end.
#   bench/admin/run.sh                      # ADMINBENCH_OBJECTS=100000 ADMINBENCH_LARGE=1024
# Run it under the shared build lock, at low priority:  flock /tmp/ck-build.lock nice -n 19 bench/admin/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
objects="${ADMINBENCH_OBJECTS:-100000}"
large="${ADMINBENCH_LARGE:-1024}"
cloudkeep="src/Cloudkeep.Cli/bin/Release/net10.0/cloudkeep"
[ -x "$cloudkeep" ] || dotnet build src/Cloudkeep.Cli -c Release -nologo -clp:ErrorsOnly
work="$(mktemp -d /tmp/cloudkeep-adminbench-XXXXXX)"
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
export CLOUDKEEP_ROOT_ACCESS_KEY_ID=AKIAADMINBENCH000001 CLOUDKEEP_ROOT_SECRET_ACCESS_KEY=adminbench-secret-0123456789abcdefghijkl
"$cloudkeep" serve --data "$work/data" --listen "127.0.0.1:$port" --no-request-log >"$work/serve.log" 2>&1 &
server=$!
timeout 60 bash -c "until curl -sf http://127.0.0.1:$port/_cloudkeep/health >/dev/null; do sleep 0.2; done"

echo "== filling: $objects objects, $large of them 1 MiB"
start=$(date +%s.%N)
timeout 1800 python3 - "$port" "$objects" "$large" <<'PY'
import os, sys, boto3, botocore.config
from concurrent.futures import ThreadPoolExecutor
port, objects, large = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
s3 = boto3.client("s3", endpoint_url=f"http://127.0.0.1:{port}", region_name="us-east-1",
                  aws_access_key_id=os.environ["CLOUDKEEP_ROOT_ACCESS_KEY_ID"], aws_secret_access_key=os.environ["CLOUDKEEP_ROOT_SECRET_ACCESS_KEY"],
                  config=botocore.config.Config(max_pool_connections=16, retries={"max_attempts": 3}))
s3.create_bucket(Bucket="bench")
small, big = os.urandom(1024), None
def put(i):
    body = os.urandom(1 << 20) if i < large else small
    s3.put_object(Bucket="bench", Key=f"k/{i:07d}", Body=body)
with ThreadPoolExecutor(16) as pool:
    list(pool.map(put, range(objects)))
PY
echo "filled in $(python3 -c "print(round($(date +%s.%N) - $start, 1))") s; data directory: $(du -sh "$work/data" | cut -f1), blobs: $(du -sh "$work/data/blobs" | cut -f1)"
head -c 32 /dev/urandom | base64 >"$work/backup.key"

echo "== admin backup (server running)"
/usr/bin/time -f "backup: %e s wall, %M KiB peak RSS, %P CPU" "$cloudkeep" admin backup --data "$work/data" --key-file "$work/backup.key" --to "$work/archives"
archive="$(ls "$work"/archives/*.ckarchive)"
echo "archive: $(stat -c %s "$archive") bytes"

echo "== admin restore"
/usr/bin/time -f "restore: %e s wall, %M KiB peak RSS, %P CPU" "$cloudkeep" admin restore --from "$archive" --key-file "$work/backup.key" --data "$work/restored" --master-key-file "$work/data/master.key"
echo "restored: $(du -sh "$work/restored" | cut -f1)"
