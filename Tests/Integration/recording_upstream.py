"""A tiny OpenAI + Anthropic upstream in Python that records every request it receives.

`concord mock-upstream` does not let a test see what the gateway sent it (the gateway does not forward
the mock's `x-mock-received-key` header), so the tests that must prove what went upstream — the provider
key from `api_key_env` rather than the caller's gateway key, `anthropic-version`, `stream_options` — point
a model at this server instead and inspect `RecordingUpstream.requests`.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: dict | None


@dataclass
class RecordingUpstream:
    server: ThreadingHTTPServer
    requests: list[RecordedRequest] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    def requests_for(self, upstream_model: str) -> list[RecordedRequest]:
        with self.lock:
            return [r for r in self.requests if r.body and r.body.get("model") == upstream_model]

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


REPLY = "Recorded reply from the Python test upstream."


def _openai_body(model: str) -> dict:
    return {
        "id": "chatcmpl-recorder",
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": REPLY}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 9, "completion_tokens": 7, "total_tokens": 16},
    }


def _openai_stream(model: str, include_usage: bool) -> list[dict]:
    base = {"id": "chatcmpl-recorder", "object": "chat.completion.chunk", "created": 1_700_000_000, "model": model}
    chunks = [
        {**base, "choices": [{"index": 0, "delta": {"role": "assistant", "content": ""}, "finish_reason": None}]},
        {**base, "choices": [{"index": 0, "delta": {"content": REPLY}, "finish_reason": None}]},
        {**base, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]},
    ]
    if include_usage:
        chunks.append({**base, "choices": [], "usage": {"prompt_tokens": 9, "completion_tokens": 7, "total_tokens": 16}})
    return chunks


def _anthropic_body(model: str) -> dict:
    return {
        "id": "msg_recorder",
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": [{"type": "text", "text": REPLY}],
        "stop_reason": "end_turn",
        "stop_sequence": None,
        "usage": {"input_tokens": 9, "output_tokens": 7},
    }


def _anthropic_stream(model: str) -> list[tuple[str, dict]]:
    start = _anthropic_body(model)
    start["content"] = []
    start["stop_reason"] = None
    start["usage"] = {"input_tokens": 9, "output_tokens": 1}
    return [
        ("message_start", {"type": "message_start", "message": start}),
        ("content_block_start", {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}),
        ("content_block_delta", {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": REPLY}}),
        ("content_block_stop", {"type": "content_block_stop", "index": 0}),
        ("message_delta", {"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence": None}, "usage": {"output_tokens": 7}}),
        ("message_stop", {"type": "message_stop"}),
    ]


def start_recording_upstream(host: str = "127.0.0.1") -> RecordingUpstream:
    upstream: RecordingUpstream

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format, *args):  # noqa: A002 - keep pytest output clean
            pass

        def do_POST(self):  # noqa: N802
            length = int(self.headers.get("content-length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                body = None
            with upstream.lock:
                upstream.requests.append(
                    RecordedRequest("POST", self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                )
            body = body if isinstance(body, dict) else {}
            model = str(body.get("model", ""))
            stream = bool(body.get("stream"))
            if self.path.endswith("/chat/completions"):
                if stream:
                    include_usage = bool((body.get("stream_options") or {}).get("include_usage"))
                    events = [f"data: {json.dumps(c)}\n\n" for c in _openai_stream(model, include_usage)]
                    events.append("data: [DONE]\n\n")
                    self._send_stream(events)
                else:
                    self._send_json(200, _openai_body(model))
            elif self.path.endswith("/messages"):
                if stream:
                    events = [f"event: {name}\ndata: {json.dumps(data)}\n\n" for name, data in _anthropic_stream(model)]
                    self._send_stream(events)
                else:
                    self._send_json(200, _anthropic_body(model))
            else:
                self._send_json(404, {"error": {"message": f"no route {self.path}", "type": "not_found"}})

        def _send_json(self, status: int, payload: dict) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _send_stream(self, events: list[str]) -> None:
            data = "".join(events).encode()
            self.send_response(200)
            self.send_header("content-type", "text/event-stream")
            self.send_header("cache-control", "no-cache")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = ThreadingHTTPServer((host, 0), Handler)
    server.daemon_threads = True
    upstream = RecordingUpstream(server=server)
    threading.Thread(target=server.serve_forever, name="recording-upstream", daemon=True).start()
    return upstream
