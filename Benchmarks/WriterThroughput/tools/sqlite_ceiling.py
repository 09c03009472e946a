#!/usr/bin/env python3
"""What SQLite itself can take on this machine: the writer's rows inserted with one prepared statement
(Python's sqlite3, `executemany`), 5,000 rows per transaction, into a database made by `concord migrate`, with
the gateway's pragmas. No rollups, no counters, no Swift: the ceiling the writer's rows/s is compared with.

    concord migrate --database sqlite:///tmp/ceiling-template.sqlite
    python3 Benchmarks/WriterThroughput/tools/sqlite_ceiling.py /tmp/ceiling-template.sqlite [--rows N]
        [--without-indexes] [--without-checkpoints]
"""
import argparse
import os
import shutil
import sqlite3
import tempfile
import time
import uuid

COLUMNS = ("id,trace_id,parent_call_id,model,provider,caller_type,caller_name,user_id,system_prompt,user_message,"
           "messages_count,response_content,finish_reason,prompt_tokens,completion_tokens,total_tokens,latency_ms,"
           "status,error_message,created_at,cost_usd,is_stream,ttft_ms,tool_calls").split(",")
INDEXES = ["llm_call_logs_created_at", "llm_call_logs_model_created_at", "llm_call_logs_user_created_at",
           "llm_call_logs_caller_created_at", "llm_call_logs_trace"]
MODELS = [("mock/echo", "mock"), ("claude-sonnet-4", "anthropic"), ("openai/gpt-4o-mini", "openai")]


def time_ordered_id():
    hexed = f"{int(time.time() * 1000):012x}7" + uuid.uuid4().hex[13:]
    return f"{hexed[:8]}-{hexed[8:12]}-{hexed[12:16]}-{hexed[16:20]}-{hexed[20:32]}"


def rows(count):
    start = time.time()
    for index in range(count):
        model, provider = MODELS[index % 3]
        yield (time_ordered_id(), time_ordered_id().replace("-", ""), None, model, provider, "api",
               "/v1/chat/completions", f"user-{index % 50}", "You are a helpful assistant.",
               "Summarise the following paragraph in one sentence, please: lorem ipsum dolor sit amet.", 2,
               "A short summary of the paragraph, as asked, in one sentence.", "stop", 40 + index % 100, 12,
               52 + index % 100, 230, "success", None, start + index / 1e6, 0.00012, index % 2 == 0,
               80 if index % 2 == 0 else None, None)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("template")
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--without-indexes", action="store_true")
    parser.add_argument("--without-checkpoints", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "ceiling.sqlite")
        shutil.copy(args.template, path)
        db = sqlite3.connect(path, isolation_level=None)
        for pragma in ("journal_mode = WAL", "synchronous = NORMAL", "cache_size = -65536", "temp_store = MEMORY",
                       f"wal_autocheckpoint = {0 if args.without_checkpoints else 8192}"):
            db.execute(f"PRAGMA {pragma}")
        if args.without_indexes:
            for index in INDEXES:
                db.execute(f"DROP INDEX {index}")
        data = list(rows(args.rows))
        statement = (f"INSERT INTO llm_call_logs ({','.join(COLUMNS)}) VALUES ({','.join('?' * len(COLUMNS))}) "
                     "ON CONFLICT (id) DO NOTHING")
        started, cpu = time.time(), time.process_time()
        for first in range(0, len(data), 5000):
            db.execute("BEGIN")
            db.executemany(statement, data[first:first + 5000])
            db.execute("COMMIT")
        elapsed = time.time() - started
        print(f"sqlite ceiling: {args.rows} rows in {elapsed:.2f} s = {args.rows / elapsed:,.0f} rows/s "
              f"({time.process_time() - cpu:.2f} CPU-s; indexes {'off' if args.without_indexes else 'on'}, "
              f"checkpoints {'off' if args.without_checkpoints else 'on'})")
        db.close()


if __name__ == "__main__":
    main()
