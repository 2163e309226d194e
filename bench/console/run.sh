#!/bin/bash
# Issue C's console benchmark against one fresh Cloudkeep (SQLite + local disk): time to answer, on
# loopback, (1) the IAM users page (the first page and a page deep in the list) with USERS users,
# (2) the S3 bucket browser on a prefix of KEYS keys (first page and a later one), (3) a whole
# password sign-in (form, POST, redirect to the home page). The estate is seeded through the API by
# bench/console/seed.py; the pages are fetched by bench/console/measure.py, one request at a time.
#   bench/console/run.sh [USERS] [KEYS] [ROUNDS]   (defaults 10000 100000 50). Build first: dotnet build Cloudkeep.slnx -c Release
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/lib/servers.sh
USERS=${1:-10000}
KEYS=${2:-100000}
ROUNDS=${3:-50}
DATA=$(mktemp -d)
PORT=$(free_port)
ENDPOINT=http://127.0.0.1:$PORT
PID=""
trap 'stop "$PID"; rm -rf "$DATA" "$DATA.log"' EXIT
export AWS_ACCESS_KEY_ID=AKIABENCHCONSOLE0001 AWS_SECRET_ACCESS_KEY=bench-console-secret-0123456789abcdefgh AWS_DEFAULT_REGION=eu-west-1
export CLOUDKEEP_ROOT_ACCESS_KEY_ID=$AWS_ACCESS_KEY_ID CLOUDKEEP_ROOT_SECRET_ACCESS_KEY=$AWS_SECRET_ACCESS_KEY CLOUDKEEP_ACCOUNT_ID=123412341234

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), commit $(git rev-parse --short HEAD)"
dotnet src/Cloudkeep.Cli/bin/Release/net10.0/cloudkeep.dll serve --data "$DATA" --listen 127.0.0.1:$PORT --no-request-log >> "$DATA.log" 2>&1 &
PID=$!
wait_for "$ENDPOINT/_cloudkeep/health" "$PID" "$DATA.log"
python3 bench/console/seed.py "$ENDPOINT" "$USERS" "$KEYS"
python3 bench/console/measure.py "$ENDPOINT" 123412341234 "$ROUNDS"
