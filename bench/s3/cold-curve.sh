#!/usr/bin/env bash
# The first seconds after a restart, second by second (docs/performance.md, "Issue I, session 13"). One data
# directory is made and filled (bench/s3/wrk/prepare.py); then, for each MODE, the server is started again on
# it and, once /_cloudkeep/health answers, wrk runs eight 1 s rounds of the pre-signed 4 KiB GET (the curve),
# then 10 s of mixed load and 5 s warm. MODE is one of:
#   none            nothing between ready and the load
#   sleep           1 s idle first
#   anon | real     1 s of 4-connection warm-up load first: anonymous GETs of a missing bucket, or the real GET
#   env:NAME=VALUE  the server started with that environment variable (a runtime setting)
#   bench/s3/cold-curve.sh path/to/cloudkeep.dll none real env:DOTNET_TieredPGO=0 ...
# Loopback only, bounded by COLDBENCH_TIMEOUT (default 900 s); the server is stopped by PID.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd); repo=$(cd "$here/../.." && pwd)
source "$repo/bench/lib/servers.sh"
bounded "${COLDBENCH_TIMEOUT:-900}" "$@"
dll=$1; shift
work=$(mktemp -d /tmp/cold.XXXX); pids=()
cleanup() { for p in "${pids[@]}"; do stop "$p"; done; rm -rf "$work"; }
trap cleanup EXIT
now_ms() { date +%s%3N; }
wait_ready() { local url=$1 since=$2; for _ in $(seq 6000); do [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$url") == 200 ]] && { echo $(($(now_ms)-since)); return 0; }; sleep 0.01; done; return 1; }
data=$work/data; mkdir -p $data; port=$(free_port)
serve() { dotnet "$dll" serve --data "$data" --listen "127.0.0.1:$port" --no-request-log >>"$data.log" 2>&1 & echo $!; }
pid=$(serve); pids+=($pid); wait_ready http://127.0.0.1:$port/_cloudkeep/health $(now_ms) >/dev/null
cred() { sed -n "s/^$1 *= *//p" "$data/root-credentials" | head -n 1; }
python3 $here/wrk/prepare.py http://127.0.0.1:$port "$(cred aws_access_key_id)" "$(cred aws_secret_access_key)" bench listing > $data.env
source $data.env
stop $pid
rate() { wrk -t 2 -c 16 -d ${1}s "${@:2}" | awk '/Requests\/sec/ {print $2}'; }
for mode in "$@"; do
  if [[ $mode == env:* ]]; then export "${mode#env:}"; fi
  s=$(now_ms); pid=$(serve); pids+=($pid); r=$(wait_ready http://127.0.0.1:$port/_cloudkeep/health $s)
  case $mode in
    none) ;;
    anon) wrk -t 1 -c 4 -d 1s http://127.0.0.1:$port/no-such-bucket/k >/dev/null ;;
    real) wrk -t 1 -c 4 -d 1s "$GET_SMALL" >/dev/null ;;
    sleep) sleep 1 ;;
  esac
  curve=""; for i in 1 2 3 4 5 6 7 8; do curve="$curve $(rate 1 "$GET_SMALL")"; done; cold=$(echo $curve | awk '{print ($1+$2+$3+$4+$5)/5}'); echo "$mode curve:$curve"
  wrk -t 1 -c 8 -d 10s "$GET_SMALL" >/dev/null & m=$!; wrk -t 1 -c 8 -d 10s -s $here/wrk/put.lua "$PUT_SMALL" >/dev/null; wait $m
  warm=$(rate 5 "$GET_SMALL")
  echo "$mode ready=${r}ms cold=$cold warm=$warm ratio=$(python3 -c "print(round($cold/$warm,2))")"
  stop $pid
  if [[ $mode == env:* ]]; then v=${mode#env:}; unset "${v%%=*}"; fi
done
