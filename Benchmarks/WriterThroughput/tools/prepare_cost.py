#!/usr/bin/env python3
"""What SQLite spends compiling each statement of a writer's batch: sqlite3_prepare_v2 + sqlite3_finalize of every
statement, repeated, through the system SQLite (ctypes), against a database made by `concord migrate`. sqlite-nio
prepares every statement it runs anew, so this is paid once per statement per batch, whatever the batch's size.

Capture the statements a batch runs (one per line, prefixed `SQL: `) from the writer's harness with gdb:

    cat > /tmp/prepare.gdb <<'EOF'
    set pagination off
    set print elements 0
    break sqlite_nio_sqlite3_prepare_v3
    commands
    silent
    printf "SQL: %s\\n", (char*)$rsi
    continue
    end
    run
    EOF
    USERS=1 BATCH=10 gdb -batch -x /tmp/prepare.gdb --args \\
        Benchmarks/WriterThroughput/.build/release/WriterThroughput --direct --records 10 \\
        | grep '^SQL' | tail -12 > /tmp/batch-statements.txt
    concord migrate --database sqlite:///tmp/prepare-template.sqlite
    python3 Benchmarks/WriterThroughput/tools/prepare_cost.py /tmp/prepare-template.sqlite /tmp/batch-statements.txt
"""
import argparse
import ctypes
import time

SQLITE_OPEN_READWRITE = 2


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("database")
    parser.add_argument("statements", help="a file of `SQL: <statement>` lines")
    parser.add_argument("--repeat", type=int, default=500)
    args = parser.parse_args()
    sqlite = ctypes.CDLL("libsqlite3.so.0")
    sqlite.sqlite3_errmsg.restype = ctypes.c_char_p
    database = ctypes.c_void_p()
    if sqlite.sqlite3_open_v2(args.database.encode(), ctypes.byref(database), SQLITE_OPEN_READWRITE, None):
        raise SystemExit(f"cannot open {args.database}")
    statements = [line[len("SQL: "):].rstrip("\n") for line in open(args.statements) if line.startswith("SQL: ")]
    total = 0.0
    for sql in statements:
        text, handle = sql.encode(), ctypes.c_void_p()
        started = time.perf_counter()
        for _ in range(args.repeat):
            if sqlite.sqlite3_prepare_v2(database, text, len(text), ctypes.byref(handle), None):
                raise SystemExit(f"{sqlite.sqlite3_errmsg(database).decode()}: {sql[:80]}")
            sqlite.sqlite3_finalize(handle)
        micros = (time.perf_counter() - started) / args.repeat * 1e6
        total += micros
        print(f"{micros:8.1f} µs  {sql[:90]}")
    print(f"{total:8.1f} µs  per batch, compiling its {len(statements)} statements")


if __name__ == "__main__":
    main()
