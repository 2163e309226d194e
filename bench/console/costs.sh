#!/bin/bash
# Issue E's console benchmark against one fresh Cloudkeep (SQLite + local disk): time to answer, on
# loopback, the Cost Explorer page (chart and table) over DAYS days of metered usage (every hour of 4
# services, 12 usage types and 3 values of a cost allocation tag: DAYS x 24 x 36 rows), the Budgets page
# with BUDGETS budgets (each with a notification), and the Alarms page with ALARMS alarms. The usage is
# written straight into the metering table (what the hourly roll-up and the request path's flush write),
# the rest through the API; the pages are fetched one request at a time by bench/console/costs.py.
#   bench/console/costs.sh [DAYS] [BUDGETS] [ALARMS] [ROUNDS]   (defaults 90 20 100 50). Build first: dotnet build Cloudkeep.slnx -c Release
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/lib/servers.sh
DAYS=${1:-90}
BUDGETS=${2:-20}
ALARMS=${3:-100}
ROUNDS=${4:-50}
DATA=$(mktemp -d)
PORT=$(free_port)
ENDPOINT=http://127.0.0.1:$PORT
PID=""
trap 'stop "$PID"; rm -rf "$DATA" "$DATA.log"' EXIT
export AWS_ACCESS_KEY_ID=AKIABENCHCONSOLE0001 AWS_SECRET_ACCESS_KEY=bench-console-secret-0123456789abcdefgh AWS_DEFAULT_REGION=us-east-1
export CLOUDKEEP_ROOT_ACCESS_KEY_ID=$AWS_ACCESS_KEY_ID CLOUDKEEP_ROOT_SECRET_ACCESS_KEY=$AWS_SECRET_ACCESS_KEY CLOUDKEEP_ACCOUNT_ID=123412341234

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), commit $(git rev-parse --short HEAD)"
dotnet src/Cloudkeep.Cli/bin/Release/net10.0/cloudkeep.dll serve --data "$DATA" --listen 127.0.0.1:$PORT --no-request-log >> "$DATA.log" 2>&1 &
PID=$!
wait_for "$ENDPOINT/_cloudkeep/health" "$PID" "$DATA.log"
python3 bench/console/costs.py "$ENDPOINT" 123412341234 "$DATA/cloudkeep.db" "$DAYS" "$BUDGETS" "$ALARMS" "$ROUNDS"
