#!/usr/bin/env bash
# S3 benchmark (docs/performance.md, "S3"): starts Cloudkeep and the peer s3rver on loopback, drives
# both with the same load generator (bench/Cloudkeep.LoadGenerator, `s3` mode) one after the other,
# prints Markdown tables, then stops both servers by PID and deletes their data.
#   bench/s3/run.sh [load generator options, e.g. --large-size 256M --list-keys 20000 --scenarios small]
# The whole run is bounded by S3BENCH_TIMEOUT seconds (default 1800).
# S3BENCH_NO_FSYNC=1 runs Cloudkeep under eatmydata (Debian package `eatmydata`), which turns fsync into
# a no-op: a diagnostic only, to show what a PUT costs without the durability s3rver never pays.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
# shellcheck source=../lib/servers.sh
source "$here/../lib/servers.sh"
work=$(mktemp -d "${TMPDIR:-/tmp}/cloudkeep-s3bench.XXXXXX")
cloudkeep_pid=""
s3rver_pid=""

cleanup() {
    stop "$cloudkeep_pid"
    stop "$s3rver_pid"
    rm -rf "$work"
}
trap cleanup EXIT

# The peer, pinned by package-lock.json.
(cd "$here" && npm ci --no-audit --no-fund --silent)

dotnet build "$repo/src/Cloudkeep.Cli" -c Release --nologo -v q -clp:NoSummary
dotnet build "$repo/bench/Cloudkeep.LoadGenerator" -c Release --nologo -v q -clp:NoSummary

# Cloudkeep: the Release build run by `dotnet cloudkeep.dll` (not `dotnet run`, whose PID would be
# the SDK's, not the server's), with its generated root key read from <data>/root-credentials.
cloudkeep_port=$(free_port)
cloudkeep_name=Cloudkeep
wrapper=()
if [[ "${S3BENCH_NO_FSYNC:-0}" == 1 ]]; then
    command -v eatmydata >/dev/null || { echo "S3BENCH_NO_FSYNC=1 needs eatmydata (apt-get install eatmydata)" >&2; exit 1; }
    wrapper=(eatmydata)
    cloudkeep_name="Cloudkeep (no fsync)"
fi
mkdir -p "$work/cloudkeep" "$work/s3rver"
"${wrapper[@]}" dotnet "$repo/src/Cloudkeep.Cli/bin/Release/net10.0/cloudkeep.dll" serve --data "$work/cloudkeep" \
    --listen "127.0.0.1:$cloudkeep_port" --no-request-log >"$work/cloudkeep.log" 2>&1 &
cloudkeep_pid=$!
wait_for "http://127.0.0.1:$cloudkeep_port/_cloudkeep/health" "$cloudkeep_pid"
credential() { sed -n "s/^$1 *= *//p" "$work/cloudkeep/root-credentials" | head -n 1; }
cloudkeep_key=$(credential aws_access_key_id)
cloudkeep_secret=$(credential aws_secret_access_key)

# s3rver: node runs its CLI directly so the PID is the server's; it accepts S3RVER/S3RVER. Its
# ListObjectsV2 continuation tokens are DES-encrypted, which OpenSSL 3 only has in its legacy provider
# (without the flag every truncated listing answers 500 ERR_OSSL_EVP_UNSUPPORTED).
s3rver_port=$(free_port)
node --openssl-legacy-provider "$here/node_modules/s3rver/bin/s3rver.js" -d "$work/s3rver" -a 127.0.0.1 -p "$s3rver_port" --silent \
    >"$work/s3rver.log" 2>&1 &
s3rver_pid=$!
wait_for "http://127.0.0.1:$s3rver_port/" "$s3rver_pid"

echo "cloudkeep $(git -C "$repo" rev-parse --short HEAD) pid $cloudkeep_pid; s3rver $(node -p "require('$here/node_modules/s3rver/package.json').version") (node $(node --version)) pid $s3rver_pid"
timeout "${S3BENCH_TIMEOUT:-1800}" dotnet "$repo/bench/Cloudkeep.LoadGenerator/bin/Release/net10.0/Cloudkeep.LoadGenerator.dll" s3 \
    --target "name=$cloudkeep_name,endpoint=http://127.0.0.1:$cloudkeep_port/,pid=$cloudkeep_pid,access-key=$cloudkeep_key,secret-key=$cloudkeep_secret" \
    --target "name=s3rver,endpoint=http://127.0.0.1:$s3rver_port/,pid=$s3rver_pid,access-key=S3RVER,secret-key=S3RVER" \
    "$@"
