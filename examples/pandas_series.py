#!/usr/bin/env python3
"""hpc-accounting in pandas: a usage series as a DataFrame, and the usage CSV export.

    pip install pandas            # or: apt install python3-pandas
    export HPC_ACCOUNTING_URL=http://localhost:3000 HPC_ACCOUNTING_TOKEN=hpcat_...
    python3 examples/pandas_series.py [DAYS]

The series is one flat row per month and account (`time` RFC 3339 UTC, measures as numbers, `cost` an
exact decimal string). `/export/usage.csv` needs a staff token; with a user's token this reads
`/export/my.csv`, your own jobs, instead.
"""

import io
import json
import os
import sys
import urllib.error
import urllib.request
from datetime import datetime, timedelta, timezone
from decimal import Decimal

try:
    import pandas as pd
except ImportError:
    sys.exit("this example needs pandas: pip install pandas (or apt install python3-pandas)")

URL = os.environ.get("HPC_ACCOUNTING_URL", "http://localhost:3000").rstrip("/")
TOKEN = os.environ.get("HPC_ACCOUNTING_TOKEN", "")

SERIES = """
query Series($from: DateTime!, $to: DateTime!) {
  usageSeries(from: $from, to: $to, bucket: MONTH, groupBy: [account], fillZeros: true) {
    time account jobs cpuHours gpuHours memGBHours elapsedHours cost costValue
  }
}
"""

NUMBERS = ["jobs", "cpuHours", "gpuHours", "memGBHours", "elapsedHours", "costValue"]
# The columns of /export/usage.csv and /export/my.csv that hold instants and numbers.
CSV_TIMES = ["start (UTC)", "end (UTC)"]
CSV_NUMBERS = ["elapsed (s)", "CPUs", "GPUs", "memory (MiB)", "CPU-hours", "GPU-hours", "memory GB-hours", "cost (THB)"]


def get(path, body=None):
    request = urllib.request.Request(
        URL + path,
        data=None if body is None else json.dumps(body).encode("utf-8"),
        headers={"Authorization": "Bearer " + TOKEN, "Content-Type": "application/json", "Accept": "application/json"},
        method="GET" if body is None else "POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.read()
    except urllib.error.HTTPError as e:
        sys.exit("error: HTTP {} from {}: {}".format(e.code, path, e.read().decode("utf-8", "replace")[:300]))


def series(days):
    to = datetime.now(timezone.utc)
    variables = {"from": (to - timedelta(days=days)).isoformat(), "to": to.isoformat()}
    body = json.loads(get("/graphql", {"query": SERIES, "variables": variables}))
    if body.get("errors"):
        sys.exit("error: " + "; ".join(e["message"] for e in body["errors"]))
    df = pd.DataFrame(body["data"]["usageSeries"])
    if df.empty:
        return df
    df["time"] = pd.to_datetime(df["time"], utc=True)
    df[NUMBERS] = df[NUMBERS].apply(pd.to_numeric)
    # costValue is for plotting; sum money exactly from the decimal strings.
    df["cost"] = df["cost"].map(Decimal)
    df["account"] = df["account"].fillna("(none)")
    return df


def export():
    staff = get("/graphql", {"query": "{ viewer { role } }"})
    role = (json.loads(staff).get("data") or {}).get("viewer") or {}
    path = "/export/usage.csv" if role.get("role") in ("operator", "admin") else "/export/my.csv"
    # UTF-8 with a byte-order mark (so spreadsheets read Thai job names): utf-8-sig drops it.
    jobs = pd.read_csv(io.BytesIO(get(path)), encoding="utf-8-sig", parse_dates=CSV_TIMES)
    jobs[CSV_NUMBERS] = jobs[CSV_NUMBERS].apply(pd.to_numeric)
    return path, jobs


def main():
    if not TOKEN:
        sys.exit("error: set HPC_ACCOUNTING_TOKEN to an API token (and HPC_ACCOUNTING_URL)")
    days = int(sys.argv[1]) if len(sys.argv) > 1 else 365

    df = series(days)
    print("usageSeries, last {} days: {} rows".format(days, len(df)))
    if not df.empty:
        wide = df.pivot_table(index="time", columns="account", values="cpuHours", aggfunc="sum")
        print(wide.round(1).to_string())
        print("total cost (THB):", sum(df["cost"], Decimal("0")))

    path, jobs = export()
    print("\n{}: {} jobs".format(path, len(jobs)))
    if not jobs.empty:
        by_user = jobs.groupby("user")[["CPU-hours", "GPU-hours", "cost (THB)"]].sum()
        print(by_user.sort_values("CPU-hours", ascending=False).round(2).to_string())


if __name__ == "__main__":
    main()
