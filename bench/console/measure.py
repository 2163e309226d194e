"""Times console pages on loopback, one request at a time: ROUNDS of each, median and p90 in ms."""
import base64
import html
import http.cookiejar
import re
import statistics
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

endpoint, account, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])


def browser():
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))


def sign_in(opener):
    page = opener.open(f"{endpoint}/console/signin?account={account}").read().decode()
    token = html.unescape(re.search(r'name="__RequestVerificationToken" value="([^"]+)"', page).group(1))
    form = urllib.parse.urlencode({"__RequestVerificationToken": token, "account": account, "username": "bench-admin", "password": "Bench-Console-2026!"}).encode()
    try:
        home = opener.open(f"{endpoint}/console/signin", form).read().decode()
    except urllib.error.HTTPError as error:
        raise SystemExit(f"sign-in answered {error.code}: {error.read().decode()[:600]}")
    assert "Console home" in home, home[:300]


def timed(action):
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.9) - 1]


def fetch(opener, path, expect):
    def run():
        body = opener.open(endpoint + path).read().decode()
        assert expect in body, (path, body[:300])
    return run


signed = browser()
sign_in(signed)
users_page = signed.open(f"{endpoint}/console/iam/users").read().decode()
deep = re.findall(r'href="(/console/iam/users\?marker=[^"]+)"', users_page)
# ListObjectsV2's continuation token is the position it stopped at, base64: one as the "Next page" link would carry 90,000 keys in.
deep_token = base64.b64encode(b"browse/doc-090000.pdf").decode()
rows = [
    ("sign-in (signin page + POST + home)", lambda: sign_in(browser())),
    ("IAM users, first page of 50", fetch(signed, "/console/iam/users", "user-00000")),
    ("IAM users, second page (marker)", fetch(signed, deep[0].replace("&amp;", "&"), "user-000")),
    ("S3 browser, prefix browse/, first page", fetch(signed, "/console/s3/bucket?name=browse-bench&prefix=browse/", "doc-000000.pdf")),
    ("S3 browser, prefix browse/, a page 90,000 keys in", fetch(signed, "/console/s3/bucket?name=browse-bench&prefix=browse/&after=" + urllib.parse.quote(deep_token), "doc-0900")),
]
print(f"{'page':<52} {'median ms':>10} {'p90 ms':>8}")
for name, action in rows:
    action()  # once to warm the path
    median, p90 = timed(action)
    print(f"{name:<52} {median:>10.1f} {p90:>8.1f}")
