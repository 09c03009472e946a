"""Nothing a caller or an upstream sends can crash the gateway or get a 500 from it.

Fuzzing found what these guard against: a report time past 2^63 microseconds, an upstream's usage near 2^63, a
forged cursor, each stopped the whole process. Every request here is mutated from a valid one with a fixed seed,
so a failure replays exactly; the session's gateway fixture also fails the run if the process died.
"""

from __future__ import annotations

import concurrent.futures
import copy
import json
import random
import time

import httpx
import pytest

from conftest import HOST
from hostile_upstream import ANSWERS, start_hostile_upstream

ODD_VALUES = [None, True, False, 0, -1, 1e308, -1e308, 2**63, 2**64, "", "x" * 5000, "\u0000", "\ud7ff\ue000", [], {},
              [[]], [{}], {"a": None}, "mock/echo", "openai/x", "../../etc", 1.5, "stream"]
CHAT_BODIES = {
    "/v1/chat/completions": {
        "model": "mock/echo", "max_tokens": 16, "stream": False, "temperature": 0.5,
        "messages": [{"role": "system", "content": "s"}, {"role": "user", "content": "hi"}],
        "tools": [{"type": "function", "function": {"name": "f", "parameters": {"type": "object"}}}],
        "tool_choice": "auto", "response_format": {"type": "json_object"}, "stream_options": {"include_usage": True},
    },
    "/v1/messages": {
        "model": "mock/echo", "max_tokens": 16, "stream": False, "system": "s",
        "messages": [{"role": "user", "content": [{"type": "text", "text": "hi"}]}],
        "tools": [{"name": "f", "input_schema": {"type": "object"}}], "tool_choice": {"type": "auto"},
    },
    "/api/llm/chat": {"message": "hi", "system": "s", "model": "mock/echo", "stream": False},
}
ODD_QUERY_VALUES = ["", "x", "-1", "0", "1e309", "99999999999999999999", "24h", "-7d", "99999999999999d", "nan",
                    "2026-13-45", "' OR 1=1 --", "a" * 3000, "a\x00b", "model,user,hour", "djE6LTkyMjMzNzIwMzY4NTQ3NzU4MDg6eA"]
QUERIES = {
    "/api/llm/logs": ["model", "provider", "caller_type", "caller_name", "user_id", "status", "trace_id", "since",
                      "until", "limit", "cursor"],
    "/api/llm/stats": ["group_by", "since", "until", "model", "provider", "caller", "user", "status"],
}


def mutate(value, rng: random.Random, depth: int = 0):
    if isinstance(value, dict) and depth < 4:
        value = dict(value)
        for _ in range(rng.randint(1, 3)):
            keys = list(value)
            choice = rng.random()
            if choice < 0.3 and keys:
                value[rng.choice(keys)] = rng.choice(ODD_VALUES)
            elif choice < 0.5 and keys:
                del value[rng.choice(keys)]
            elif choice < 0.7:
                value[rng.choice(["role", "content", "type", "stream", "n", "stop", "messages", "x"])] = rng.choice(ODD_VALUES)
            elif keys:
                key = rng.choice(keys)
                value[key] = mutate(value[key], rng, depth + 1)
        return value
    if isinstance(value, list) and depth < 4:
        value = list(value)
        if value and rng.random() < 0.5:
            index = rng.randrange(len(value))
            value[index] = mutate(value[index], rng, depth + 1)
        else:
            value.append(rng.choice(ODD_VALUES))
        return value
    return rng.choice(ODD_VALUES) if rng.random() < 0.7 else value


def assert_alive(http: httpx.Client) -> None:
    assert http.get("/health").status_code == 200


@pytest.mark.parametrize("path", list(CHAT_BODIES))
def test_mutated_chat_requests_get_an_answer_or_a_4xx(http, auth, path):
    rng = random.Random(f"chat {path}")
    statuses: dict[int, int] = {}
    for _ in range(300):
        body = mutate(copy.deepcopy(CHAT_BODIES[path]), rng)
        if rng.random() < 0.5:
            body["stream"] = True
        content = json.dumps(body).encode()
        if rng.random() < 0.05:
            content = content[: rng.randint(0, len(content))]
        response = http.post(path, content=content, headers={**auth, "Content-Type": "application/json"})
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
        assert response.status_code in (200, 400, 404, 413), (response.status_code, content[:300], response.text[:300])
    assert statuses.get(400, 0) > 50 and statuses.get(200, 0) > 10, statuses
    assert_alive(http)


def test_odd_query_parameters_get_an_answer_or_a_400(http, auth):
    rng = random.Random("queries")
    for _ in range(400):
        path = rng.choice(list(QUERIES))
        params = [(rng.choice(QUERIES[path]), rng.choice(ODD_QUERY_VALUES)) for _ in range(rng.randint(1, 3))]
        response = http.get(path, params=params, headers=auth)
        assert response.status_code in (200, 400), (path, params, response.status_code, response.text[:300])
    assert_alive(http)


@pytest.fixture(scope="module")
def hostile_models(http, auth):
    upstream = start_hostile_upstream(HOST)
    models = {"/v1/chat/completions": "hostile-openai", "/v1/messages": "hostile-anthropic"}
    for provider, model_id, base, key_env in [
        ("openai", models["/v1/chat/completions"], f"http://{HOST}:{upstream.port}/v1", "TEST_OPENAI_KEY"),
        ("anthropic", models["/v1/messages"], f"http://{HOST}:{upstream.port}", "TEST_ANTHROPIC_KEY"),
    ]:
        made = http.post("/api/llm/models", headers=auth, json={
            "id": model_id, "provider": provider, "api_base": base, "upstream_model": "m", "api_key_env": key_env,
            "timeout_seconds": 1, "input_cost_per_mtok": 1, "output_cost_per_mtok": 2,
        })
        assert made.status_code == 201, made.text
    yield models
    upstream.stop()


def test_a_hostile_upstream_gets_proper_errors_and_every_call_recorded(http, auth, hostile_models):
    calls = [(path, stream) for path in hostile_models for stream in (False, True)] * len(ANSWERS)

    def call(case):
        path, stream = case
        body = {**CHAT_BODIES[path], "model": hostile_models[path], "stream": stream}
        response = http.post(path, json=body, headers=auth)
        return response.status_code, response.headers.get("x-call-id"), response.text[:300]

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        results = list(pool.map(call, calls))
    for status, call_id, text in results:
        assert status in (200, 429, 502, 504), (status, text)
        assert call_id, text
    assert {status for status, _, _ in results} >= {502, 504}
    assert_alive(http)
    # Every call is in the log, with sane token counts whatever the upstream claimed.
    for _, call_id, _ in results:
        for _ in range(100):
            logged = http.get(f"/api/llm/logs/{call_id}", headers=auth)
            if logged.status_code == 200:
                break
            time.sleep(0.05)
        assert logged.status_code == 200, call_id
        row = logged.json()
        assert 0 <= row["prompt_tokens"] <= 10**9 * 3 and 0 <= row["total_tokens"] <= 4 * 10**9, row
        assert row["status"] == "success" or row["error_message"], row
