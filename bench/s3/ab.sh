#!/usr/bin/env bash
# Two Cloudkeep builds, interleaved (docs/performance.md, "Issue I, session 13"): both servers start on new
# data directories (bench/s3/wrk/prepare.py makes the objects), get 8 s of mixed warm-up, then take turns
# under the same wrk rounds, the order alternating each round, so the machine's drift falls on both alike.
#   bench/s3/ab.sh A.dll B.dll [rounds=3] [seconds=4]     OPS="get signed put get64 delete list" picks the rows
# Prints one line per round: side, operation, requests/s, p99, server CPU µs per request (utime + stime of
# /proc/<pid>/stat over the round), non-2xx answers. Loopback only, bounded by ABBENCH_TIMEOUT (default 900 s),
# and the servers are stopped by PID.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd); repo=$(cd "$here/../.." && pwd)
source "$repo/bench/lib/servers.sh"
bounded "${ABBENCH_TIMEOUT:-900}" "$@"
work=$(mktemp -d /tmp/ab.XXXX); pids=()
cleanup() { for p in "${pids[@]}"; do stop "$p"; done; rm -rf "$work"; }
trap cleanup EXIT
wait_ready() { for _ in $(seq 6000); do [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$1") == 200 ]] && return 0; sleep 0.01; done; return 1; }
rounds=${3:-3}; secs=${4:-4}
declare -A PID ENVF
for side in A B; do
  dll=$1; [[ $side == B ]] && dll=$2
  d=$work/$side; mkdir -p $d; port=$(free_port)
  dotnet "$dll" serve --data "$d" --listen "127.0.0.1:$port" --no-request-log >>"$d.log" 2>&1 & PID[$side]=$!; pids+=(${PID[$side]})
  wait_ready http://127.0.0.1:$port/_cloudkeep/health
  cred() { sed -n "s/^$1 *= *//p" "$d/root-credentials" | head -n 1; }
  python3 $here/wrk/prepare.py http://127.0.0.1:$port "$(cred aws_access_key_id)" "$(cred aws_secret_access_key)" bench listing > $d.env
  ENVF[$side]=$d.env
  ( source $d.env; wrk -t 1 -c 8 -d 8s "$GET_SMALL" >/dev/null & wrk -t 1 -c 8 -d 8s -s $here/wrk/put.lua "$PUT_SMALL" >/dev/null; wait )
done
one() { # side op
  local side=$1 op=$2 pid=${PID[$1]} c0 c1 out
  source ${ENVF[$side]}
  c0=$(awk '{print $14+$15}' /proc/$pid/stat)
  case $op in
    get) out=$(wrk -t 2 -c 16 -d ${secs}s --latency "$GET_SMALL") ;;
    signed) out=$(wrk -t 2 -c 16 -d ${secs}s --latency -H "Authorization: $SIGNED_AUTH" -H "x-amz-date: $SIGNED_DATE" -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" "$SIGNED_URL") ;;
    put) out=$(wrk -t 2 -c 16 -d ${secs}s --latency -s $here/wrk/put.lua "$PUT_SMALL") ;;
    get64) out=$(wrk -t 2 -c 16 -d ${secs}s --latency "$GET_MEDIUM") ;;
    delete) out=$(wrk -t 2 -c 16 -d ${secs}s --latency -s $here/wrk/method.lua "$DELETE_SMALL" -- DELETE) ;;
    list) out=$(wrk -t 2 -c 16 -d ${secs}s --latency "$LIST_URL") ;;
  esac
  c1=$(awk '{print $14+$15}' /proc/$pid/stat)
  awk -v side=$side -v op=$op -v ticks=$((c1-c0)) -v hz=$(getconf CLK_TCK) '/requests in/ {n=$1} /Requests\/sec/ {r=$2} /^ +99%/ {p99=$2} /Non-2xx/ {e=$5} END {printf "%s\t%s\t%.0f\t%s\t%.1f\t%s\n", side, op, r, p99, ticks/hz*1e6/n, e+0}'  <<<"$out"
}
for r in $(seq $rounds); do
  for op in ${OPS:-get signed put}; do
    if (( r % 2 )); then one A $op; one B $op; else one B $op; one A $op; fi
  done
done
