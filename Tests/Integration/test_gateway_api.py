"""The review's simple API, call-id headers, and what the gateway sends upstream."""

from __future__ import annotations

import json

import httpx

from helpers import PROMPT, user

SIMPLE = "/api/llm/chat"


def sse_data(response: httpx.Response) -> list[dict]:
    events = []
    for line in response.iter_lines():
        if line.startswith("data:"):
            payload = line[len("data:"):].strip()
            if payload and payload != "[DONE]":
                events.append(json.loads(payload))
    return events


# --- POST /api/llm/chat -------------------------------------------------------------------------


def test_simple_chat(http, auth):
    response = http.post(SIMPLE, json={"message": "hi", "model": "gpt-mock"}, headers=auth)
    assert response.status_code == 200, response.text
    body = response.json()
    assert {"content", "model", "usage", "call_id", "trace_id"} <= set(body), body
    assert isinstance(body["content"], str) and body["content"]
    assert body["model"] == "gpt-mock"
    usage = body["usage"]
    assert usage["prompt_tokens"] > 0 and usage["completion_tokens"] > 0
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"]
    assert body["call_id"] and body["trace_id"]
    assert response.headers.get("x-call-id") == body["call_id"]
    assert response.headers.get("x-trace-id") == body["trace_id"]


def test_simple_chat_with_system_and_anthropic_model(http, auth):
    response = http.post(
        SIMPLE, json={"message": "hi", "system": "You are terse.", "model": "claude-mock"}, headers=auth
    )
    assert response.status_code == 200, response.text
    assert response.json()["content"]


def test_simple_chat_streamed(http, auth):
    plain = http.post(SIMPLE, json={"message": "hi", "model": "gpt-mock"}, headers=auth).json()
    with http.stream("POST", SIMPLE, json={"message": "hi", "model": "gpt-mock", "stream": True}, headers=auth) as response:
        assert response.status_code == 200
        assert response.headers.get("content-type", "").startswith("text/event-stream")
        call_id_header = response.headers.get("x-call-id")
        events = sse_data(response)
    assert events, "no SSE data lines"
    deltas, done = events[:-1], events[-1]
    assert deltas and all(e.get("type") == "delta" for e in deltas), events
    assert done.get("type") == "done", done
    text = "".join(e["content"] for e in deltas)
    assert text == plain["content"]
    assert done["call_id"] and done["trace_id"]
    assert done["call_id"] != plain["call_id"], "each call gets its own id"
    if call_id_header:
        assert done["call_id"] == call_id_header
    assert done["usage"]["prompt_tokens"] > 0 and done["usage"]["completion_tokens"] > 0
    if "content" in done:
        assert done["content"] == text


def test_simple_chat_requires_message(http, auth):
    response = http.post(SIMPLE, json={"model": "gpt-mock"}, headers=auth)
    assert response.status_code == 400
    assert "message" in response.json()["error"]["message"]


def test_simple_chat_requires_key(http):
    assert http.post(SIMPLE, json={"message": "hi", "model": "gpt-mock"}).status_code == 401


# --- response headers ---------------------------------------------------------------------------


def test_call_headers_on_openai_chat(openai_client):
    raw = openai_client.chat.completions.with_raw_response.create(model="gpt-mock", messages=[user()])
    assert raw.headers.get("x-call-id")
    assert raw.headers.get("x-trace-id")
    raw.parse()


def test_call_headers_on_openai_stream(http, auth):
    body = {"model": "gpt-mock", "messages": [user()], "stream": True}
    with http.stream("POST", "/v1/chat/completions", json=body, headers=auth) as response:
        assert response.status_code == 200
        assert response.headers.get("content-type", "").startswith("text/event-stream")
        assert response.headers.get("x-call-id")
        assert response.headers.get("x-trace-id")
        lines = [line for line in response.iter_lines() if line.startswith("data:")]
    assert lines[-1].strip() == "data: [DONE]"


def test_call_headers_on_anthropic_messages(anthropic_client):
    raw = anthropic_client.messages.with_raw_response.create(model="claude-mock", max_tokens=64, messages=[user()])
    assert raw.headers.get("x-call-id")
    assert raw.headers.get("x-trace-id")


def test_each_call_has_its_own_call_id(openai_client):
    ids = {
        openai_client.chat.completions.with_raw_response.create(model="gpt-mock", messages=[user()]).headers["x-call-id"]
        for _ in range(3)
    }
    assert len(ids) == 3


# --- GET /v1/models -----------------------------------------------------------------------------


def test_models_endpoint_shape(http, auth):
    response = http.get("/v1/models", headers=auth)
    assert response.status_code == 200
    body = response.json()
    assert body.get("object") == "list"
    ids = {m["id"] for m in body["data"]}
    assert {"gpt-mock", "claude-mock"} <= ids, ids
    assert all(m.get("object") == "model" for m in body["data"])


def test_health_needs_no_key(http):
    assert http.get("/health").status_code == 200


# --- what reaches the upstream ------------------------------------------------------------------
# gpt-recorder / claude-recorder point at the Python recording upstream (recording_upstream.py).


def test_openai_upstream_gets_provider_key_not_gateway_key(openai_client, recording_upstream, admin_key):
    before = len(recording_upstream.requests_for("recorder-gpt"))
    response = openai_client.chat.completions.create(model="gpt-recorder", messages=[user()])
    assert response.choices[0].message.content
    sent = recording_upstream.requests_for("recorder-gpt")[before:]
    assert len(sent) == 1
    request = sent[0]
    assert request.path == "/v1/chat/completions"
    assert request.headers.get("authorization") == "Bearer sk-upstream-openai"
    assert admin_key not in json.dumps(request.headers), request.headers


def test_anthropic_upstream_gets_provider_key_and_version(anthropic_client, openai_client, recording_upstream, admin_key):
    before = len(recording_upstream.requests_for("recorder-claude"))
    message = anthropic_client.messages.create(model="claude-recorder", max_tokens=64, messages=[user()])
    assert message.content[0].text
    response = openai_client.chat.completions.create(model="claude-recorder", messages=[user()])
    assert response.choices[0].message.content
    sent = recording_upstream.requests_for("recorder-claude")[before:]
    assert len(sent) == 2
    for request in sent:
        assert request.path == "/v1/messages"
        assert request.headers.get("x-api-key") == "sk-upstream-anthropic"
        assert request.headers.get("anthropic-version")
        assert admin_key not in json.dumps(request.headers), request.headers
    # A caller that sends no max_tokens still gets a valid Anthropic request (a per-model default).
    assert isinstance(sent[1].body.get("max_tokens"), int) and sent[1].body["max_tokens"] > 0


def test_stream_always_asks_openai_upstream_for_usage(openai_client, recording_upstream):
    before = len(recording_upstream.requests_for("recorder-gpt"))
    chunks = list(openai_client.chat.completions.create(model="gpt-recorder", messages=[user()], stream=True))
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert all(c.usage is None for c in chunks), "usage chunk passed on although the client did not ask"
    sent = recording_upstream.requests_for("recorder-gpt")[before:]
    assert len(sent) == 1
    assert sent[0].body.get("stream") is True
    assert (sent[0].body.get("stream_options") or {}).get("include_usage") is True, sent[0].body


def test_provider_key_never_reaches_the_caller(http, auth):
    """The mock upstream answers with `x-mock-received-key: <the key it got>`; that succeeded calls work
    proves a key was sent (the mock rejects requests without one), and the recording-upstream tests above
    prove which key. The gateway must not pass that header (or the provider key anywhere) back to callers.
    """
    for path, body in [
        ("/v1/chat/completions", {"model": "gpt-mock", "messages": [user(PROMPT)]}),
        ("/v1/messages", {"model": "claude-mock", "max_tokens": 64, "messages": [user(PROMPT)]}),
    ]:
        response = http.post(path, json=body, headers=auth)
        assert response.status_code == 200, response.text
        everything = json.dumps(dict(response.headers)) + response.text
        assert "sk-upstream-" not in everything, f"{path} leaked a provider key: {dict(response.headers)}"
