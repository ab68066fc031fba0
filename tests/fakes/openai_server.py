"""A scripted OpenAI-compatible HTTP server on loopback, for tests that drive the real OpenAI client.

The server speaks the Chat Completions wire format (``POST /v1/chat/completions``, ``GET /v1/models``),
answers each request with the next queued reply, and records every request body so a test can assert on
what the client actually sent (prompts, ``response_format``, ``temperature``, ``seed``).

A reply is a dict:

- ``{"content": "text"}``: an assistant message;
- ``{"json": {...}}``: an assistant message whose content is ``json.dumps`` of the value (structured output);
- ``{"tool_calls": [{"name": "search", "args": {...}}]}``: an assistant message with tool calls;
- ``{"status": 503, "body": "overloaded"}``: an HTTP error (``body`` a string, wrapped in OpenAI's error
  envelope, or a dict sent as it is); ``"headers"`` adds response headers (e.g. ``retry-after-ms``);
- ``{"drop": True}``: close the connection without answering;
- ``"delay": seconds`` combines with any of them and sleeps before answering;
- ``"finish_reason"`` overrides the finish reason of a message reply.

With an empty queue the server answers HTTP 500 with the error message "no scripted reply".
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

NO_REPLY = "no scripted reply"
_STREAM_PIECES = 4


def dead_endpoint() -> str:
    """A base URL on a loopback port where nothing listens (connecting is refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"


def _split(text: str, pieces: int = _STREAM_PIECES) -> list[str]:
    """Cut ``text`` into up to ``pieces`` consecutive non-empty parts (at least one part)."""
    if len(text) <= 1:
        return [text]
    size = max(1, -(-len(text) // pieces))
    return [text[i : i + size] for i in range(0, len(text), size)]


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    owner: ScriptedOpenAIServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that gave up (timeout, cancelled stream) leaves a broken pipe behind; that is expected here.
        return


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - signature of the base class
        return

    # --- routes ---

    def do_GET(self) -> None:  # noqa: N802 - http.server naming
        if self.path.rstrip("/").endswith("/models"):
            owner = self.server.owner
            data = [{"id": owner.model, "object": "model", "created": int(time.time()), "owned_by": "scripted"}]
            self._send_json(200, {"object": "list", "data": data})
        else:
            self._send_error(404, f"no route for GET {self.path}")

    def do_POST(self) -> None:  # noqa: N802 - http.server naming
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if not self.path.rstrip("/").endswith("/chat/completions"):
            self._send_error(404, f"no route for POST {self.path}")
            return
        try:
            body = json.loads(raw or b"{}")
        except json.JSONDecodeError as exc:
            self._send_error(400, f"request body is not JSON: {exc}")
            return
        owner = self.server.owner
        reply = owner._next(body)
        if reply is None:
            self._send_error(500, NO_REPLY)
            return
        if reply.get("delay"):
            owner._stopping.wait(float(reply["delay"]))
        if reply.get("drop"):
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        if "status" in reply:
            status = int(reply["status"])
            payload = reply.get("body", "scripted error")
            self._send_error(status, payload, headers=reply.get("headers"))
            return
        message, finish = self._message(reply)
        if body.get("stream"):
            self._stream(body, message, finish)
        else:
            self._send_json(200, self._completion(body, message, finish), headers=reply.get("headers"))

    # --- reply building ---

    def _message(self, reply: dict[str, Any]) -> tuple[dict[str, Any], str]:
        message: dict[str, Any] = {"role": "assistant", "content": None}
        finish = "stop"
        if "json" in reply:
            message["content"] = json.dumps(reply["json"])
        elif "content" in reply:
            message["content"] = reply["content"]
        if reply.get("tool_calls"):
            owner = self.server.owner
            message["tool_calls"] = [
                {
                    "id": f"call_{owner._counter()}",
                    "type": "function",
                    "function": {"name": call["name"], "arguments": json.dumps(call.get("args", {}))},
                }
                for call in reply["tool_calls"]
            ]
            finish = "tool_calls"
        return message, reply.get("finish_reason", finish)

    def _completion(self, body: dict[str, Any], message: dict[str, Any], finish: str) -> dict[str, Any]:
        owner = self.server.owner
        prompt_tokens = sum(len(str(m.get("content") or "").split()) for m in body.get("messages", []))
        completion_tokens = len(str(message.get("content") or "").split())
        return {
            "id": f"chatcmpl-{owner._counter()}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body.get("model") or owner.model,
            "choices": [{"index": 0, "message": message, "finish_reason": finish, "logprobs": None}],
            "usage": {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens,
            },
        }

    def _stream(self, body: dict[str, Any], message: dict[str, Any], finish: str) -> None:
        owner = self.server.owner
        base = {
            "id": f"chatcmpl-{owner._counter()}",
            "object": "chat.completion.chunk",
            "created": int(time.time()),
            "model": body.get("model") or owner.model,
        }

        def chunk(delta: dict[str, Any], finish_reason: str | None = None) -> dict[str, Any]:
            return {**base, "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason}]}

        events = [chunk({"role": "assistant", "content": ""})]
        if message.get("content"):
            events += [chunk({"content": piece}) for piece in _split(message["content"])]
        for index, call in enumerate(message.get("tool_calls", [])):
            head = {"index": index, "id": call["id"], "type": "function",
                    "function": {"name": call["function"]["name"], "arguments": ""}}
            events.append(chunk({"tool_calls": [head]}))
            for piece in _split(call["function"]["arguments"]):
                events.append(chunk({"tool_calls": [{"index": index, "function": {"arguments": piece}}]}))
        events.append(chunk({}, finish))
        if (body.get("stream_options") or {}).get("include_usage"):
            completion = self._completion(body, message, finish)
            events.append({**base, "choices": [], "usage": completion["usage"]})

        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        try:
            for event in events:
                self.wfile.write(f"data: {json.dumps(event)}\n\n".encode())
                self.wfile.flush()
            self.wfile.write(b"data: [DONE]\n\n")
            self.wfile.flush()
        except OSError:
            pass

    # --- low-level senders ---

    def _send_json(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(payload).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for key, value in (headers or {}).items():
                self.send_header(key, str(value))
            self.end_headers()
            self.wfile.write(data)
            self.wfile.flush()
        except OSError:
            self.close_connection = True

    def _send_error(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        if isinstance(body, str):
            kind = "server_error" if status >= 500 else "invalid_request_error"
            body = {"error": {"message": body, "type": kind, "param": None, "code": status}}
        self._send_json(status, body, headers=headers)


class ScriptedOpenAIServer:
    """An OpenAI-compatible server on ``127.0.0.1`` answering from a queue of scripted replies.

    Use it as a context manager::

        with ScriptedOpenAIServer() as server:
            server.push({"content": "hello"}, {"status": 503, "body": "busy"})
            model = ChatOpenAI(base_url=server.base_url, api_key="x", model=server.model)
    """

    def __init__(self, model: str = "scripted-model") -> None:
        self.model = model
        self.requests: list[dict[str, Any]] = []
        self._replies: deque[dict[str, Any]] = deque()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._ids = 0
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle ---

    def start(self) -> ScriptedOpenAIServer:
        if self._httpd is not None:
            return self
        self._stopping.clear()
        httpd = _Server(("127.0.0.1", 0), _Handler)
        httpd.owner = self
        self._httpd = httpd
        self._thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="scripted-openai-server", daemon=True)
        self._thread.start()
        return self

    def close(self) -> None:
        if self._httpd is None:
            return
        self._stopping.set()  # wakes replies sleeping on a delay
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd = None
        self._thread = None

    def __enter__(self) -> ScriptedOpenAIServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # --- scripting ---

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("the server is not running; use it as a context manager or call start()")
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def push(self, *replies: dict[str, Any]) -> None:
        """Queue replies; each request consumes the next one, in order."""
        for reply in replies:
            if not isinstance(reply, dict):
                raise TypeError(f"a scripted reply is a dict, not {type(reply).__name__}")
        with self._lock:
            self._replies.extend(replies)

    @property
    def pending(self) -> int:
        """How many queued replies are still unused."""
        with self._lock:
            return len(self._replies)

    def _next(self, body: dict[str, Any]) -> dict[str, Any] | None:
        with self._lock:
            self.requests.append(body)
            return self._replies.popleft() if self._replies else None

    def _counter(self) -> int:
        with self._lock:
            self._ids += 1
            return self._ids
