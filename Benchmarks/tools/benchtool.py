#!/usr/bin/env python3
"""Small measuring helpers for scripts/bench (standard library only, loopback only, every loop bounded).

  benchtool.py freeport
  benchtool.py coldstart --port P --key K --body JSON --log FILE -- CMD ARGS...
      starts CMD in its own process group, prints "pid=PID health_ms=.. chat_ms=.." (time from exec to the
      first 200 on GET /health, then to the first 200 on POST /v1/chat/completions) and leaves it running.
  benchtool.py wait --url-port P --path /health [--timeout S]
  benchtool.py ttfb --port P --key K --body JSON --n N
      N streamed requests one after another, each on a fresh connection; prints the median and p90 time from
      the request's last byte sent to the first response byte (headers) and to the first `data:` byte.
  benchtool.py streams --port P --key K --body JSON --n N --pid PID
      opens N streamed requests at once, samples PID's VmRSS while they are all open, reads them to the end.
  benchtool.py rss --pid PID
"""
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import time


def arg(name, default=None):
    if name in sys.argv:
        return sys.argv[sys.argv.index(name) + 1]
    return default


def request_bytes(port, key, body, path="/v1/chat/completions", close=True):
    data = body.encode()
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Bearer {key}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n"
        + ("Connection: close\r\n" if close else "")
        + "\r\n"
    )
    return head.encode() + data


def status_of(port, raw, timeout=2.0):
    """Sends raw bytes on a fresh connection; returns the status code, or None if nothing answered."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
            s.sendall(raw)
            buf = b""
            while b"\r\n" not in buf:
                chunk = s.recv(4096)
                if not chunk:
                    break
                buf += chunk
            # read to the end so the server is not cut mid-answer
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
            parts = buf.split(b" ", 2)
            return int(parts[1]) if len(parts) > 1 else None
    except OSError:
        return None


def rss_kib(pid):
    values = {}
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(("VmRSS:", "VmHWM:")):
                    name, value = line.split(":", 1)
                    values[name] = int(value.split()[0])
    except OSError:
        pass
    return values.get("VmRSS", 0), values.get("VmHWM", 0)


def cmd_freeport():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    print(s.getsockname()[1])
    s.close()


def cmd_wait():
    port = int(arg("--port"))
    path = arg("--path", "/health")
    deadline = time.monotonic() + float(arg("--timeout", "60"))
    raw = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode()
    while time.monotonic() < deadline:
        if status_of(port, raw, timeout=1.0) == 200:
            return 0
        time.sleep(0.05)
    print(f"benchtool: nothing answered 200 on 127.0.0.1:{port}{path}", file=sys.stderr)
    return 1


def cmd_coldstart():
    port = int(arg("--port"))
    key = arg("--key")
    body = arg("--body")
    log = open(arg("--log"), "ab")
    command = sys.argv[sys.argv.index("--") + 1 :]
    health_path = arg("--health-path", "/health")
    health = f"GET {health_path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode()
    chat = request_bytes(port, key, body)
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=log, stderr=log, stdin=subprocess.DEVNULL, start_new_session=True)
    health_ms = chat_ms = None
    deadline = start + float(arg("--timeout", "60"))
    while time.perf_counter() < deadline and proc.poll() is None:
        if status_of(port, health, timeout=1.0) == 200:
            health_ms = (time.perf_counter() - start) * 1000
            break
        time.sleep(0.001)
    if health_ms is not None:
        while time.perf_counter() < deadline and proc.poll() is None:
            if status_of(port, chat, timeout=5.0) == 200:
                chat_ms = (time.perf_counter() - start) * 1000
                break
            time.sleep(0.001)
    print(f"pid={proc.pid} health_ms={health_ms if health_ms is None else round(health_ms, 1)} "
          f"chat_ms={chat_ms if chat_ms is None else round(chat_ms, 1)}")
    return 0 if chat_ms is not None else 1


def one_ttfb(port, raw):
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        s.sendall(raw)
        t0 = time.perf_counter()
        first = first_data = None
        buf = b""
        while True:
            chunk = s.recv(65536)
            now = time.perf_counter()
            if not chunk:
                break
            if first is None:
                first = now
            buf += chunk
            if first_data is None and b"data:" in buf:
                first_data = now
        ok = buf.startswith(b"HTTP/1.1 200") and b"data:" in buf
        return ok, (first - t0) * 1e6, (first_data - t0) * 1e6 if first_data else None


def cmd_ttfb():
    port = int(arg("--port"))
    raw = request_bytes(port, arg("--key"), arg("--body"))
    n = int(arg("--n", "200"))
    for _ in range(min(20, n)):  # warm up connections and caches
        one_ttfb(port, raw)
    heads, datas, failures = [], [], 0
    for _ in range(n):
        ok, head, data = one_ttfb(port, raw)
        if not ok:
            failures += 1
            continue
        heads.append(head)
        datas.append(data)
    def pct(values, p):
        values = sorted(values)
        return values[min(len(values) - 1, int(len(values) * p))] if values else float("nan")
    print(f"n={len(heads)} failures={failures} head_p50_us={statistics.median(heads):.0f} "
          f"head_p90_us={pct(heads, 0.9):.0f} data_p50_us={statistics.median(datas):.0f} "
          f"data_p90_us={pct(datas, 0.9):.0f}")
    return 0 if failures == 0 else 1


async def cmd_streams_async():
    port = int(arg("--port"))
    raw = request_bytes(port, arg("--key"), arg("--body"))
    n = int(arg("--n", "1000"))
    pid = int(arg("--pid"))
    started = asyncio.Event()
    first_seen = 0
    open_now = 0
    done_ok = 0
    failed = 0
    lock = asyncio.Lock()

    async def one():
        nonlocal first_seen, open_now, done_ok, failed
        try:
            reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), 30)
            writer.write(raw)
            await writer.drain()
            buf = b""
            counted = False
            while True:
                chunk = await asyncio.wait_for(reader.read(65536), 60)
                if not chunk:
                    break
                buf += chunk
                if not counted and b"data:" in buf:
                    counted = True
                    first_seen += 1
                    open_now += 1
                    if first_seen == n:
                        started.set()
            writer.close()
            if counted:
                open_now -= 1
            if buf.startswith(b"HTTP/1.1 200") and b"[DONE]" in buf:
                done_ok += 1
            else:
                failed += 1
        except Exception:
            failed += 1

    rss_before, _ = rss_kib(pid)
    t0 = time.monotonic()
    tasks = [asyncio.create_task(one()) for _ in range(n)]
    peak_open_rss = 0
    all_open_rss = None
    max_open = 0
    # sample RSS every 50 ms while streams are open; bounded by the streams' own timeouts
    while not all(t.done() for t in tasks) and time.monotonic() - t0 < 120:
        rss, _ = rss_kib(pid)
        peak_open_rss = max(peak_open_rss, rss)
        if open_now >= max_open:
            max_open = open_now
            all_open_rss = rss
        await asyncio.sleep(0.05)
    await asyncio.gather(*tasks, return_exceptions=True)
    rss_after, hwm = rss_kib(pid)
    print(f"n={n} all_first_data={'yes' if started.is_set() else 'no'} max_open={max_open} "
          f"completed={done_ok} failed={failed} rss_before_kib={rss_before} rss_at_max_open_kib={all_open_rss or 0} "
          f"rss_peak_kib={peak_open_rss} rss_after_kib={rss_after} hwm_kib={hwm} seconds={time.monotonic() - t0:.1f}")
    return 0 if failed == 0 else 1


def cmd_rss():
    rss, hwm = rss_kib(int(arg("--pid")))
    print(f"rss_kib={rss} hwm_kib={hwm}")
    return 0


def main():
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "freeport":
        return cmd_freeport()
    if command == "wait":
        return cmd_wait()
    if command == "coldstart":
        return cmd_coldstart()
    if command == "ttfb":
        return cmd_ttfb()
    if command == "streams":
        return asyncio.run(cmd_streams_async())
    if command == "rss":
        return cmd_rss()
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main() or 0)
