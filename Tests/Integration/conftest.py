"""Session fixtures: `concord mock-upstream` + `concord serve` on free loopback ports, and SDK clients.

Run through `scripts/integration`. The binary comes from `CONCORD_BIN` (default `.build/debug/concord`).
Both processes' output is kept in `.build/integration-logs/` and the server's is shown when tests fail.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import anthropic
import httpx
import openai
import pytest

from recording_upstream import RecordingUpstream, start_recording_upstream

ROOT = Path(__file__).resolve().parents[2]
LOG_ROOT = ROOT / ".build" / "integration-logs"
# One directory per run, so that runs at the same time (CI and a developer) never mix their logs.
LOG_DIR = LOG_ROOT / f"run-{os.getpid()}"
HOST = "127.0.0.1"
ADMIN_KEY = "test-admin-key"
UPSTREAM_OPENAI_KEY = "sk-upstream-openai"
UPSTREAM_ANTHROPIC_KEY = "sk-upstream-anthropic"
STARTUP_TIMEOUT = 30.0
STOP_TIMEOUT = 10.0


def concord_binary() -> Path:
    path = Path(os.environ.get("CONCORD_BIN", ".build/debug/concord"))
    if not path.is_absolute():
        path = ROOT / path
    return path


def remove_finished_runs_logs() -> None:
    """Deletes the log directories of earlier runs whose pytest process is gone."""
    if not LOG_ROOT.is_dir():
        return
    for directory in LOG_ROOT.glob("run-*"):
        try:
            pid = int(directory.name.removeprefix("run-"))
            os.kill(pid, 0)
            if pid != os.getpid():
                continue  # a run in progress
        except (ValueError, ProcessLookupError):
            pass
        except PermissionError:
            continue
        shutil.rmtree(directory, ignore_errors=True)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def tail(path: Path, lines: int = 60) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return "(no output captured)"
    return "\n".join(text.splitlines()[-lines:]) or "(empty)"


class Process:
    """A child process whose stdout and stderr go to files (never a pipe that could fill up and block it)."""

    def __init__(self, name: str, args: list[str], env: dict[str, str]):
        self.name = name
        self.args = args
        self.stdout_path = LOG_DIR / f"{name}.stdout.log"
        self.stderr_path = LOG_DIR / f"{name}.stderr.log"
        self._stdout = open(self.stdout_path, "wb")
        self._stderr = open(self.stderr_path, "wb")
        self.popen = subprocess.Popen(
            args, env=env, stdin=subprocess.DEVNULL, stdout=self._stdout, stderr=self._stderr, cwd=LOG_DIR
        )

    def describe_failure(self, what: str) -> str:
        status = self.popen.poll()
        state = "still running" if status is None else f"exited with status {status}"
        return (
            f"{what}\ncommand: {' '.join(self.args)}\nprocess {state}\n"
            f"--- {self.name} stderr (tail) ---\n{tail(self.stderr_path)}\n"
            f"--- {self.name} stdout (tail) ---\n{tail(self.stdout_path)}"
        )

    def stop(self) -> str | None:
        """SIGTERM, wait, SIGKILL after STOP_TIMEOUT. Returns what went wrong with the process, if anything."""
        problems = []
        if self.popen.poll() is not None:
            problems.append(f"exited during the run with status {self.popen.returncode}")
        else:
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout=STOP_TIMEOUT)
                if self.popen.returncode not in (0, -signal.SIGTERM):
                    problems.append(f"ended with status {self.popen.returncode} (expected 0 after SIGTERM)")
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()
                problems.append(f"did not stop within {STOP_TIMEOUT:.0f} s of SIGTERM (killed)")
        if not self._stderr.closed:
            self._stderr.close()
            self._stdout.close()
        crash_lines = [
            line
            for line in self.stderr_path.read_text(errors="replace").splitlines()
            if "Fatal error" in line or "Program crashed" in line or " crashed:" in line
        ]
        if crash_lines:
            problems.append("crashed:\n    " + "\n    ".join(crash_lines[:6]))
        if not problems:
            return None
        return f"{self.name} ({' '.join(self.args[1:2])}) " + "; ".join(problems) + f"\n    log: {self.stderr_path}"


def startup_failed(session: pytest.Session, message: str) -> None:
    """Without a running gateway no test can say anything: one error with the reason, then stop the session."""
    session.shouldstop = "the gateway could not be started"
    pytest.fail(message, pytrace=False)


def wait_for_port(session: pytest.Session, process: Process, port: int) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if process.popen.poll() is not None:
            break
        try:
            with socket.create_connection((HOST, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    process.stop()
    startup_failed(session, process.describe_failure(f"{process.name} did not start listening on {HOST}:{port}"))


def wait_for_health(session: pytest.Session, process: Process, base_url: str) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    last = "no answer"
    while time.monotonic() < deadline:
        if process.popen.poll() is not None:
            break
        try:
            response = httpx.get(f"{base_url}/health", timeout=2.0)
            if response.status_code == 200:
                return
            last = f"HTTP {response.status_code}: {response.text[:300]}"
        except httpx.HTTPError as error:
            last = f"{type(error).__name__}: {error}"
        time.sleep(0.2)
    process.stop()
    startup_failed(session, process.describe_failure(f"GET {base_url}/health never answered 200 (last: {last})"))


def config_yaml(mock_port: int, hang_mock_port: int, recorder_port: int) -> str:
    openai_base = f"http://{HOST}:{mock_port}/v1"
    anthropic_base = f"http://{HOST}:{mock_port}"

    def model(model_id: str, provider: str, upstream: str, api_base: str, key_env: str, extra: str = "") -> str:
        return (
            f"  - id: {model_id}\n"
            f"    provider: {provider}\n"
            f"    upstream_model: {upstream}\n"
            f"    api_base: {api_base}\n"
            f"    api_key_env: {key_env}\n" + extra
        )

    def oa(model_id: str, upstream: str, extra: str = "") -> str:
        return model(model_id, "openai", upstream, openai_base, "TEST_OPENAI_KEY", extra)

    def an(model_id: str, upstream: str, extra: str = "") -> str:
        return model(model_id, "anthropic", upstream, anthropic_base, "TEST_ANTHROPIC_KEY", extra)

    prices = "    input_cost_per_mtok: 0.15\n    output_cost_per_mtok: 0.60\n"
    return "models:\n" + "".join(
        [
            oa("gpt-mock", "gpt-4o-mini", prices),
            an("claude-mock", "claude-3-5-haiku"),
            oa("openai-429", "error-429"),
            oa("openai-500", "error-500"),
            oa("openai-503", "error-503"),
            oa("openai-malformed", "malformed"),
            oa("openai-cut", "stream-cut"),
            # A mock of its own: a hanging request must not take the shared mock down with it.
            model(
                "openai-hang", "openai", "hang", f"http://{HOST}:{hang_mock_port}/v1", "TEST_OPENAI_KEY",
                "    timeout_seconds: 2\n",
            ),
            an("claude-429", "error-429"),
            an("claude-cut", "stream-cut"),
            model("unreachable", "openai", "gpt-4o-mini", f"http://{HOST}:9/v1", "TEST_OPENAI_KEY"),
            # The Python recording upstream (see recording_upstream.py): proves what the gateway sends upstream.
            model("gpt-recorder", "openai", "recorder-gpt", f"http://{HOST}:{recorder_port}/v1", "TEST_OPENAI_KEY"),
            model("claude-recorder", "anthropic", "recorder-claude", f"http://{HOST}:{recorder_port}", "TEST_ANTHROPIC_KEY"),
        ]
    )


@dataclass
class Stack:
    base_url: str
    #: the shared `concord mock-upstream`
    mock_url: str
    #: the `concord mock-upstream` that serves only `openai-hang`
    hang_mock_url: str
    processes: dict[str, Process] = field(repr=False)


@pytest.fixture(scope="session")
def recording_upstream():
    upstream = start_recording_upstream(HOST)
    yield upstream
    upstream.stop()


@pytest.fixture(scope="session")
def gateway(request: pytest.FixtureRequest, recording_upstream: RecordingUpstream):
    """Starts two mock-upstreams and serve; yields their URLs."""
    binary = concord_binary()
    if not binary.is_file():
        startup_failed(request.session, f"no concord binary at {binary}: run `swift build --product concord` or set CONCORD_BIN")
    remove_finished_runs_logs()
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="concord-integration-"))
    ports: set[int] = set()
    while len(ports) < 3:
        ports.add(free_port())
    mock_port, hang_mock_port, gateway_port = sorted(ports)

    env = {k: v for k, v in os.environ.items() if not k.startswith("CONCORD_") and not k.endswith("_API_KEY")}
    processes: list[Process] = []
    try:
        for name, port in [("mock-upstream", mock_port), ("mock-upstream-hang", hang_mock_port)]:
            mock = Process(name, [str(binary), "mock-upstream", "--host", HOST, "--port", str(port)], env)
            processes.append(mock)
            wait_for_port(request.session, mock, port)

        config_path = workdir / "concord.yaml"
        config_path.write_text(config_yaml(mock_port, hang_mock_port, recording_upstream.port))
        (LOG_DIR / "concord.yaml").write_text(config_path.read_text())
        serve_env = dict(
            env,
            CONCORD_ADMIN_KEY=ADMIN_KEY,
            TEST_OPENAI_KEY=UPSTREAM_OPENAI_KEY,
            TEST_ANTHROPIC_KEY=UPSTREAM_ANTHROPIC_KEY,
        )
        serve = Process(
            "serve",
            [
                str(binary), "serve",
                "--host", HOST,
                "--port", str(gateway_port),
                "--database", f"sqlite://{workdir}/concord.sqlite",
                "--config", str(config_path),
            ],
            serve_env,
        )
        processes.append(serve)
        base_url = f"http://{HOST}:{gateway_port}"
        wait_for_health(request.session, serve, base_url)
        yield Stack(
            base_url=base_url,
            mock_url=f"http://{HOST}:{mock_port}",
            hang_mock_url=f"http://{HOST}:{hang_mock_port}",
            processes={process.name: process for process in processes},
        )
    finally:
        problems = [problem for process in reversed(processes) if (problem := process.stop())]
        shutil.rmtree(workdir, ignore_errors=True)
    if problems:
        # A crash or an unclean exit is a bug even when every request got its answer.
        pytest.fail("child processes misbehaved:\n" + "\n".join(problems), pytrace=False)


@pytest.fixture(scope="session")
def base_url(gateway: Stack) -> str:
    return gateway.base_url


@pytest.fixture(scope="session")
def admin_key() -> str:
    return ADMIN_KEY


@pytest.fixture(scope="session")
def openai_client(base_url: str) -> openai.OpenAI:
    # No retries: a test must see the gateway's first answer, and fault models would otherwise be retried.
    return openai.OpenAI(base_url=base_url + "/v1", api_key=ADMIN_KEY, max_retries=0, timeout=30.0)


@pytest.fixture(scope="session")
def anthropic_client(base_url: str) -> anthropic.Anthropic:
    return anthropic.Anthropic(base_url=base_url, api_key=ADMIN_KEY, max_retries=0, timeout=30.0)


@pytest.fixture(scope="session")
def http(base_url: str):
    """A raw HTTP client for what the SDKs hide (status codes, headers, error bodies). Not authenticated."""
    with httpx.Client(base_url=base_url, timeout=30.0) as client:
        yield client


@pytest.fixture(scope="session")
def auth(admin_key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {admin_key}"}


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """On failure, point at the server logs and show the end of the gateway's stderr."""
    if exitstatus == 0:
        return
    stderr = LOG_DIR / "serve.stderr.log"
    if not stderr.exists():
        return
    terminalreporter.section("concord serve stderr (tail)")
    terminalreporter.write_line(tail(stderr, 30))
    terminalreporter.write_line(f"full logs: {LOG_DIR}")
