"""Errors a client can act on: the documented status and error shape for bad requests and every upstream fault.

The last test proves the server still serves normally after all of them.
"""

from __future__ import annotations

import anthropic
import httpx
import openai
import pytest

from helpers import user

CHAT = "/v1/chat/completions"
MESSAGES = "/v1/messages"


def chat_body(model: str, **extra) -> dict:
    return {"model": model, "messages": [user()], **extra}


def messages_body(model: str, **extra) -> dict:
    return {"model": model, "max_tokens": 256, "messages": [user()], **extra}


def openai_error(response: httpx.Response) -> dict:
    """Asserts the OpenAI error shape `{"error": {"message", "type", "code"}}` and returns the inner object."""
    assert response.headers.get("content-type", "").startswith("application/json"), response.headers
    body = response.json()
    assert set(body) == {"error"}, body
    error = body["error"]
    assert isinstance(error.get("message"), str) and error["message"], body
    assert isinstance(error.get("type"), str) and error["type"], body
    assert "code" in error, body
    assert "Traceback" not in error["message"] and "Fatal error" not in error["message"]
    return error


def anthropic_error(response: httpx.Response) -> dict:
    """Asserts the Anthropic error shape `{"type": "error", "error": {"type", "message"}}`."""
    assert response.headers.get("content-type", "").startswith("application/json"), response.headers
    body = response.json()
    assert body.get("type") == "error", body
    error = body.get("error")
    assert isinstance(error, dict), body
    assert isinstance(error.get("type"), str) and error["type"], body
    assert isinstance(error.get("message"), str) and error["message"], body
    return error


# --- authentication -----------------------------------------------------------------------------


def test_missing_key_is_401(http):
    response = http.post(CHAT, json=chat_body("gpt-mock"))
    assert response.status_code == 401
    openai_error(response)


def test_wrong_key_raises_authentication_error(base_url):
    client = openai.OpenAI(base_url=base_url + "/v1", api_key="not-a-valid-key", max_retries=0)
    with pytest.raises(openai.AuthenticationError) as caught:
        client.chat.completions.create(model="gpt-mock", messages=[user()])
    assert caught.value.status_code == 401


def test_missing_key_on_messages_is_401_in_anthropic_shape(http):
    response = http.post(MESSAGES, json=messages_body("claude-mock"))
    assert response.status_code == 401
    anthropic_error(response)


def test_wrong_key_raises_anthropic_authentication_error(base_url):
    client = anthropic.Anthropic(base_url=base_url, api_key="not-a-valid-key", max_retries=0)
    with pytest.raises(anthropic.AuthenticationError):
        client.messages.create(model="claude-mock", max_tokens=64, messages=[user()])


def test_models_list_requires_key(http):
    assert http.get("/v1/models").status_code == 401


# --- bad requests -------------------------------------------------------------------------------


def test_unknown_model_is_404_model_not_found(http, auth, openai_client):
    response = http.post(CHAT, json=chat_body("no-such-model"), headers=auth)
    assert response.status_code == 404
    assert openai_error(response)["code"] == "model_not_found"

    with pytest.raises(openai.NotFoundError):
        openai_client.chat.completions.create(model="no-such-model", messages=[user()])


def test_unknown_model_on_messages_is_404_in_anthropic_shape(http, auth):
    response = http.post(MESSAGES, json=messages_body("no-such-model"), headers=auth)
    assert response.status_code == 404
    anthropic_error(response)


def test_malformed_json_is_400(http, auth):
    response = http.post(
        CHAT, content=b'{"model": "gpt-mock", "messages": [', headers={**auth, "content-type": "application/json"}
    )
    assert response.status_code == 400
    error = openai_error(response)
    assert error["type"] == "invalid_request_error"


def test_missing_messages_is_400_naming_the_field(http, auth):
    response = http.post(CHAT, json={"model": "gpt-mock"}, headers=auth)
    assert response.status_code == 400
    error = openai_error(response)
    assert "messages" in error["message"] or error.get("param") == "messages", error


def test_wrong_field_type_is_400_naming_the_field(http, auth):
    response = http.post(CHAT, json=chat_body("gpt-mock", temperature="hot"), headers=auth)
    assert response.status_code == 400
    error = openai_error(response)
    assert "temperature" in error["message"] or error.get("param") == "temperature", error


def test_bad_request_raises_bad_request_error(openai_client):
    with pytest.raises(openai.BadRequestError):
        openai_client.chat.completions.create(model="gpt-mock", messages=[{"role": "wizard", "content": "hi"}])


def test_messages_bad_request_is_400_in_anthropic_shape(http, auth):
    response = http.post(MESSAGES, json={"model": "claude-mock", "max_tokens": 64}, headers=auth)
    assert response.status_code == 400
    error = anthropic_error(response)
    assert error["type"] == "invalid_request_error"
    assert "messages" in error["message"], error


def test_messages_malformed_json_is_400_in_anthropic_shape(http, auth):
    response = http.post(MESSAGES, content=b"{not json", headers={**auth, "content-type": "application/json"})
    assert response.status_code == 400
    assert anthropic_error(response)["type"] == "invalid_request_error"


def test_oversized_body_is_413(http, auth):
    filler = "x" * (20 * 1024 * 1024)  # the default limit is 16 MiB
    response = http.post(CHAT, json=chat_body("gpt-mock", messages=[user(filler)]), headers=auth, timeout=60.0)
    assert response.status_code == 413
    openai_error(response)


# --- upstream faults ----------------------------------------------------------------------------


def test_upstream_429_is_429_with_retry_after(http, auth, openai_client):
    response = http.post(CHAT, json=chat_body("openai-429"), headers=auth)
    assert response.status_code == 429
    openai_error(response)
    assert response.headers.get("retry-after") == "7"  # the mock upstream's value, passed on

    with pytest.raises(openai.RateLimitError):
        openai_client.chat.completions.create(model="openai-429", messages=[user()])


def test_anthropic_upstream_429_is_429_with_retry_after(http, auth, anthropic_client):
    response = http.post(CHAT, json=chat_body("claude-429"), headers=auth)
    assert response.status_code == 429
    openai_error(response)
    assert response.headers.get("retry-after") == "7"

    response = http.post(MESSAGES, json=messages_body("claude-429"), headers=auth)
    assert response.status_code == 429
    anthropic_error(response)
    assert response.headers.get("retry-after") == "7"

    with pytest.raises(anthropic.RateLimitError):
        anthropic_client.messages.create(model="claude-429", max_tokens=64, messages=[user()])


@pytest.mark.parametrize("model", ["openai-500", "openai-503"])
def test_upstream_5xx_is_502_with_upstream_message(http, auth, model):
    response = http.post(CHAT, json=chat_body(model), headers=auth)
    assert response.status_code == 502
    error = openai_error(response)
    assert "injected by the mock upstream" in error["message"], error


def test_upstream_5xx_on_messages_is_502_in_anthropic_shape(http, auth):
    response = http.post(MESSAGES, json=messages_body("openai-500"), headers=auth)
    assert response.status_code == 502
    anthropic_error(response)


def test_upstream_malformed_body_is_502(http, auth, openai_client):
    response = http.post(CHAT, json=chat_body("openai-malformed"), headers=auth)
    assert response.status_code == 502
    openai_error(response)

    with pytest.raises(openai.InternalServerError) as caught:
        openai_client.chat.completions.create(model="openai-malformed", messages=[user()])
    assert caught.value.status_code == 502


def test_upstream_truncated_body_is_502(http, auth):
    # `stream-cut` on a non-streamed request sends half of the JSON body.
    response = http.post(CHAT, json=chat_body("openai-cut"), headers=auth)
    assert response.status_code == 502
    openai_error(response)


def test_unreachable_upstream_is_502(http, auth):
    response = http.post(CHAT, json=chat_body("unreachable"), headers=auth)
    assert response.status_code == 502
    openai_error(response)


def test_upstream_hang_is_504_after_model_timeout(http, auth):
    # The model's timeout is 2 s; a gateway that never times out makes this client give up after 20 s.
    response = http.post(CHAT, json=chat_body("openai-hang"), headers=auth, timeout=20.0)
    assert response.status_code == 504
    openai_error(response)


def test_upstream_hang_streamed_is_504_or_stream_error(http, auth):
    with http.stream("POST", CHAT, json=chat_body("openai-hang", stream=True), headers=auth, timeout=20.0) as response:
        if response.status_code == 200:
            # Headers already sent: the timeout must arrive as an in-stream error event.
            text = response.read().decode()
            assert '"error"' in text, text
        else:
            response.read()
            assert response.status_code == 504
            openai_error(response)


def test_mock_upstream_survives_a_cancelled_hang(gateway):
    """After the gateway gave up on `hang` (the two tests above), that mock must still answer normally."""
    process = gateway.processes["mock-upstream-hang"]
    body = {"model": "gpt-4o-mini", "messages": [user()]}
    try:
        response = httpx.post(
            gateway.hang_mock_url + "/v1/chat/completions",
            json=body,
            headers={"Authorization": "Bearer sk-direct"},
            timeout=5.0,
        )
        answer = f"HTTP {response.status_code}"
    except httpx.HTTPError as error:
        response, answer = None, f"{type(error).__name__}: {error}"
    assert response is not None and response.status_code == 200, (
        f"concord mock-upstream stopped answering after a hung request was cancelled ({answer}); "
        f"process {'running' if process.popen.poll() is None else f'exited {process.popen.returncode}'}; "
        f"stderr: {process.stderr_path}\n" + "\n".join(
            line for line in process.stderr_path.read_text(errors="replace").splitlines()[:40]
            if "Fatal error" in line or "ChatEndpoint" in line
        )
    )


def test_stream_cut_is_reported_to_openai_sdk(openai_client):
    """The gateway sends an in-stream `data: {"error": {...}}` event, which the SDK raises as APIError.

    A stream that merely ends without a finish_reason would also tell the caller the answer is incomplete,
    so that is accepted too; a stream that looks complete is not.
    """
    chunks = []
    try:
        for chunk in openai_client.chat.completions.create(model="openai-cut", messages=[user()], stream=True):
            chunks.append(chunk)
    except openai.APIError as error:
        assert error.message, error
        return
    finish = [c.choices[0].finish_reason for c in chunks if c.choices and c.choices[0].finish_reason]
    assert finish == [], f"a cut stream must not look complete: finish_reason {finish}"


def test_stream_cut_sends_in_stream_error_event(http, auth):
    with http.stream("POST", CHAT, json=chat_body("openai-cut", stream=True), headers=auth) as response:
        assert response.status_code == 200
        lines = [line for line in response.iter_lines() if line.startswith("data:")]
    payloads = [line[len("data:"):].strip() for line in lines]
    assert any('"error"' in p for p in payloads), payloads
    assert '"finish_reason":"stop"' not in "".join(payloads).replace(" ", "")


def test_anthropic_stream_cut_is_reported_to_anthropic_sdk(anthropic_client):
    try:
        with anthropic_client.messages.stream(model="claude-cut", max_tokens=256, messages=[user()]) as stream:
            for _ in stream.text_stream:
                pass
            final = stream.get_final_message()
    except anthropic.APIError as error:
        assert error.message, error
        return
    assert final.stop_reason is None, f"a cut stream must not look complete: stop_reason {final.stop_reason}"


def test_malformed_stream_event_is_reported(openai_client):
    try:
        chunks = list(openai_client.chat.completions.create(model="openai-malformed", messages=[user()], stream=True))
    except openai.APIError:
        return
    finish = [c.choices[0].finish_reason for c in chunks if c.choices and c.choices[0].finish_reason]
    assert finish == [], f"a broken stream must not look complete: finish_reason {finish}"


def test_upstream_fault_through_sdk_raises_status_error(anthropic_client):
    with pytest.raises(anthropic.APIStatusError) as caught:
        anthropic_client.messages.create(model="openai-503", max_tokens=64, messages=[user()])
    assert caught.value.status_code == 502


# --- and the server keeps serving ---------------------------------------------------------------


def test_server_still_serves_after_errors(http, openai_client, anthropic_client):
    assert http.get("/health").status_code == 200
    response = openai_client.chat.completions.create(model="gpt-mock", messages=[user()])
    assert response.choices[0].message.content
    message = anthropic_client.messages.create(model="claude-mock", max_tokens=64, messages=[user()])
    assert message.content[0].text
