"""Seeds a running Cloudkeep to a given size and measures single-client latencies (bench/nodes/scale.sh).

One user, one bucket and one small object are made through the API; the store's own rows for them are
then copied by SQL (users 'scale-0000001'..., keys 'k0000001'...), so every row is one the server wrote,
only renamed. Latencies are what boto3 sees (its own overhead included), one request at a time.
"""
import json, os, random, sqlite3, statistics, subprocess, sys, time

import boto3
from botocore.config import Config

endpoint, engine, store, users, objects, samples = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
config = Config(retries={'max_attempts': 1}, s3={'addressing_style': 'path'})
iam = boto3.client('iam', endpoint_url=endpoint, region_name='us-east-1', config=config)
s3 = boto3.client('s3', endpoint_url=endpoint, region_name='eu-west-1', config=config)

seed = iam.create_user(UserName='scale-seed')['User']
s3.create_bucket(Bucket='scale', CreateBucketConfiguration={'LocationConstraint': 'eu-west-1'})
s3.put_object(Bucket='scale', Key='seed', Body=b'x' * 100)


def run_sql(sql):
    if engine == 'sqlite':
        connection = sqlite3.connect(store, timeout=60)
        connection.executescript(sql)
        connection.commit()
        connection.close()
    else:
        subprocess.run(['psql', '-q', '-v', 'ON_ERROR_STOP=1', store, '-c', sql], check=True)


def columns(table):
    if engine == 'sqlite':
        connection = sqlite3.connect(store)
        names = [row[1] for row in connection.execute(f"SELECT * FROM pragma_table_info('{table}')")]
        connection.close()
        return names
    out = subprocess.run(['psql', '-At', store, '-c', f"SELECT column_name FROM information_schema.columns WHERE table_name = '{table}' ORDER BY ordinal_position"],
                         check=True, capture_output=True, text=True).stdout
    return out.split()


def series(count):
    if engine == 'sqlite':
        return f"(WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {count}) SELECT i FROM n) AS n"
    return f"generate_series(1, {count}) AS n(i)"


def padded(width):
    return f"printf('%0{width}d', n.i)" if engine == 'sqlite' else f"lpad(n.i::text, {width}, '0')"


started = time.time()
uid = seed['UserId']
user_cols = columns('iam_entities')
replaced = {
    'name_key': f"'SCALE-' || {padded(7)}",
    'entity_id': f"substr('{uid}', 1, 14) || {padded(7)}",
    'body': f"replace(replace(body, 'scale-seed', 'scale-' || {padded(7)}), '{uid}', substr('{uid}', 1, 14) || {padded(7)})",
}
run_sql(f"INSERT INTO iam_entities ({', '.join(user_cols)}) SELECT {', '.join(replaced.get(c, c) for c in user_cols)} "
        f"FROM iam_entities, {series(users)} WHERE kind = 'user' AND name_key = 'SCALE-SEED'")
object_cols = columns('s3_objects')
object_replaced = {'object_key': "'k' || " + padded(7)}
run_sql(f"INSERT INTO s3_objects ({', '.join(object_cols)}) SELECT {', '.join(object_replaced.get(c, c) for c in object_cols)} "
        f"FROM s3_objects, {series(objects)} WHERE bucket = 'scale' AND object_key = 'seed'")
if engine == 'postgres':
    run_sql('ANALYZE')
seeded = time.time() - started


def measure(name, call):
    for _ in range(min(50, samples)):
        call()
    times = []
    for _ in range(samples):
        t = time.perf_counter()
        call()
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return {'operation': name, 'p50': statistics.median(times), 'p99': times[int(len(times) * 0.99) - 1]}


first_users = iam.list_users(MaxItems=100)
assert len(first_users['Users']) == 100, 'ListUsers did not page'
marker = first_users['Marker']
results = [
    measure('GetUser (random of %d)' % users, lambda: iam.get_user(UserName='scale-%07d' % random.randint(1, users))),
    measure('ListUsers, first page of 100', lambda: iam.list_users(MaxItems=100)),
    measure('ListUsers, second page of 100', lambda: iam.list_users(MaxItems=100, Marker=marker)),
    measure('HeadObject (random of %d)' % objects, lambda: s3.head_object(Bucket='scale', Key='k%07d' % random.randint(1, objects))),
    measure('ListObjectsV2, page of 1,000 from a random key', lambda: s3.list_objects_v2(Bucket='scale', StartAfter='k%07d' % random.randint(1, objects - 1000))),
]
print(json.dumps({'engine': engine, 'seed_seconds': round(seeded, 1), 'results': results}))
