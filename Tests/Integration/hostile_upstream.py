"""An upstream that answers every request with a different kind of nonsense, for the tests that prove the gateway
turns whatever an upstream does into a proper, recorded error and never crashes.

Each answer is one of `ANSWERS`, chosen in turn: broken HTTP, bodies that are not JSON, JSON of the wrong shape,
broken chunked encoding, a stream of unreadable events, usage counts that are negative or near 2^63, statuses the
gateway must map, an answer that never comes. Raw sockets, so the nonsense reaches the gateway exactly as written.
"""

from __future__ import annotations

import itertools
import json
import socketserver
import threading
import time

BIG = 2**63 - 1


def _http(status: str, body: bytes, content_type: str = "application/json", extra: str = "") -> bytes:
    head = f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n{extra}Connection: close\r\n\r\n"
    return head.encode() + body


def _chunked(*chunks: bytes, end: bool = True) -> bytes:
    head = b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    body = b"".join(f"{len(c):x}\r\n".encode() + c + b"\r\n" for c in chunks)
    return head + body + (b"0\r\n\r\n" if end else b"")


def _json(value) -> bytes:
    return json.dumps(value).encode()


ANSWERS = [
    _http("200 OK", b"{not json"),
    _http("200 OK", b"null"),
    _http("200 OK", b"[]"),
    _http("200 OK", b'{"choices":[],"content":[]}'),
    b'HTTP/1.1 200 OK\r\nContent-Length: 100\r\nConnection: close\r\n\r\n{"id":',  # cut short
    b"this is not HTTP\r\n\r\n",
    b"",  # closes at once
    _http("500 Internal Server Error", b"no"),
    _http("402 Payment Required", b"{}"),
    _http("429 Too Many Requests", b"{}", extra="Retry-After: soon\r\n"),
    _http("401 Unauthorized", b""),
    _http("200 OK", b"0123456789", extra="Content-Encoding: gzip\r\n"),
    # Usage no model could have: near 2^63, negative.
    _http("200 OK", _json({"choices": [{"index": 0, "message": {"role": "assistant", "content": "hi"}}],
                           "content": [{"type": "text", "text": "hi"}],
                           "usage": {"prompt_tokens": BIG, "completion_tokens": BIG, "input_tokens": BIG,
                                     "output_tokens": BIG, "cache_read_input_tokens": BIG}})),
    _http("200 OK", _json({"choices": [{"index": 0, "message": {"role": "assistant", "content": "hi"}}],
                           "content": [{"type": "text", "text": "hi"}],
                           "usage": {"prompt_tokens": -5, "completion_tokens": -1, "input_tokens": -5,
                                     "output_tokens": -1}})),
    _chunked(b"data: {not json}\n\n"),
    _chunked(b"data: " + b"x" * 100_000 + b"\n\n", end=False),
    b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\nZZZ\r\n",
    _chunked(b'data: {"choices":[{"index":5,"delta":{"tool_calls":[{"index":-1,"function":{"arguments":7}}]}}]}\n\n',
             b"data: [DONE]\n\n"),
    _chunked(b'event: message_start\ndata: {"type":"message_start","message":{"usage":{"input_tokens":' + str(BIG).encode()
             + b'}}}\n\n', b'data: {"type":"content_block_delta","index":99,"delta":{"type":"input_json_delta"}}\n\n',
             b'data: {"type":"message_delta","usage":{"output_tokens":' + str(BIG).encode() + b'}}\n\n'),
    _chunked(b'data: {"choices":[],"usage":{"prompt_tokens":' + str(BIG).encode() + b',"completion_tokens":1}}\n\n',
             b"data: [DONE]\n\n"),
    None,  # no answer: the model's timeout must end the call
]


class _Handler(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        connection = self.request
        connection.settimeout(10)
        data = b""
        try:
            while b"\r\n\r\n" not in data:
                chunk = connection.recv(65536)
                if not chunk:
                    return
                data += chunk
            head, _, body = data.partition(b"\r\n\r\n")
            length = next((int(line.split(b":")[1]) for line in head.split(b"\r\n")
                           if line.lower().startswith(b"content-length:")), 0)
            while len(body) < length:
                chunk = connection.recv(65536)
                if not chunk:
                    break
                body += chunk
            answer = self.server.next_answer()
            if answer is None:
                time.sleep(3)
            else:
                connection.sendall(answer)
        except OSError:
            pass


class HostileUpstream(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, host: str):
        super().__init__((host, 0), _Handler)
        self._answers = itertools.cycle(ANSWERS)
        self._lock = threading.Lock()

    @property
    def port(self) -> int:
        return self.server_address[1]

    def next_answer(self) -> bytes | None:
        with self._lock:
            return next(self._answers)

    def stop(self) -> None:
        self.shutdown()
        self.server_close()


def start_hostile_upstream(host: str) -> HostileUpstream:
    server = HostileUpstream(host)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
