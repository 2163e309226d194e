#!/usr/bin/env bash
# The seed's document flows ("Documents served from S3"), against a server running the assets router with
# assets.yaml beside this script:
#   1. a supplier uploads a draft service document to the submissions bucket, bucket-owner-full-control;
#      it is not public: the assets host answers the site's 404 page;
#   2. the app, having checked the supplier owns it, redirects them to a 30-second pre-signed URL on the
#      assets host, which works;
#   3. publishing copies the draft to the documents bucket with public-read;
#   4. anyone fetches the published document through the assets host;
#   5. a signed framework agreement is private: only a pre-signed URL on the assets host serves it, and
#      that URL fails once its expiry has passed.
# Needs the AWS CLI (pointed at the server by AWS_ENDPOINT_URL and credentials in the environment), curl,
# and `cloudkeep` (or CLOUDKEEP="dotnet path/to/cloudkeep.dll").
#   ASSETS=http://127.0.0.1:4567 ./flows.sh      FLOWS_EXPIRES=30 (seconds; step 5 waits past it)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
assets=${ASSETS:-http://127.0.0.1:4567}
expires=${FLOWS_EXPIRES:-30}
read -r -a cloudkeep <<< "${CLOUDKEEP:-cloudkeep}"
stage=preview
bucket() { echo "digitalmarketplace-$1-$stage-$stage"; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

status() { curl -s -o "$work/body" -w '%{http_code}' "$1"; }
expect() { # expect STATUS URL WHAT
    local got
    got=$(status "$2")
    if [[ $got != "$1" ]]; then
        echo "FAIL: $3: expected $1, got $got" >&2
        cat "$work/body" >&2
        exit 1
    fi
    echo "ok: $3 ($got)"
}

# Set-up (an applied estate.yaml has these): the buckets, with ACLs allowed where the flows use them.
for category in documents agreements communications submissions reports g7-draft-documents; do
    name=$(bucket "$category")
    aws s3api head-bucket --bucket "$name" 2>/dev/null || aws s3api create-bucket --bucket "$name" > /dev/null
    aws s3api put-bucket-ownership-controls --bucket "$name" \
        --ownership-controls 'Rules=[{ObjectOwnership=BucketOwnerPreferred}]'
done
aws s3api delete-public-access-block --bucket "$(bucket documents)"

# 1. A supplier's draft: <framework>/submissions/<supplier>/<service>-<field>-<YYYY-MM-DD-HHMM><ext>.
printf '%%PDF-1.4\n%% pricing document for service 1234\n' > "$work/draft.pdf"
draft=g-cloud-12/submissions/712345/1234-pricing-document-$(date -u +%Y-%m-%d-%H%M).pdf
aws s3api put-object --bucket "$(bucket submissions)" --key "$draft" --body "$work/draft.pdf" \
    --acl bucket-owner-full-control --content-type application/pdf > /dev/null
expect 404 "$assets/$draft" "a draft is not public through the assets host"
grep -q "Page not found" "$work/body" || { echo "FAIL: not the site's 404 page" >&2; exit 1; }

# 2. The supplier's own download: a 30-second pre-signed URL on the assets host.
url=$("${cloudkeep[@]}" presign "s3://$(bucket submissions)/$draft" --expires-in 30 \
    --via-assets "$assets" --assets-config "$here/assets.yaml")
expect 200 "$url" "the supplier's pre-signed link to their draft"
cmp -s "$work/body" "$work/draft.pdf" || { echo "FAIL: the draft came back different" >&2; exit 1; }

# 3. Publishing: copied to documents, public-read.
published=g-cloud-12/documents/712345/1234-pricing-document.pdf
aws s3api copy-object --copy-source "$(bucket submissions)/$draft" --bucket "$(bucket documents)" \
    --key "$published" --acl public-read > /dev/null

# 4. Anyone, anonymously, through the assets host.
expect 200 "$assets/$published" "the published document, for anyone"
cmp -s "$work/body" "$work/draft.pdf" || { echo "FAIL: the published document differs" >&2; exit 1; }

# 5. A signed framework agreement: private, served only by a short pre-signed URL on the assets host.
agreement=g-cloud-12/agreements/712345/712345-signed-framework-agreement.pdf
aws s3api put-object --bucket "$(bucket agreements)" --key "$agreement" --body "$work/draft.pdf" \
    --acl bucket-owner-full-control > /dev/null
expect 404 "$assets/$agreement" "the agreement is not public"
url=$("${cloudkeep[@]}" presign "s3://$(bucket agreements)/$agreement" --expires-in "$expires" \
    --via-assets "$assets" --assets-config "$here/assets.yaml")
expect 200 "$url" "the agreement through its ${expires}-second pre-signed URL"
expect 404 "${url/X-Amz-Signature=/X-Amz-Signature=0}" "the same URL with its signature altered"
sleep $((expires + 1))
expect 404 "$url" "the agreement's URL after ${expires} seconds"
echo "all flows done"
