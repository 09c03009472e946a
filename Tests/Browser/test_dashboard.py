"""Drives the real dashboard in headless Chromium and checks what it shows against the database.

Starts `concord mock-upstream` and `concord serve` (a fresh SQLite file), makes a known mix of calls, then:
sign in, the overview, filter by a model, the call list, one call. Every number read off a page is compared
with a query over `llm_call_logs`. Screenshots of each step go to `.build/browser-artifacts/`.
"""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import tempfile
import time
from pathlib import Path

import httpx
import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / ".build" / "browser-artifacts"
HOST = "127.0.0.1"
ADMIN_KEY = "browser-admin-key"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def wait_until(condition, what: str, timeout: float = 30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except Exception:  # noqa: BLE001 - not up yet
            pass
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture(scope="module")
def stack():
    binary = os.environ.get("CONCORD_BIN", str(ROOT / ".build/debug/concord"))
    workdir = Path(tempfile.mkdtemp(prefix="concord-browser-"))
    mock_port, serve_port = free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONCORD_")}
    env.update(CONCORD_ADMIN_KEY=ADMIN_KEY, TEST_KEY="sk-upstream")
    base = f"http://{HOST}:{mock_port}/v1"
    (workdir / "concord.yaml").write_text(
        "models:\n"
        f"  - {{id: gpt-mock, provider: openai, upstream_model: gpt-4o-mini, api_base: '{base}', api_key_env: TEST_KEY,"
        " input_cost_per_mtok: 0.15, output_cost_per_mtok: 0.60}\n"
        f"  - {{id: local-mock, provider: openai, upstream_model: llama, api_base: '{base}', api_key_env: TEST_KEY}}\n"
        f"  - {{id: broken-mock, provider: openai, upstream_model: error-500, api_base: '{base}', api_key_env: TEST_KEY}}\n"
    )
    database = workdir / "concord.sqlite"
    logs = [open(workdir / "mock.log", "wb"), open(workdir / "serve.log", "wb")]
    processes = [
        subprocess.Popen([binary, "mock-upstream", "--host", HOST, "--port", str(mock_port)],
                         env=env, stdout=logs[0], stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL),
        subprocess.Popen([binary, "serve", "--host", HOST, "--port", str(serve_port), "--database",
                          f"sqlite://{database}", "--config", str(workdir / "concord.yaml")],
                         env=env, stdout=logs[1], stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL),
    ]
    url = f"http://{HOST}:{serve_port}"
    try:
        wait_until(lambda: httpx.get(f"{url}/health").status_code == 200, "the gateway to answer /health")
        yield {"url": url, "database": database}
    finally:
        for process in reversed(processes):
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        for log in logs:
            log.close()


@pytest.fixture(scope="module")
def calls(stack):
    """A known mix: priced, unpriced and failing calls from two agents."""
    mix = [("gpt-mock", "planner", 5), ("local-mock", "writer", 3), ("broken-mock", "planner", 2)]
    with httpx.Client(base_url=stack["url"], headers={"Authorization": f"Bearer {ADMIN_KEY}"}, timeout=30) as client:
        for model, agent, count in mix:
            for index in range(count):
                client.post("/v1/chat/completions",
                            headers={"X-Caller-Type": "agent", "X-Caller-Name": agent},
                            json={"model": model, "messages": [{"role": "user", "content": f"hello {index}"}]})
    expected = sum(count for _, _, count in mix)
    wait_until(lambda: sql(stack, "SELECT COUNT(*) FROM llm_call_logs") == expected, "every call to be written")
    return mix


def sql(stack, query: str, *args):
    with sqlite3.connect(stack["database"]) as connection:
        return connection.execute(query, args).fetchone()[0]


@pytest.fixture(scope="module")
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000"]:
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")), options=options)
    driver.implicitly_wait(5)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    yield driver
    driver.quit()


def shot(driver, name: str):
    driver.save_screenshot(str(ARTIFACTS / f"{name}.png"))


def card(driver, name: str) -> str:
    return driver.find_element(By.CSS_SELECTOR, f"#card-{name} .value").get_attribute("data-value")


def table_counts(driver, table: str) -> dict[str, int]:
    counts = {}
    for row in driver.find_elements(By.CSS_SELECTOR, f"#{table} tbody tr"):
        cells = row.find_elements(By.CSS_SELECTOR, "td")
        if len(cells) > 1:
            counts[cells[0].text] = int(cells[1].get_attribute("data-value"))
    return counts


def test_dashboard_shows_what_the_database_holds(stack, calls, browser):
    url = stack["url"]
    browser.get(f"{url}/dashboard")
    assert browser.current_url.endswith("/dashboard/login"), "the dashboard asks for a sign-in first"
    shot(browser, "01-sign-in")
    browser.find_element(By.ID, "key").send_keys(ADMIN_KEY)
    browser.find_element(By.ID, "sign-in").click()
    wait_until(lambda: browser.find_element(By.ID, "card-requests"), "the overview")
    cookie = browser.get_cookie("concord_session")
    assert cookie and cookie["httpOnly"] and cookie.get("sameSite") == "Strict" and ADMIN_KEY not in cookie["value"]
    shot(browser, "02-overview")

    assert int(card(browser, "requests")) == sql(stack, "SELECT COUNT(*) FROM llm_call_logs")
    assert int(card(browser, "errors")) == sql(stack, "SELECT COUNT(*) FROM llm_call_logs WHERE status = 'error'")
    assert int(card(browser, "tokens")) == sql(stack, "SELECT SUM(total_tokens) FROM llm_call_logs")
    assert float(card(browser, "cost")) == pytest.approx(sql(stack, "SELECT SUM(cost_usd) FROM llm_call_logs"), rel=1e-9)
    by_model = table_counts(browser, "by-model")
    for model, _, _ in calls:
        assert by_model[model] == sql(stack, "SELECT COUNT(*) FROM llm_call_logs WHERE model = ?", model)
    by_caller = table_counts(browser, "by-caller")
    assert by_caller["agent:planner"] == sql(stack, "SELECT COUNT(*) FROM llm_call_logs WHERE caller_name = 'planner'")
    assert len(browser.find_elements(By.CSS_SELECTOR, "#chart-requests svg rect")) >= 24

    browser.find_element(By.LINK_TEXT, "gpt-mock").click()
    wait_until(lambda: browser.find_element(By.ID, "model-filter").text == "gpt-mock", "the model filter")
    shot(browser, "03-filtered-by-model")
    assert int(card(browser, "requests")) == sql(stack, "SELECT COUNT(*) FROM llm_call_logs WHERE model = 'gpt-mock'")
    assert int(card(browser, "tokens")) == sql(stack, "SELECT SUM(total_tokens) FROM llm_call_logs WHERE model = 'gpt-mock'")

    browser.find_element(By.ID, "all-calls").click()
    rows = browser.find_elements(By.CSS_SELECTOR, "#calls tbody tr.call")
    shot(browser, "04-calls-of-model")
    assert len(rows) == sql(stack, "SELECT COUNT(*) FROM llm_call_logs WHERE model = 'gpt-mock'")
    call_id = rows[0].get_attribute("data-id")
    assert call_id == sql(stack, "SELECT id FROM llm_call_logs WHERE model = 'gpt-mock' ORDER BY created_at DESC, id DESC LIMIT 1")

    rows[0].find_element(By.CSS_SELECTOR, "a").click()
    wait_until(lambda: browser.find_element(By.ID, "call-id").text == call_id, "the call's page")
    shot(browser, "05-one-call")
    detail = {dd.get_attribute("data-field"): dd.text for dd in browser.find_elements(By.CSS_SELECTOR, "#call-detail dd")}
    assert int(detail["total_tokens"]) == sql(stack, "SELECT total_tokens FROM llm_call_logs WHERE id = ?", call_id)
    assert detail["model"] == "gpt-mock"

    browser.set_window_size(390, 844)
    browser.get(f"{url}/dashboard")
    shot(browser, "06-overview-phone")
    width = browser.execute_script("return document.documentElement.scrollWidth")
    assert width <= 400, f"the overview fits a phone's width (scrollWidth {width})"
