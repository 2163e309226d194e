#!/bin/bash
# Issue A's benchmarks against one fresh Cloudkeep (SQLite + local disk):
#   bench/s3/versions-and-lifecycle.sh versions 100000    listing and GET, 100,000 keys x 5 versions vs unversioned
#   bench/s3/versions-and-lifecycle.sh lifecycle 100000   GET latency while 100,000 objects expire at once
# Build first: dotnet build Cloudkeep.slnx -c Release
set -e
cd "$(dirname "$0")/../.."
DATA=$(mktemp -d)
dotnet src/Cloudkeep.Cli/bin/Release/net10.0/cloudkeep.dll serve --data $DATA --listen 127.0.0.1:4710 --no-request-log --lifecycle-interval 2 > "$DATA.log" 2>&1 &
PID=$!
for i in $(seq 1 60); do [ -f $DATA/root-credentials ] && curl -s http://127.0.0.1:4710/_cloudkeep/health >/dev/null && break; sleep 0.5; done
AK=$(sed -n "s/^aws_access_key_id *= *//p" $DATA/root-credentials | head -n 1)
SK=$(sed -n "s/^aws_secret_access_key *= *//p" $DATA/root-credentials | head -n 1)
timeout 1200 dotnet bench/Cloudkeep.LoadGenerator/bin/Release/net10.0/Cloudkeep.LoadGenerator.dll s3 \
  --target name=cloudkeep,endpoint=http://127.0.0.1:4710,pid=$PID,access-key=$AK,secret-key=$SK \
  --scenarios "$1" --clients 16 --list-keys ${2:-100000} --versions 5 --list-passes 3 --server-warmup 3 --warmup 1 --duration 4 --create-timeout 900
kill $PID; wait $PID 2>/dev/null || true
rm -rf "$DATA" "$DATA.log"
