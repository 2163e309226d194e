#!/usr/bin/env bash
# What recording every request as a CloudTrail event costs (docs/performance.md, "CloudTrail recording"):
# the STS load generator against each given build with recording on, then off (CLOUDKEEP_NO_AUDIT_RECORD=1),
# builds and modes interleaved, ROUNDS times. Each line: round, build, mode, then the load generator's row
# (requests/s, latency, and the server's CPU per request in µs, last column). Bounded: each run at most 300 s.
#   bench/cloudtrail/recording-ab.sh ROUNDS REPO_DIR...    (each REPO_DIR built in Release)
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=$1; shift
generator=bench/Cloudkeep.LoadGenerator/bin/Release/net10.0/Cloudkeep.LoadGenerator.dll
for round in $(seq "$rounds"); do
  for build in "$@"; do
    for mode in on off; do
      if [[ $mode == off ]]; then export CLOUDKEEP_NO_AUDIT_RECORD=1; else unset CLOUDKEEP_NO_AUDIT_RECORD; fi
      timeout 300 dotnet "$generator" --server "$build/src/Cloudkeep.Cli/bin/Release/net10.0/cloudkeep.dll" \
          --clients 16 --server-warmup 3 --warmup 1 --duration 6 2>&1 \
        | grep -E "^\| (Get|Assume)" | tail -3 | sed "s#^#$round $(basename "$build") $mode #"
    done
  done
done
