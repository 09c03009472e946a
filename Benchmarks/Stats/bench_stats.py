#!/usr/bin/env python3
"""Stats and dashboard latency over a large call log (not run by CI).

Fills a SQLite database with N synthetic calls by direct SQL bulk insert, has `concord migrate` build the
hourly rollups from them with the production backfill SQL, then starts `concord serve` on it and times
`GET /api/llm/stats` and the dashboard overview over HTTP (median and p95 of repeated requests).

    python3 Benchmarks/Stats/bench_stats.py --calls 1000000 [--calls 10000000] [--concord .build/release/concord]

The synthetic traffic spans 30 days: 8 models (2 unpriced), 12 agents, 40 users (each user works through two
agents and three models), 3% errors, log-normal latencies. The database is kept (--keep) for re-runs with --reuse.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import uuid
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ADMIN_KEY = "bench-admin-key"
MODELS = [("gpt-4o", "openai", 2.5, 10), ("gpt-4o-mini", "openai", 0.15, 0.6), ("claude-sonnet-4", "anthropic", 3, 15),
          ("claude-haiku", "anthropic", 0.8, 4), ("o3-mini", "openai", 1.1, 4.4), ("gemini-flash", "openai", 0.1, 0.4),
          ("local-llama", "openai", None, None), ("mock/demo", "mock", None, None)]
AGENTS = [f"agent-{i}" for i in range(12)]
USERS = [f"user-{i:02d}" for i in range(40)]
DAYS = 30


def run(*args: str, env=None) -> None:
    subprocess.run(args, check=True, env=env, stdout=subprocess.DEVNULL)


def fill(path: Path, calls: int, concord: str) -> None:
    url = f"sqlite://{path}"
    run(concord, "migrate", "--database", url)
    db = sqlite3.connect(path)
    db.executescript("PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; PRAGMA cache_size=-262144;")
    # Bulk load without the rollups or indexes in the way; the indexes are rebuilt, the rollups backfilled.
    indexes = db.execute("SELECT name, sql FROM sqlite_master WHERE type='index' AND tbl_name='llm_call_logs' AND sql IS NOT NULL").fetchall()
    for name, _ in indexes:
        db.execute(f"DROP INDEX {name}")
    columns = ("id, trace_id, parent_call_id, model, provider, caller_type, caller_name, user_id, system_prompt, "
               "user_message, messages_count, response_content, finish_reason, prompt_tokens, completion_tokens, "
               "total_tokens, latency_ms, status, error_message, created_at, cost_usd, is_stream, ttft_ms, tool_calls")
    # Rows are generated inside SQLite (a recursive CTE), which is far faster than binding them from Python.
    db.execute("CREATE TEMP TABLE bench_models (idx INTEGER, model TEXT, provider TEXT, pin REAL, pout REAL)")
    db.executemany("INSERT INTO bench_models VALUES (?, ?, ?, ?, ?)", [(i, *m) for i, m in enumerate(MODELS)])
    end = time.time()
    start = end - DAYS * 86400
    began = time.monotonic()
    chunk = 1_000_000
    for offset in range(0, calls, chunk):
        count = min(chunk, calls - offset)
        db.execute(
            f"""
            WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i < {count - 1}),
            r AS MATERIALIZED (SELECT i + {offset} AS i, abs(random()) % {len(USERS)} AS u, abs(random()) % 3 AS m2, abs(random()) % 2 AS a2,
                         abs(random()) % 100 AS e, 20 + abs(random()) % 3980 AS p, 5 + abs(random()) % 1495 AS c,
                         abs(random()) % 1000 AS lr, abs(random()) % 10 AS s FROM seq)
            INSERT INTO llm_call_logs ({columns})
            SELECT lower(hex(randomblob(16))), lower(hex(randomblob(16))), NULL, m.model, m.provider, 'agent',
                   'agent-' || ((r.u + r.a2) % {len(AGENTS)}), printf('user-%02d', r.u), NULL, 'hi', 1,
                   CASE WHEN r.e < 3 THEN NULL ELSE 'ok' END, CASE WHEN r.e < 3 THEN NULL ELSE 'stop' END,
                   r.p, CASE WHEN r.e < 3 THEN 0 ELSE r.c END, r.p + CASE WHEN r.e < 3 THEN 0 ELSE r.c END,
                   50 + r.lr * r.lr * r.lr / 50000, CASE WHEN r.e < 3 THEN 'error' ELSE 'success' END,
                   CASE WHEN r.e < 3 THEN 'upstream returned 500' ELSE NULL END,
                   {start} + {end - start} * r.i / {calls},
                   CASE WHEN r.e < 3 OR m.pin IS NULL THEN NULL ELSE (r.p * m.pin + r.c * m.pout) / 1e6 END,
                   r.s < 4, CASE WHEN r.s < 4 THEN (50 + r.lr * r.lr * r.lr / 50000) / 3 ELSE NULL END, NULL
            FROM r JOIN bench_models m ON m.idx = (r.u + r.m2) % {len(MODELS)}
            """
        )
        db.commit()
    print(f"  inserted {calls:,} calls in {time.monotonic() - began:.0f} s", flush=True)
    began = time.monotonic()
    for _, sql in indexes:
        db.execute(sql)
    # Have the real migration build the rollups from the rows (the production backfill SQL).
    for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type='table' AND name LIKE 'llm_usage_%'").fetchall():
        db.execute(f"DROP TABLE {table}")
    db.execute("DELETE FROM concord_migrations WHERE version >= 5")
    db.commit()
    db.close()
    run(concord, "migrate", "--database", url)
    check = sqlite3.connect(path)
    hourly = check.execute("SELECT COUNT(*) FROM llm_usage_hourly").fetchone()[0]
    daily = check.execute("SELECT COUNT(*) FROM llm_usage_daily").fetchone()[0]
    print(f"  indexes + rollups ({hourly:,} hourly and {daily:,} daily rollup rows) in {time.monotonic() - began:.0f} s", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def timed(opener, url: str, repeat: int) -> tuple[float, float]:
    for _ in range(2):
        opener.open(url).read()
    samples = []
    for _ in range(repeat):
        began = time.perf_counter()
        with opener.open(url) as response:
            response.read()
            assert response.status == 200, url
        samples.append((time.perf_counter() - began) * 1000)
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(len(samples) * 0.95))]


def measure(path: Path, concord: str, repeat: int) -> list[tuple[str, float, float]]:
    port = free_port()
    env = dict(os.environ, CONCORD_ADMIN_KEY=ADMIN_KEY)
    server = subprocess.Popen([concord, "serve", "--port", str(port), "--database", f"sqlite://{path}"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(base + "/health").read()
                break
            except OSError:
                time.sleep(0.1)
        api = urllib.request.build_opener()
        api.addheaders = [("Authorization", f"Bearer {ADMIN_KEY}")]
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        browser.open(base + "/dashboard/login", data=urllib.parse.urlencode({"key": ADMIN_KEY}).encode()).read()
        cases = [
            ("stats totals, last 24h", "/api/llm/stats?since=24h", api),
            ("stats by model, last 24h", "/api/llm/stats?group_by=model&since=24h", api),
            ("stats by model, 30 days", "/api/llm/stats?group_by=model&since=30d", api),
            ("stats by user, 30 days", "/api/llm/stats?group_by=user&since=30d", api),
            ("stats by caller, 30 days", "/api/llm/stats?group_by=caller&since=30d", api),
            ("stats by day x model, 30 days", "/api/llm/stats?group_by=day,model&since=30d", api),
            ("stats by hour, 7 days", "/api/llm/stats?group_by=hour&since=7d", api),
            ("stats one user by model, 30 days", "/api/llm/stats?group_by=model&user=user-07&since=30d", api),
            ("stats by user x model, 30 days", "/api/llm/stats?group_by=user,model&since=30d", api),
            ("stats by hour x model, 7 days", "/api/llm/stats?group_by=hour,model&since=7d", api),
            ("dashboard overview, 24h", "/dashboard?range=24h", browser),
            ("dashboard overview, 7d", "/dashboard?range=7d", browser),
            ("dashboard overview, 30d", "/dashboard?range=30d", browser),
            ("dashboard overview, 30d, one model", "/dashboard?range=30d&model=gpt-4o", browser),
            ("dashboard calls page (50 newest)", "/dashboard/logs", browser),
        ]
        return [(name, *timed(opener, base + path_, repeat)) for name, path_, opener in cases]
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, action="append", help="log size (repeatable); default 1,000,000")
    parser.add_argument("--concord", default=str(ROOT / ".build/release/concord"))
    parser.add_argument("--dir", default=tempfile.gettempdir())
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--reuse", action="store_true", help="reuse an existing database of that size")
    arguments = parser.parse_args()
    print(f"command: {' '.join([sys.argv[0]] + sys.argv[1:])}")
    print(f"binary: {arguments.concord}; {os.cpu_count()} cores")
    results = {}
    for calls in arguments.calls or [1_000_000]:
        path = Path(arguments.dir) / f"concord-stats-bench-{calls}.sqlite"
        if not (arguments.reuse and path.exists()):
            for suffix in ("", "-wal", "-shm", ".spool"):
                Path(str(path) + suffix).unlink(missing_ok=True)
            print(f"filling {path} with {calls:,} calls", flush=True)
            fill(path, calls, arguments.concord)
        rows = measure(path, arguments.concord, arguments.repeat)
        results[calls] = rows
        print(f"\n{calls:,} calls — median / p95 of {arguments.repeat} requests, ms (HTTP included)")
        for name, median, p95 in rows:
            print(f"  {name:<36} {median:8.1f} {p95:8.1f}")
    print("\n" + json.dumps({str(k): {n: {"median_ms": round(m, 2), "p95_ms": round(p, 2)} for n, m, p in v}
                             for k, v in results.items()}))


if __name__ == "__main__":
    main()
