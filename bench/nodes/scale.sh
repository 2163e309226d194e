#!/usr/bin/env bash
# Scale figures (docs/performance.md, "At scale"): GetUser, a ListUsers page, HeadObject and a
# ListObjectsV2 page with SCALE_USERS IAM users (default 100,000) and SCALE_OBJECTS objects in one
# bucket (default 1,000,000), on SQLite and on PostgreSQL in the same run. For each engine: a fresh
# `serve` (PostgreSQL: a throwaway cluster from Debian's packages, initdb'd under a temporary
# directory on a free loopback port), one user, bucket and object made through the API, the rest
# copied from their rows by SQL (scale.py), then SCALE_SAMPLES (default 500) requests of each kind,
# one at a time, through boto3. Stops what it started, by PID, and deletes its files.
#   bench/nodes/scale.sh      SCALE_USERS=100000 SCALE_OBJECTS=1000000 SCALE_SAMPLES=500 SCALE_TIMEOUT=1800 SCALE_NO_BUILD=1
set -euo pipefail

if [[ -z "${SCALE_BOUNDED:-}" ]]; then
    SCALE_BOUNDED=1 exec timeout --kill-after=30 "${SCALE_TIMEOUT:-1800}" "$0" "$@"
fi

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
# shellcheck source=../lib/servers.sh
source "$here/../lib/servers.sh"
work=$(mktemp -d "${TMPDIR:-/tmp}/cloudkeep-scale.XXXXXX")
# The postgres user runs the throwaway cluster under it.
chmod 755 "$work"
users=${SCALE_USERS:-100000}
objects=${SCALE_OBJECTS:-1000000}
samples=${SCALE_SAMPLES:-500}
server_pid=""
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
as_pg=()
[[ "$(id -u)" -eq 0 ]] && as_pg=(runuser -u postgres --)

cleanup() {
    stop "$server_pid"
    if [[ -f "$work/pg/data/postmaster.pid" ]]; then
        "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$work/pg/data" -m immediate stop > /dev/null 2>&1 || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'echo "scale bench: stopped (timeout or signal)" >&2; exit 143' TERM INT

[[ -n "${SCALE_NO_BUILD:-}" ]] || dotnet build "$repo/src/Cloudkeep.Cli" -c Release --nologo -v q -clp:NoSummary
cloudkeep=("dotnet" "$repo/src/Cloudkeep.Cli/bin/Release/net10.0/cloudkeep.dll")
export CLOUDKEEP_ROOT_ACCESS_KEY_ID=AKIASCALEBENCH000001 CLOUDKEEP_ROOT_SECRET_ACCESS_KEY=scale-bench-secret-0123456789abcdefgh
export AWS_ACCESS_KEY_ID=$CLOUDKEEP_ROOT_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY=$CLOUDKEEP_ROOT_SECRET_ACCESS_KEY

# PostgreSQL as the many-nodes tests run it, with fsync on (a benchmark, not a test).
pg_port=$(free_port)
mkdir -p "$work/pg"
[[ ${#as_pg[@]} -eq 0 ]] || chown -R postgres:postgres "$work/pg"
"${as_pg[@]}" "$pg_bin/initdb" -D "$work/pg/data" -U postgres --auth=trust -E UTF8 > /dev/null
"${as_pg[@]}" "$pg_bin/pg_ctl" -D "$work/pg/data" -l "$work/pg/log" -w -t 60 \
    -o "-p $pg_port -k $work/pg -c listen_addresses=127.0.0.1" start > /dev/null
psql -q "postgres://postgres@127.0.0.1:$pg_port/postgres" -c "CREATE DATABASE scale TEMPLATE template0 ENCODING 'UTF8' LOCALE_PROVIDER icu ICU_LOCALE 'en-US'"
pg_url="postgres://postgres@127.0.0.1:$pg_port/scale"

echo "Scale: $users IAM users, $objects objects in one bucket; $samples requests of each kind, one at a time, through boto3"
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
for engine in sqlite postgres; do
    port=$(free_port)
    database=()
    store="$work/$engine/cloudkeep.db"
    if [[ $engine == postgres ]]; then
        database=(--database "$pg_url")
        store=$pg_url
    fi
    "${cloudkeep[@]}" serve --data "$work/$engine" "${database[@]}" --listen "127.0.0.1:$port" --no-request-log \
        --no-audit-record --no-metering > "$work/$engine.log" 2>&1 &
    server_pid=$!
    wait_for "http://127.0.0.1:$port/_cloudkeep/health" "$server_pid" "$work/$engine.log"
    python3 "$here/scale.py" "http://127.0.0.1:$port" "$engine" "$store" "$users" "$objects" "$samples" > "$work/$engine.json"
    stop "$server_pid"
    server_pid=""
done

python3 - "$work/sqlite.json" "$work/postgres.json" <<'PY'
import json, sys
sqlite, postgres = (json.load(open(p)) for p in sys.argv[1:3])
print(f"seeded by SQL in {sqlite['seed_seconds']} s (SQLite), {postgres['seed_seconds']} s (PostgreSQL)")
print()
print('| operation | SQLite p50 | SQLite p99 | PostgreSQL p50 | PostgreSQL p99 |')
print('|---|---:|---:|---:|---:|')
for a, b in zip(sqlite['results'], postgres['results']):
    print(f"| {a['operation']} | {a['p50']:.2f} ms | {a['p99']:.2f} ms | {b['p50']:.2f} ms | {b['p99']:.2f} ms |")
PY
