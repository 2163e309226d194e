"""Seeds usage, budgets and alarms, then times the Cost Explorer, Budgets and Alarms pages on loopback,
one request at a time: ROUNDS of each, median and p90 in ms."""
import datetime
import html
import http.cookiejar
import json
import re
import sqlite3
import statistics
import sys
import time
import urllib.parse
import urllib.request

import boto3

endpoint, account, database = sys.argv[1], sys.argv[2], sys.argv[3]
days, budgets, alarms, rounds = (int(a) for a in sys.argv[4:8])

iam = boto3.client("iam", endpoint_url=endpoint)
iam.create_user(UserName="bench-admin")
iam.attach_user_policy(UserName="bench-admin", PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
iam.create_login_profile(UserName="bench-admin", Password="Bench-Console-2026!", PasswordResetRequired=False)

# Every hour of DAYS days before today: 12 usage types of 4 services, each under 3 values of the tag "team".
usage = [
    ("Amazon Simple Storage Service", t) for t in ("TimedStorage-ByteHrs", "Requests-Tier1", "Requests-Tier2", "DataTransfer-Out-Bytes")
] + [
    ("AWS Key Management Service", t) for t in ("KMS-Keys", "KMS-Requests")
] + [
    ("AmazonCloudWatch", t) for t in ("CW:MetricMonitorUsage", "CW:AlarmMonitorUsage", "CW:Requests", "TimedStorage-ByteHrs")
] + [
    ("Amazon Simple Notification Service", t) for t in ("Requests-Tier1", "DeliveryAttempts-HTTP")
]
today = datetime.datetime.now(datetime.timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
first = int((today - datetime.timedelta(days=days)).timestamp())
started = time.time()
with sqlite3.connect(database, timeout=30) as db:
    db.executemany(
        "INSERT INTO usage_hourly (account_id, region, service, usage_type, tags, hour, quantity) VALUES (?, 'us-east-1', ?, ?, ?, ?, ?)",
        ((account, service, kind, json.dumps({"team": team}), first + 3600 * h, 1.0 + (h % 7))
         for h in range(days * 24) for service, kind in usage for team in ("red", "green", "blue")))
print(f"seeded {days * 24 * len(usage) * 3} usage rows in {time.time() - started:.1f} s")

budgets_api = boto3.client("budgets", endpoint_url=endpoint)
for i in range(budgets):
    budgets_api.create_budget(AccountId=account, Budget={"BudgetName": f"budget-{i:03d}", "BudgetType": "COST", "TimeUnit": "MONTHLY",
                                                         "BudgetLimit": {"Amount": str(100 + i), "Unit": "USD"}},
                              NotificationsWithSubscribers=[{"Notification": {"NotificationType": "ACTUAL", "ComparisonOperator": "GREATER_THAN", "Threshold": 80, "ThresholdType": "PERCENTAGE"},
                                                             "Subscribers": [{"SubscriptionType": "EMAIL", "Address": f"owner-{i}@example.com"}]}])
cloudwatch = boto3.client("cloudwatch", endpoint_url=endpoint)
for i in range(alarms):
    cloudwatch.put_metric_alarm(AlarmName=f"alarm-{i:03d}", Namespace="Bench", MetricName=f"Metric{i}", Statistic="Sum", Period=300,
                                EvaluationPeriods=1, Threshold=float(i), ComparisonOperator="GreaterThanThreshold")


def sign_in():
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    page = opener.open(f"{endpoint}/console/signin?account={account}").read().decode()
    token = html.unescape(re.search(r'name="__RequestVerificationToken" value="([^"]+)"', page).group(1))
    form = urllib.parse.urlencode({"__RequestVerificationToken": token, "account": account, "username": "bench-admin", "password": "Bench-Console-2026!"}).encode()
    assert "Console home" in opener.open(f"{endpoint}/console/signin", form).read().decode()
    return opener


def timed(action):
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.9) - 1]


signed = sign_in()


def fetch(path, expect):
    def run():
        body = signed.open(endpoint + path).read().decode()
        assert expect in body, (path, body[:600])
    return run


def day(offset):
    return (today + datetime.timedelta(days=offset)).strftime("%Y-%m-%d")


month = f"start={day(-30)}&end={day(0)}"
rows = [
    (f"Cost Explorer, 30 days daily by SERVICE", fetch(f"/console/costs?{month}&granularity=DAILY&group=SERVICE", "<svg")),
    (f"Cost Explorer, 30 days daily by TAG team", fetch(f"/console/costs?{month}&granularity=DAILY&group=TAG&tag=team", "team$red")),
    (f"Cost Explorer, {days} days monthly by USAGE_TYPE, SERVICE filter", fetch(f"/console/costs?start={day(-days)}&end={day(0)}&granularity=MONTHLY&group=USAGE_TYPE&filter=SERVICE&values=AmazonCloudWatch", "CW:Requests")),
    (f"Budgets, {budgets} budgets with a notification each", fetch("/console/budgets", f"budget-{budgets - 1:03d}")),
    (f"Alarms, {alarms} alarms (first page of 100)", fetch("/console/alarms", f"alarm-{min(alarms, 100) - 1:03d}")),
]
# The operations behind the first and the budgets rows, through the API (boto3, its own overhead included), to tell the page's share.
ce = boto3.client("ce", endpoint_url=endpoint)
rows.insert(1, ("  the API alone: GetCostAndUsage of the row above", lambda: ce.get_cost_and_usage(
    TimePeriod={"Start": day(-30), "End": day(0)}, Granularity="DAILY", Metrics=["UnblendedCost"], GroupBy=[{"Type": "DIMENSION", "Key": "SERVICE"}])))
rows.insert(5, ("  the API alone: DescribeBudgets", lambda: budgets_api.describe_budgets(AccountId=account)))
print(f"{'page':<58} {'median ms':>10} {'p90 ms':>8}")
for name, action in rows:
    action()  # once to warm the path
    median, p90 = timed(action)
    print(f"{name:<58} {median:>10.1f} {p90:>8.1f}")
