"""A fault-injecting TCP proxy for HTTP/1.1 between the client and a real server (asyncio on its own thread).

Each client request is read whole, then a policy picks what happens to it:
  pass            forward, answer
  delay:S         wait S seconds, then forward
  drop_before     close the connection without forwarding (the server never sees it)
  drop_after      forward (the server commits), then close without answering
  truncate        forward, send half of the answer, close
  hang            never answer (the client times out); not forwarded
  hang_after      forward, then never answer (the server committed; the client times out)
  500 / 502 / 503 answer that status without forwarding
  replace_502     forward (the server commits), answer 502 instead of its answer
`cut()` makes the network disappear (new connections are closed at once, open ones are aborted); `restore()`
brings it back. Every connection carries one request (the proxy answers with `Connection: close`)."""
from __future__ import annotations

import asyncio
import random
import threading
from collections import Counter
from typing import Callable

Policy = Callable[[str, str], str]  # (method, path) -> action


def always(action: str) -> Policy:
    return lambda method, path: action


def random_policy(seed: int, faults: dict[str, float], *, spare_health: bool = False) -> Policy:
    """Pick an action with the given probabilities (the rest: pass). Health probes may be spared."""
    rng = random.Random(seed)
    lock = threading.Lock()

    def pick(method: str, path: str) -> str:
        if spare_health and path.endswith("/health"):
            return "pass"
        with lock:
            x = rng.random()
        acc = 0.0
        for action, p in faults.items():
            acc += p
            if x < acc:
                return action
        return "pass"

    return pick


def _canned(status: int) -> bytes:
    body = b'{"error":{"code":"proxy","message":"\xe4\xb8\xad\xe5\xbf\x83\xe7\xb3\xbb\xe7\xbb\x9f\xe4\xb8\x8d\xe5\x8f\xaf\xe7\x94\xa8","detail":"fault injected"}}'
    reason = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}.get(status, "Error")
    return (f"HTTP/1.1 {status} {reason}\r\ncontent-type: application/json\r\ncontent-length: {len(body)}\r\n"
            f"connection: close\r\n\r\n").encode() + body


class FaultProxy:
    def __init__(self, upstream: str):
        host, port = upstream.replace("http://", "").rstrip("/").split(":")
        self.upstream = (host, int(port))
        self.policy: Policy = always("pass")
        self.stats: Counter[str] = Counter()
        self._cut = False
        self._loop = asyncio.new_event_loop()
        self._server: asyncio.base_events.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._thread = threading.Thread(target=self._loop.run_forever, name="fault-proxy", daemon=True)
        self.port = 0

    # -- control (any thread) ----------------------------------------------------------------------------------
    def start(self) -> "FaultProxy":
        self._thread.start()
        fut = asyncio.run_coroutine_threadsafe(self._start(), self._loop)
        self.port = fut.result(10)
        return self

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def set_policy(self, policy: Policy) -> None:
        self.policy = policy

    def cut(self) -> None:
        self._cut = True
        asyncio.run_coroutine_threadsafe(self._abort_all(), self._loop).result(5)

    def restore(self) -> None:
        self._cut = False

    def stop(self) -> None:
        async def _stop():
            if self._server:
                self._server.close()
            await self._abort_all()

        asyncio.run_coroutine_threadsafe(_stop(), self._loop).result(5)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)

    # -- the proxy ---------------------------------------------------------------------------------------------
    async def _start(self) -> int:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        return self._server.sockets[0].getsockname()[1]

    async def _abort_all(self) -> None:
        for w in list(self._writers):
            w.transport.abort()
        self._writers.clear()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self._cut:
            self.stats["refused"] += 1
            writer.transport.abort()
            return
        self._writers.add(writer)
        try:
            request = await self._read_request(reader)
            if request is None or self._cut:
                writer.transport.abort()
                return
            head, body, method, path = request
            action = self.policy(method, path)
            self.stats[action] += 1
            if action.startswith("delay:"):
                await asyncio.sleep(float(action.split(":", 1)[1]))
                action = "pass"
            if action == "drop_before":
                writer.transport.abort()
                return
            if action in ("500", "502", "503"):
                writer.write(_canned(int(action)))
                await writer.drain()
                writer.close()
                return
            if action == "hang":
                await asyncio.sleep(30)
                writer.transport.abort()
                return
            response = await self._forward(head, body)
            if self._cut or response is None:
                writer.transport.abort()
                return
            if action == "drop_after":
                writer.transport.abort()
                return
            if action == "hang_after":
                await asyncio.sleep(30)
                writer.transport.abort()
                return
            if action == "truncate":
                writer.write(response[: max(1, len(response) // 2)])
                await writer.drain()
                writer.transport.abort()
                return
            writer.write(_canned(502) if action == "replace_502" else response)
            await writer.drain()
            writer.close()
        except (ConnectionError, asyncio.IncompleteReadError, OSError):
            writer.transport.abort()
        finally:
            self._writers.discard(writer)

    @staticmethod
    async def _read_request(reader: asyncio.StreamReader):
        try:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 30)
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, asyncio.TimeoutError, ConnectionError):
            return None
        lines = head.decode("latin-1").split("\r\n")
        method, path = lines[0].split(" ")[:2]
        length = 0
        kept = [lines[0]]
        for line in lines[1:]:
            if not line:
                continue
            name = line.split(":", 1)[0].strip().lower()
            if name == "content-length":
                length = int(line.split(":", 1)[1])
            if name in ("connection", "keep-alive"):
                continue
            kept.append(line)
        kept.append("Connection: close")
        body = await reader.readexactly(length) if length else b""
        return ("\r\n".join(kept) + "\r\n\r\n").encode("latin-1"), body, method, path

    async def _forward(self, head: bytes, body: bytes) -> bytes | None:
        try:
            r, w = await asyncio.open_connection(*self.upstream)
        except OSError:
            return _canned(502)
        try:
            w.write(head + body)
            await w.drain()
            chunks = []
            while True:
                data = await r.read(65536)
                if not data:
                    break
                chunks.append(data)
            return b"".join(chunks)
        finally:
            w.close()
