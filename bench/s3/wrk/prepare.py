"""Prepares one S3 endpoint for the wrk rounds of bench/s3/wrk.sh and prints what wrk needs.

Creates the bucket, writes the 4 KiB and 64 KiB objects and 1,000 small keys for the listing, then prints
shell assignments: pre-signed GET/PUT/DELETE URLs (valid for an hour) and, for the header-signed
rows, a SigV4 Authorization header computed once. SigV4 has no nonce, so a signed request may be replayed
within its 15-minute window; that lets wrk send a header-signed GET without signing per request, and the
server still parses and verifies the signature on every one.
"""
import shlex
import sys
from concurrent.futures import ThreadPoolExecutor

import boto3
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config

endpoint, access_key, secret_key, bucket = sys.argv[1:5]
listing = len(sys.argv) > 5 and sys.argv[5] == "listing"
region = "us-east-1"
session = boto3.session.Session(aws_access_key_id=access_key, aws_secret_access_key=secret_key, region_name=region)
config = Config(s3={"addressing_style": "path"}, signature_version="s3v4", retries={"max_attempts": 2})
s3 = session.client("s3", endpoint_url=endpoint, config=config)

try:
    s3.create_bucket(Bucket=bucket)
except s3.exceptions.BucketAlreadyOwnedByYou:
    pass
s3.put_object(Bucket=bucket, Key="small", Body=b"s" * 4096)
s3.put_object(Bucket=bucket, Key="medium", Body=b"m" * 65536)
if listing:
    with ThreadPoolExecutor(16) as pool:
        list(pool.map(lambda i: s3.put_object(Bucket=bucket, Key=f"list/{i:05d}", Body=b"l"), range(1000)))


def presign(method, key, **extra):
    return s3.generate_presigned_url(method, Params={"Bucket": bucket, "Key": key, **extra}, ExpiresIn=3600)


url = f"{endpoint.rstrip('/')}/{bucket}/small"
request = AWSRequest(method="GET", url=url, headers={"x-amz-content-sha256": "UNSIGNED-PAYLOAD"})
SigV4Auth(session.get_credentials().get_frozen_credentials(), "s3", region).add_auth(request)

values = {
    "GET_SMALL": presign("get_object", "small"),
    "GET_MEDIUM": presign("get_object", "medium"),
    "PUT_SMALL": presign("put_object", "small-put"),
    "PUT_LARGE": presign("put_object", "large"),
    "GET_LARGE": presign("get_object", "large"),
    "DELETE_SMALL": presign("delete_object", "gone"),
    "LIST_URL": s3.generate_presigned_url("list_objects_v2", Params={"Bucket": bucket, "Prefix": "list/"}, ExpiresIn=3600),
    "SIGNED_URL": url,
    "SIGNED_AUTH": request.headers["Authorization"],
    "SIGNED_DATE": request.headers["X-Amz-Date"],
}
for name, value in values.items():
    print(f"{name}={shlex.quote(value)}")
