"""API keys, isolation and limits through the official SDKs against a running gateway."""

from __future__ import annotations

import time
import uuid

import anthropic
import openai
import pytest

from helpers import user


def make_key(http, auth, user_id: str, role: str = "user") -> dict:
    response = http.post("/api/llm/keys", json={"user_id": user_id, "role": role}, headers=auth)
    assert response.status_code == 201, response.text
    return response.json()


def wait_for_logs(http, auth, count: int, **params) -> list[dict]:
    items: list[dict] = []
    for _ in range(200):
        items = http.get("/api/llm/logs", params={"limit": 500, **params}, headers=auth).json()["items"]
        if len(items) >= count:
            break
        time.sleep(0.05)
    return items


def test_user_keys_work_with_both_sdks_and_see_only_their_calls(base_url, http, auth):
    alice = make_key(http, auth, f"alice-{uuid.uuid4().hex[:8]}")
    bob = make_key(http, auth, f"bob-{uuid.uuid4().hex[:8]}")
    alice_openai = openai.OpenAI(base_url=base_url + "/v1", api_key=alice["key"], max_retries=0)
    bob_anthropic = anthropic.Anthropic(base_url=base_url, api_key=bob["key"], max_retries=0)
    alice_openai.chat.completions.create(model="mock/demo", messages=[user()])
    bob_anthropic.messages.create(model="mock/demo", max_tokens=64, messages=[user()])

    wait_for_logs(http, auth, 1, user_id=alice["user_id"])
    bob_calls = wait_for_logs(http, auth, 1, user_id=bob["user_id"])
    seen_by_alice = http.get("/api/llm/logs", headers={"Authorization": f"Bearer {alice['key']}"}).json()["items"]
    assert seen_by_alice and all(item["user_id"] == alice["user_id"] for item in seen_by_alice)
    other = http.get(f"/api/llm/logs/{bob_calls[0]['id']}", headers={"Authorization": f"Bearer {alice['key']}"})
    assert other.status_code == 404


def test_a_user_key_cannot_administer(http, auth):
    key = make_key(http, auth, f"carol-{uuid.uuid4().hex[:8]}")
    headers = {"Authorization": f"Bearer {key['key']}"}
    assert http.post("/api/llm/keys", json={"user_id": "x"}, headers=headers).status_code == 403
    assert http.post("/api/llm/models", json={"id": "x", "provider": "mock"}, headers=headers).status_code == 403
    assert http.put("/api/llm/limits/user/x", json={"tokens_per_day": 1}, headers=headers).status_code == 403


def test_revoked_key_is_refused_by_the_sdk(base_url, http, auth):
    key = make_key(http, auth, f"dave-{uuid.uuid4().hex[:8]}")
    client = openai.OpenAI(base_url=base_url + "/v1", api_key=key["key"], max_retries=0)
    client.chat.completions.create(model="mock/demo", messages=[user()])
    assert http.delete(f"/api/llm/keys/{key['id']}", headers=auth).status_code == 200
    with pytest.raises(openai.AuthenticationError):
        client.chat.completions.create(model="mock/demo", messages=[user()])


def test_budget_refusal_is_a_rate_limit_error_and_recorded(base_url, http, auth):
    key = make_key(http, auth, f"erin-{uuid.uuid4().hex[:8]}")
    limit = http.put(f"/api/llm/limits/user/{key['user_id']}", json={"tokens_per_day": 1}, headers=auth)
    assert limit.status_code == 200, limit.text
    client = openai.OpenAI(base_url=base_url + "/v1", api_key=key["key"], max_retries=0)
    client.chat.completions.create(model="mock/demo", messages=[user()])
    with pytest.raises(openai.RateLimitError) as refused:
        client.chat.completions.create(model="mock/demo", messages=[user()])
    assert "tokens-per-day" in str(refused.value)
    errors = wait_for_logs(http, auth, 1, user_id=key["user_id"], status="error")
    assert len(errors) == 1
    http.delete(f"/api/llm/limits/user/{key['user_id']}", headers=auth)
