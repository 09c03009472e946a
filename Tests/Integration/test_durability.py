"""Nothing is lost: process-level tests of the record path (issue: every call recorded).

Each test runs its own `concord serve` processes (on the session's mock upstream) and checks the database
directly: exactly one row per call with the right columns, counters equal to the rows, across SIGTERM,
restarts, two replicas on one PostgreSQL, a PostgreSQL outage, and a client that disconnects mid-stream.
PostgreSQL tests need `CONCORD_TEST_POSTGRES_URL` (scripts/test runs this suite under scripts/with-postgres).
`CONCORD_TEST_SERVE_LOG_LEVEL=trace` gives these servers that log level (driver and pool traces included).
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import sqlite3
import subprocess
import tempfile
import threading
import time
import uuid
from pathlib import Path

import httpx
import pytest

from conftest import ADMIN_KEY, HOST, LOG_DIR, Process, concord_binary, free_port

PRICES = {"gpt-b": (0.15, 0.60), "claude-b": (3.0, 15.0)}
PG_URL = os.environ.get("CONCORD_TEST_POSTGRES_URL")
needs_postgres = pytest.mark.skipif(not PG_URL, reason="CONCORD_TEST_POSTGRES_URL not set (run under scripts/with-postgres)")


def config_text(mock_url: str) -> str:
    return f"""
models:
  - {{id: gpt-b, provider: openai, api_base: "{mock_url}/v1", upstream_model: gpt-4o-mini, api_key_env: UP, input_cost_per_mtok: 0.15, output_cost_per_mtok: 0.60}}
  - {{id: claude-b, provider: anthropic, api_base: "{mock_url}", upstream_model: claude-3-5-haiku, api_key_env: UP, input_cost_per_mtok: 3.0, output_cost_per_mtok: 15.0}}
  - {{id: gpt-err, provider: openai, api_base: "{mock_url}/v1", upstream_model: error-500, api_key_env: UP}}
  - {{id: gpt-slow, provider: openai, api_base: "{mock_url}/v1", upstream_model: mock-latency-300, api_key_env: UP}}
  - {{id: gpt-drip, provider: openai, api_base: "{mock_url}/v1", upstream_model: slow-stream-300, api_key_env: UP}}
"""


class Gateway:
    """One `concord serve` of a test's own, on a database the test chooses."""

    def __init__(self, name: str, database: str, mock_url: str, workdir: Path, spool: str | None = None, env_extra: dict | None = None):
        self.port = free_port()
        self.url = f"http://{HOST}:{self.port}"
        config = workdir / "concord.yaml"
        config.write_text(config_text(mock_url))
        env = {k: v for k, v in os.environ.items() if not k.startswith("CONCORD_") and not k.endswith("_API_KEY")}
        self.spool = workdir / f"{spool or name}.spool"
        env.update(CONCORD_ADMIN_KEY=ADMIN_KEY, UP="sk-upstream", CONCORD_SPOOL_PATH=str(self.spool), **(env_extra or {}))
        if os.environ.get("CONCORD_TEST_SERVE_LOG_LEVEL"):
            env["CONCORD_LOG_LEVEL"] = os.environ["CONCORD_TEST_SERVE_LOG_LEVEL"]
        LOG_DIR.mkdir(parents=True, exist_ok=True)
        self.process = Process(
            name,
            [str(concord_binary()), "serve", "--host", HOST, "--port", str(self.port), "--database", database, "--config", str(config)],
            env,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.popen.poll() is not None:
                break
            try:
                if httpx.get(f"{self.url}/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        pytest.fail(self.process.describe_failure(f"{name} did not become healthy"), pytrace=False)

    def terminate(self) -> int:
        """SIGTERM and wait: a graceful shutdown writes every record before the process exits."""
        self.process.popen.terminate()
        code = self.process.popen.wait(timeout=60)
        problem = self.process.stop()
        assert problem is None or "exited during the run with status 0" in problem, problem
        return code

    def health(self) -> dict:
        return httpx.get(f"{self.url}/health", timeout=5).json()


class FreezableProxy:
    """A TCP proxy in front of PostgreSQL that can stop passing bytes without closing anything: a network partition
    as the gateway sees it — no error, no reset, statements that are simply never answered."""

    def __init__(self, target_port: int):
        self.target_port = target_port
        self.frozen = threading.Event()
        self.closed = threading.Event()
        self.sockets: list[socket.socket] = []
        self.listener = socket.socket()
        self.listener.bind((HOST, 0))
        self.listener.listen(64)
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self.closed.is_set():
            try:
                client, _ = self.listener.accept()
                upstream = socket.create_connection((HOST, self.target_port))
            except OSError:
                continue
            self.sockets += [client, upstream]
            for source, destination in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, destination), daemon=True).start()

    def _pump(self, source: socket.socket, destination: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                while self.frozen.is_set() and not self.closed.is_set():
                    time.sleep(0.01)
                if self.closed.is_set():
                    return
                destination.sendall(data)
        except OSError:
            pass

    def close(self) -> None:
        """Closes every connection: PostgreSQL rolls back whatever the frozen ones had begun."""
        self.closed.set()
        for sock in [self.listener, *self.sockets]:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()


@pytest.fixture
def workdir() -> Path:
    return Path(tempfile.mkdtemp(prefix="concord-durability-"))


# --- calls -------------------------------------------------------------------------------------------------------

HEADERS = {"Authorization": f"Bearer {ADMIN_KEY}"}


async def one_call(client: httpx.AsyncClient, kind: str, index: int) -> dict:
    """Makes one call of a kind; returns what the client saw: the call id, status, and the usage it was told."""
    message = f"burst message {index} " + "x" * (index % 37)
    if kind in ("openai", "openai-stream", "error", "slow"):
        model = {"openai": "gpt-b", "openai-stream": "gpt-b", "error": "gpt-err", "slow": "gpt-slow"}[kind]
        body = {"model": model, "messages": [{"role": "user", "content": message}]}
        if kind == "openai-stream":
            body |= {"stream": True, "stream_options": {"include_usage": True}}
        response = await client.post("/v1/chat/completions", json=body, headers=HEADERS)
        usage = None
        if response.status_code == 200 and kind == "openai-stream":
            for line in response.text.splitlines():
                if line.startswith("data: {") and '"usage"' in line:
                    usage = json.loads(line[6:])["usage"]
        elif response.status_code == 200:
            usage = response.json()["usage"]
        tokens = (usage["prompt_tokens"], usage["completion_tokens"]) if usage else None
    else:
        body = {"model": "claude-b", "max_tokens": 200, "messages": [{"role": "user", "content": message}]}
        if kind == "anthropic-stream":
            body["stream"] = True
        response = await client.post("/v1/messages", json=body, headers=HEADERS)
        tokens = None
        if response.status_code == 200 and kind == "anthropic-stream":
            for line in response.text.splitlines():
                if line.startswith("data: ") and '"message_delta"' in line:
                    usage = json.loads(line[6:])["usage"]
                    tokens = (usage["input_tokens"], usage["output_tokens"])
        elif response.status_code == 200:
            usage = response.json()["usage"]
            tokens = (usage["input_tokens"], usage["output_tokens"])
    return {
        "id": response.headers.get("x-call-id"),
        "kind": kind,
        "status": response.status_code,
        "tokens": tokens,
        "model": body["model"],
    }


async def burst(url: str, kinds: list[str], concurrency: int = 64) -> list[dict]:
    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as client:
        semaphore = asyncio.Semaphore(concurrency)

        async def guarded(kind: str, index: int) -> dict:
            async with semaphore:
                return await one_call(client, kind, index)

        return await asyncio.gather(*(guarded(kind, i) for i, kind in enumerate(kinds)))


MIX = ["openai", "openai-stream", "anthropic", "anthropic-stream", "error", "slow"]


# --- database access ------------------------------------------------------------------------------------------------

def sqlite_rows(path: Path, sql: str, params: tuple = ()) -> list[tuple]:
    with sqlite3.connect(path) as connection:
        return connection.execute(sql, params).fetchall()


def psql(url: str, sql: str) -> list[list[str]]:
    out = subprocess.run(["psql", url.split("?")[0], "-At", "-F", "\t", "-c", sql], check=True, capture_output=True, text=True).stdout
    return [line.split("\t") for line in out.splitlines() if line]


def fresh_postgres_database() -> str:
    name = "durability_" + uuid.uuid4().hex[:10]
    psql(PG_URL, f"CREATE DATABASE {name}")
    base, _, query = PG_URL.partition("?")
    return base.rsplit("/", 1)[0] + "/" + name + ("?" + query if query else "")


def assert_counters_match_rows(rows: list[tuple]) -> None:
    """rows: (model, total_requests, total_tokens, count(rows), sum(total_tokens)) per configured model."""
    assert rows, "llm_model_configs has no rows"
    for model, requests, tokens, counted, summed in rows:
        assert (int(requests), int(tokens)) == (int(counted), int(summed or 0)), f"counters for {model} disagree with the log"


COUNTER_CHECK = """
SELECT c.model_id, c.total_requests, c.total_tokens,
       (SELECT count(*) FROM llm_call_logs l WHERE l.model = c.model_id),
       (SELECT coalesce(sum(l.total_tokens), 0) FROM llm_call_logs l WHERE l.model = c.model_id)
FROM llm_model_configs c
"""


# --- tests -------------------------------------------------------------------------------------------------------

def test_burst_then_sigterm_records_every_call_exactly_once_with_the_right_columns(gateway, workdir: Path):
    database = workdir / "burst.sqlite"
    server = Gateway("serve-burst", f"sqlite://{database}", gateway.mock_url, workdir)
    kinds = [MIX[i % len(MIX)] for i in range(360)]
    results: list[dict] = []

    def run() -> None:
        results.extend(asyncio.run(burst(server.url, kinds)))

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=120)
    assert not thread.is_alive(), "the burst did not finish"
    assert server.terminate() == 0

    assert all(r["id"] for r in results), "every answered call carries X-Call-Id"
    assert {r["status"] for r in results if r["kind"] == "error"} == {502}
    assert all(r["status"] == 200 for r in results if r["kind"] != "error")
    rows = {
        row[0]: row
        for row in sqlite_rows(
            database,
            "SELECT id, model, status, prompt_tokens, completion_tokens, total_tokens, cost_usd, error_message, is_stream FROM llm_call_logs",
        )
    }
    assert sqlite_rows(database, "SELECT count(*) FROM llm_call_logs")[0][0] == len(results), "exactly one row per call"
    for result in results:
        row = rows.get(result["id"])
        assert row is not None, f"no row for {result}"
        _, model, status, prompt, completion, total, cost, error, is_stream = row
        assert model == result["model"]
        if result["kind"] == "error":
            assert status == "error" and error, f"error row without a message: {row}"
            continue
        assert status == "success"
        assert (prompt, completion) == result["tokens"], f"tokens differ from what the upstream reported: {row} vs {result}"
        assert total == prompt + completion
        assert bool(is_stream) == result["kind"].endswith("stream")
        if model in PRICES:
            input_price, output_price = PRICES[model]
            assert cost == pytest.approx((prompt * input_price + completion * output_price) / 1e6)
        else:
            assert cost is None, "an unpriced model records NULL cost, never 0"
    assert_counters_match_rows(sqlite_rows(database, COUNTER_CHECK))

    # A restart keeps the counters (never reset) and they still equal the log.
    again = Gateway("serve-burst-restart", f"sqlite://{database}", gateway.mock_url, workdir)
    assert again.terminate() == 0
    assert_counters_match_rows(sqlite_rows(database, COUNTER_CHECK))
    assert sqlite_rows(database, "SELECT sum(total_requests) FROM llm_model_configs")[0][0] == len(results)


def test_sigterm_while_calls_are_in_flight_still_answers_and_records_them(gateway, workdir: Path):
    database = workdir / "inflight.sqlite"
    server = Gateway("serve-inflight", f"sqlite://{database}", gateway.mock_url, workdir)
    results: list[dict] = []
    thread = threading.Thread(target=lambda: results.extend(asyncio.run(burst(server.url, ["slow"] * 20, concurrency=20))))
    thread.start()
    time.sleep(0.15)  # the upstream answers after 300 ms: these calls are in flight now
    server.process.popen.terminate()
    thread.join(timeout=60)
    assert server.process.popen.wait(timeout=60) == 0
    server.process.stop()
    answered = [r for r in results if r["status"] == 200]
    assert answered, "graceful shutdown lets in-flight calls finish"
    recorded = {row[0] for row in sqlite_rows(database, "SELECT id FROM llm_call_logs")}
    assert {r["id"] for r in answered} <= recorded


def test_a_client_that_disconnects_mid_stream_still_produces_its_row(gateway, workdir: Path):
    database = workdir / "disconnect.sqlite"
    server = Gateway("serve-disconnect", f"sqlite://{database}", gateway.mock_url, workdir)
    body = json.dumps({"model": "gpt-drip", "stream": True, "messages": [{"role": "user", "content": "tell me a long story"}]})
    request = (
        f"POST /v1/chat/completions HTTP/1.1\r\nHost: {HOST}\r\nAuthorization: Bearer {ADMIN_KEY}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n{body}"
    )
    with socket.create_connection((HOST, server.port), timeout=10) as connection:
        connection.sendall(request.encode())
        head = connection.recv(4096).decode(errors="replace")
        assert head.startswith("HTTP/1.1 200"), head
        call_id = next(line.split(":", 1)[1].strip() for line in head.splitlines() if line.lower().startswith("x-call-id:"))
    # The connection is closed after the first bytes, long before the upstream's stream ends.
    deadline = time.monotonic() + 20
    row = None
    while time.monotonic() < deadline and row is None:
        response = httpx.get(f"{server.url}/api/llm/logs/{call_id}", headers=HEADERS, timeout=5)
        row = response.json() if response.status_code == 200 else None
        time.sleep(0.2)
    assert server.terminate() == 0
    if row is None:
        rows = sqlite_rows(database, "SELECT status, error_message, is_stream FROM llm_call_logs WHERE id = ?", (call_id,))
        assert rows, "the abandoned stream left no row"
        row = {"status": rows[0][0], "error_message": rows[0][1], "is_stream": rows[0][2]}
    assert row["status"] == "error"
    assert "went away" in (row["error_message"] or "")
    assert row["is_stream"]


@needs_postgres
def test_two_gateways_on_one_postgres_keep_counters_exact(gateway, workdir: Path):
    url = fresh_postgres_database()
    first = Gateway("serve-pg-a", url, gateway.mock_url, workdir)
    second = Gateway("serve-pg-b", url, gateway.mock_url, workdir)
    kinds = [MIX[i % 4] for i in range(200)]
    results: list[dict] = []

    async def both() -> list[dict]:
        return sum(await asyncio.gather(burst(first.url, kinds), burst(second.url, kinds)), [])

    results = asyncio.run(both())
    assert first.terminate() == 0 and second.terminate() == 0
    assert all(r["status"] == 200 for r in results)
    assert int(psql(url, "SELECT count(*) FROM llm_call_logs")[0][0]) == len(results)
    assert_counters_match_rows(psql(url, COUNTER_CHECK))


@needs_postgres
def test_postgres_outage_fails_no_call_and_loses_no_record(gateway, workdir: Path):
    stop, start = os.environ.get("CONCORD_TEST_POSTGRES_STOP"), os.environ.get("CONCORD_TEST_POSTGRES_START")
    if not (stop and start):
        pytest.skip("CONCORD_TEST_POSTGRES_STOP/START not set (run under scripts/with-postgres)")
    url = fresh_postgres_database()
    server = Gateway("serve-pg-outage", url, gateway.mock_url, workdir)
    results: list[dict] = []
    try:
        results += asyncio.run(burst(server.url, ["openai"] * 40, concurrency=8))
        subprocess.run([stop], check=True, capture_output=True)
        try:
            results += asyncio.run(burst(server.url, [MIX[i % 4] for i in range(120)], concurrency=8))
            time.sleep(1.0)
            health = server.health()
            assert health["database"] == "unreachable"
            assert health["pending_records"] + health["spooled_records"] > 0, "records wait while the database is down"
        finally:
            subprocess.run([start], check=True, capture_output=True)
        results += asyncio.run(burst(server.url, ["openai-stream"] * 40, concurrency=8))
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            health = server.health()
            if health["database"] == "reachable" and health["pending_records"] == 0 and health["spooled_records"] == 0:
                break
            time.sleep(0.5)
    finally:
        assert server.terminate() == 0
    assert all(r["status"] == 200 for r in results), "no call fails because the database is down"
    ids = [row[0] for row in psql(url, "SELECT id FROM llm_call_logs")]
    assert len(ids) == len(set(ids)) == len(results), "every record arrives exactly once"
    assert set(ids) == {r["id"] for r in results}
    assert_counters_match_rows(psql(url, COUNTER_CHECK))


@needs_postgres
def test_a_database_that_stops_answering_cannot_hold_shutdown_and_loses_no_record(gateway, workdir: Path):
    url = fresh_postgres_database()
    database_port = int(url.split("@", 1)[1].split("/", 1)[0].rsplit(":", 1)[1])
    proxy = FreezableProxy(database_port)
    through_proxy = url.replace(f":{database_port}/", f":{proxy.port}/", 1)
    server = Gateway(
        "serve-partition", through_proxy, gateway.mock_url, workdir, env_extra={"CONCORD_SHUTDOWN_TIMEOUT_SECONDS": "3"}
    )
    try:
        results = asyncio.run(burst(server.url, ["openai"] * 20, concurrency=4))
        proxy.frozen.set()
        results += asyncio.run(burst(server.url, [MIX[i % 4] for i in range(60)], concurrency=8))
        assert all(r["status"] == 200 for r in results), "no call waits on a database that does not answer"
        # SIGTERM: the writer's transaction never returns, so the shutdown deadline (3 s) cancels it, the records
        # still in memory go to the spool, and the process exits instead of waiting forever.
        server.process.popen.terminate()
        code = server.process.popen.wait(timeout=30)
        server.process.stop()
        log = server.process.stderr_path.read_text(errors="replace")
        assert "shutdown deadline passed" in log, "the records still in memory went to the spool"
        assert code == 0, f"exit status {code}"
    finally:
        proxy.close()
    # A restart straight on the database replays the spool: every call is there exactly once.
    again = Gateway("serve-partition-restart", url, gateway.mock_url, workdir, spool="serve-partition")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        health = again.health()
        if health["pending_records"] == 0 and health["spooled_records"] == 0:
            break
        time.sleep(0.2)
    assert again.terminate() == 0
    ids = [row[0] for row in psql(url, "SELECT id FROM llm_call_logs")]
    assert len(ids) == len(set(ids)) == len(results), "every record arrives exactly once"
    assert set(ids) == {r["id"] for r in results}
    assert_counters_match_rows(psql(url, COUNTER_CHECK))
