#!/usr/bin/env python3
"""Usage per account over the last N days, from hpc-accounting's GraphQL API, as a table.

    export HPC_ACCOUNTING_URL=http://localhost:3000 HPC_ACCOUNTING_TOKEN=hpcat_...
    python3 examples/query_api.py 30                   # last 30 days, one row per account and week
    python3 examples/query_api.py 400 --bucket MONTH   # per month
    python3 examples/query_api.py 7 --to 2026-11-27T00:00:00Z --tz Asia/Bangkok

Python 3.9+ standard library only. Exits 1 with the server's message when the API answers an error,
2 on a usage or configuration mistake.
"""

import argparse
import json
import os
import sys
import urllib.error
import urllib.request
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

QUERY = """
query Usage($from: DateTime!, $to: DateTime!, $bucket: SeriesBucket, $timeZone: String) {
  usageSeries(from: $from, to: $to, bucket: $bucket, groupBy: [account], timeZone: $timeZone) {
    time
    account
    jobs
    cpuHours
    gpuHours
    cost
  }
}
"""


class ApiError(Exception):
    pass


def graphql(url, token, query, variables):
    """POST one operation; the rows of `data`, or ApiError with the server's messages."""
    request = urllib.request.Request(
        url.rstrip("/") + "/graphql",
        data=json.dumps({"query": query, "variables": variables}).encode("utf-8"),
        headers={
            "Content-Type": "application/json",
            # With application/json the server answers request errors with 200 and an `errors` array.
            "Accept": "application/json",
            "Authorization": "Bearer " + token,
            "User-Agent": "hpc-accounting-example/1",
        },
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            body = json.load(response)
    except urllib.error.HTTPError as e:
        # 401 (a bad token) and other refusals still carry a JSON body with the reason.
        raise ApiError("HTTP {}: {}".format(e.code, message_of(e.read()) or e.reason)) from None
    except urllib.error.URLError as e:
        raise ApiError("cannot reach {}: {}".format(url, e.reason)) from None
    if body.get("errors"):
        raise ApiError("; ".join(describe(err) for err in body["errors"]))
    return body["data"]


def describe(error):
    code = (error.get("extensions") or {}).get("code")
    return "{} ({})".format(error.get("message"), code) if code else str(error.get("message"))


def message_of(raw):
    try:
        body = json.loads(raw.decode("utf-8"))
    except ValueError:
        return raw.decode("utf-8", "replace").strip()[:300]
    if body.get("errors"):
        return "; ".join(describe(err) for err in body["errors"])
    # The plain routes answer { ok: false, code, message }.
    return "{} ({})".format(body.get("message"), body.get("code")) if body.get("message") else json.dumps(body)


def instant(text):
    """An ISO 8601 instant (a trailing Z is fine), or a date taken as UTC midnight."""
    try:
        t = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError("not an ISO 8601 date or instant: {!r}".format(text))
    return t if t.tzinfo else t.replace(tzinfo=timezone.utc)


def bucket_start(text, zone):
    """The start of a bucket: local to --tz when given, else the UTC instant the server answered."""
    t = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return t.astimezone(zone).strftime("%Y-%m-%d %H:%M") if zone else t.strftime("%Y-%m-%dT%H:%MZ")


def main(argv=None):
    parser = argparse.ArgumentParser(description="Usage per account over the last N days.")
    parser.add_argument("days", type=int, nargs="?", default=30, help="how many days back (default 30)")
    parser.add_argument("--bucket", choices=["HOUR", "DAY", "WEEK", "MONTH", "QUARTER", "YEAR"],
                        help="calendar bucket in the server's TIME_ZONE (default: DAY up to 14 days, WEEK up to 120, else MONTH)")
    parser.add_argument("--to", type=instant, help="end of the window (default: now)")
    parser.add_argument("--tz", help="IANA time zone of the buckets, e.g. Asia/Bangkok (default: the server's TIME_ZONE)")
    args = parser.parse_args(argv)

    url = os.environ.get("HPC_ACCOUNTING_URL")
    token = os.environ.get("HPC_ACCOUNTING_TOKEN")
    if not url or not token:
        print("error: set HPC_ACCOUNTING_URL (e.g. http://localhost:3000) and HPC_ACCOUNTING_TOKEN (an API token)", file=sys.stderr)
        return 2
    if args.days < 1:
        print("error: days must be at least 1", file=sys.stderr)
        return 2

    try:
        zone = ZoneInfo(args.tz) if args.tz else None
    except (ZoneInfoNotFoundError, ValueError):
        print("error: unknown time zone {!r}".format(args.tz), file=sys.stderr)
        return 2

    to = args.to or datetime.now(timezone.utc).replace(microsecond=0)
    start = to - timedelta(days=args.days)
    bucket = args.bucket or ("DAY" if args.days <= 14 else "WEEK" if args.days <= 120 else "MONTH")
    variables = {
        "from": start.isoformat().replace("+00:00", "Z"),
        "to": to.isoformat().replace("+00:00", "Z"),
        "bucket": bucket,
        "timeZone": args.tz,
    }
    try:
        rows = graphql(url, token, QUERY, variables)["usageSeries"]
    except ApiError as e:
        print("error: {}".format(e), file=sys.stderr)
        return 1

    print("Usage per account and {} from {} to {}".format(bucket.lower(), variables["from"], variables["to"]))
    header = ("bucket start", "account", "jobs", "CPU-hours", "GPU-hours", "cost (THB)")
    table = [
        (bucket_start(r["time"], zone), r["account"] or "(none)", str(r["jobs"]),
         "{:.1f}".format(r["cpuHours"]), "{:.1f}".format(r["gpuHours"]), r["cost"])
        for r in rows
    ]
    widths = [max(len(cell) for cell in column) for column in zip(header, *table)]
    line = lambda cells: "  ".join(c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths)))
    print(line(header))
    print(line(["-" * w for w in widths]))
    for cells in table:
        print(line(cells))
    if not table:
        print("(no finished jobs in this window)")
    print("{} rows, {} jobs, {:.1f} CPU-hours".format(len(rows), sum(r["jobs"] for r in rows), sum(r["cpuHours"] for r in rows)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
