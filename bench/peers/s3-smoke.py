"""Smoke check of a peer S3 server: bucket, 4 KiB object put/get/list/delete.

Reads CEPH_RGW_ENDPOINT / CEPH_RGW_ACCESS_KEY / CEPH_RGW_SECRET_KEY, as printed
by ceph-rgw.sh start (e.g. `set -a; . <dir>/env; set +a`). Exits non-zero on
any mismatch. Optional argv[1]: number of extra 4 KiB PUTs to warm the
daemons before measuring their memory.
"""
import sys
import os, boto3, botocore
from botocore.config import Config
ep = os.environ["CEPH_RGW_ENDPOINT"]
s3 = boto3.client("s3", endpoint_url=ep, region_name="us-east-1",
                  aws_access_key_id=os.environ["CEPH_RGW_ACCESS_KEY"],
                  aws_secret_access_key=os.environ["CEPH_RGW_SECRET_KEY"],
                  config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}))
b = "bench-check"
body = os.urandom(4096)
s3.create_bucket(Bucket=b); print("create_bucket ok")
s3.put_object(Bucket=b, Key="obj-4k", Body=body); print("put ok")
got = s3.get_object(Bucket=b, Key="obj-4k")["Body"].read()
assert got == body, "body mismatch"; print("get ok, 4096 bytes match")
keys = [(o["Key"], o["Size"]) for o in s3.list_objects_v2(Bucket=b).get("Contents", [])]
assert keys == [("obj-4k", 4096)], keys; print("list ok", keys)
s3.delete_object(Bucket=b, Key="obj-4k")
assert s3.list_objects_v2(Bucket=b).get("KeyCount") == 0; print("delete ok, bucket empty")
s3.delete_bucket(Bucket=b); print("delete_bucket ok")
assert b not in [x["Name"] for x in s3.list_buckets()["Buckets"]]
n = int(sys.argv[1]) if len(sys.argv) > 1 else 0
if n:
    import time
    s3.create_bucket(Bucket="warm")
    t = time.monotonic()
    for i in range(n):
        s3.put_object(Bucket="warm", Key=f"k{i:06d}", Body=body)
    dt = time.monotonic() - t
    print(f"{n} sequential 4 KiB PUTs in {dt:.1f}s ({n/dt:.0f}/s)")
print("smoke ok")
