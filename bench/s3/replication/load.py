"""Writes 4 KiB objects to the source bucket for bench/s3/replication.sh.

usage: load.py ENDPOINT BUCKET COUNT THREADS [RATE]
Without RATE, as fast as THREADS clients can; with RATE, that many PUTs a second in total.
Prints the number written and the seconds it took.
"""
import os, sys, threading, time
import boto3
from botocore.config import Config

endpoint, bucket, count, threads = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
rate = float(sys.argv[5]) if len(sys.argv) > 5 else 0.0
body = os.urandom(4096)
lock = threading.Lock()
next_index = [0]
started = time.monotonic()


def worker():
    s3 = boto3.client("s3", endpoint_url=endpoint, region_name="eu-west-1",
                      config=Config(retries={"max_attempts": 1}, max_pool_connections=threads))
    while True:
        with lock:
            index = next_index[0]
            if index >= count:
                return
            next_index[0] += 1
        if rate:
            # Paced: PUT number i is due at started + i / rate.
            delay = started + index / rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
        s3.put_object(Bucket=bucket, Key="obj/%07d" % index, Body=body)


pool = [threading.Thread(target=worker) for _ in range(threads)]
for t in pool:
    t.start()
for t in pool:
    t.join()
print("%d %.3f" % (count, time.monotonic() - started))
