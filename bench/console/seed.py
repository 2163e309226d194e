"""Seeds the console benchmark's estate through the API: USERS IAM users, KEYS empty objects under
browse/ in one bucket, and the console user `bench-admin` (AdministratorAccess, a password)."""
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import boto3
from botocore.config import Config

endpoint, users, keys = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
config = Config(max_pool_connections=32, retries={"max_attempts": 10, "mode": "standard"})
iam = boto3.client("iam", endpoint_url=endpoint, config=config)
s3 = boto3.client("s3", endpoint_url=endpoint, config=config)

iam.create_user(UserName="bench-admin")
iam.attach_user_policy(UserName="bench-admin", PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
iam.create_login_profile(UserName="bench-admin", Password="Bench-Console-2026!", PasswordResetRequired=False)
s3.create_bucket(Bucket="browse-bench", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})

started = time.time()
with ThreadPoolExecutor(16) as pool:
    list(pool.map(lambda i: iam.create_user(UserName=f"user-{i:05d}"), range(users)))
print(f"seeded {users} users in {time.time() - started:.1f} s")
started = time.time()
with ThreadPoolExecutor(16) as pool:
    list(pool.map(lambda i: s3.put_object(Bucket="browse-bench", Key=f"browse/doc-{i:06d}.pdf", Body=b""), range(keys)))
print(f"seeded {keys} keys in {time.time() - started:.1f} s")
