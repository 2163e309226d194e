#!/usr/bin/env bash
# What metering costs on the hot path (docs/performance.md, "Metering on the GET path"): 4 KiB GETs
# (bench/s3/wrk.sh: pre-signed and header-signed, wrk, 16 connections) against the same build with
# metering on and with CLOUDKEEP_METERING=0, alternated in one run so both sides see the same machine.
# Goal (issue E §4): at most 5 % fewer GETs/s with metering on.
#   bench/billing/metering.sh [--pairs 2] [--duration 5] [--rounds 2] [--no-build]
# Run it under the shared build lock: flock /tmp/ck-build.lock bench/billing/metering.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
pairs=2 duration=5 rounds=2 build=1
while (($#)); do
    case $1 in
        --pairs) pairs=$2; shift ;;
        --duration) duration=$2; shift ;;
        --rounds) rounds=$2; shift ;;
        --no-build) build=0 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
    shift
done
if [[ $build == 1 ]]; then
    dotnet build "$repo/src/Cloudkeep.Cli" -c Release -nologo -clp:ErrorsOnly >/dev/null
fi
results=$(mktemp "${TMPDIR:-/tmp}/cloudkeep-metering.XXXXXX")
trap 'rm -f "$results"' EXIT
for pair in $(seq "$pairs"); do
    for mode in on off; do
        if [[ $mode == off ]]; then export CLOUDKEEP_METERING=0; else unset CLOUDKEEP_METERING; fi
        "$repo/bench/s3/wrk.sh" --no-build --no-s3rver --no-large --rounds "$rounds" --duration "$duration" --label "metering-$mode-$pair" \
            | grep -E "^metering-(on|off)-[0-9]+\s" | grep -i "get" | tee -a "$results"
    done
done
unset CLOUDKEEP_METERING
echo
echo "GETs/s, metering on against off, per pair and row:"
awk -F'\t' '{ split($1, l, "-"); key = l[3] "\t" $2; sum[l[2], key] += $3; n[l[2], key]++; keys[key] = 1 }
    END { for (k in keys) if (n["off", k] > 0 && n["on", k] > 0) { on = sum["on", k] / n["on", k]; off = sum["off", k] / n["off", k]
        printf "pair %s\ton %d\toff %d\t%+.1f %%\n", k, on, off, (on / off - 1) * 100 } }' "$results" | sort
