#!/usr/bin/env bash
# Runs Cloudkeep's whole test suite on a fresh Debian machine: installs what the tests need when it
# is missing (the AWS CLI, a PostgreSQL server, Node.js for the differential policy tests, s3cmd and
# rclone for the S3 smoke tests, chromium for the web console's browser test, dig and dnsperf for the DNS listener, nginx in front of
# the many-nodes tests), builds
# once in Release, runs every test project, and ends with one line counted from the TRX results:
#   tests: N passed, N failed, N skipped
set -euo pipefail
cd "$(dirname "$0")"

log() { printf '== %s\n' "$*" >&2; }

missing=()
command -v aws >/dev/null 2>&1 || missing+=(awscli)
python3 -c 'import botocore' >/dev/null 2>&1 || missing+=(python3-botocore)
python3 -c 'import boto3' >/dev/null 2>&1 || missing+=(python3-boto3)
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
command -v s3cmd >/dev/null 2>&1 || missing+=(s3cmd)
command -v rclone >/dev/null 2>&1 || missing+=(rclone)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v script >/dev/null 2>&1 || missing+=(bsdutils)
command -v curl >/dev/null 2>&1 || missing+=(curl)
# The Route 53 DNS listener's tests ask it with dig; bench/dns/run.sh measures it with dnsperf.
command -v dig >/dev/null 2>&1 || missing+=(bind9-dnsutils)
command -v dnsperf >/dev/null 2>&1 || missing+=(dnsperf)
# cloudkeep secrets' interoperability tests read our files with the reference age and GnuPG tools
# and an independent Python reading of the sops format.
command -v age >/dev/null 2>&1 || missing+=(age)
command -v gpg >/dev/null 2>&1 || missing+=(gnupg)
# cloudkeep backup runs the real pg_dump and psql, and its interoperability tests gpg and gzip.
command -v pg_dump >/dev/null 2>&1 || missing+=(postgresql-client)
command -v gzip >/dev/null 2>&1 || missing+=(gzip)
python3 -c 'import cryptography' >/dev/null 2>&1 || missing+=(python3-cryptography)
# The many-nodes tests put Debian's nginx in front of three nodes, as operators would.
[ -x /usr/sbin/nginx ] || missing+=(nginx-light)
if ((${#missing[@]})); then
  log "installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ -f tests/tools/package.json ]; then
  log "installing the npm packages of tests/tools"
  (cd tests/tools && npm ci --no-audit --no-fund --loglevel=error)
fi

results="${CLOUDKEEP_TEST_RESULTS:-$PWD/TestResults}"
rm -rf "$results"
log "building"
dotnet build Cloudkeep.slnx -c Release -nologo -clp:ErrorsOnly

log "testing"
status=0
dotnet test Cloudkeep.slnx -c Release --no-build -nologo \
  --logger "trx" --logger "console;verbosity=minimal" --results-directory "$results" || status=$?

# Count from the TRX files, not from console text.
python3 - "$results" "$status" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
files = glob.glob(sys.argv[1] + "/**/*.trx", recursive=True)
for path in files:
    counters = ET.parse(path).getroot().find("t:ResultSummary/t:Counters", ns)
    passed += int(counters.get("passed", 0))
    failed += int(counters.get("failed", 0)) + int(counters.get("error", 0)) + int(counters.get("timeout", 0)) + int(counters.get("aborted", 0))
    skipped += int(counters.get("notExecuted", 0))
if not files:
    failed += 1
print(f"tests: {passed} passed, {failed} failed, {skipped} skipped")
sys.exit(1 if failed or int(sys.argv[2]) != 0 or passed == 0 else 0)
PY
