"""Stand-ins for a receipt printer: a TCP listener on 127.0.0.1 that records bytes and answers DLE EOT status
queries (tests, support checks), and an in-memory transport (the simulated back-end)."""
from __future__ import annotations

import socket
import threading
from dataclasses import dataclass

from devices.printer.transport import Transport


@dataclass
class PrinterState:
    paper_out: bool = False
    near_end: bool = False
    cover_open: bool = False
    offline: bool = False
    silent: bool = False  # never answers status queries
    close_on_data: bool = False  # drops the connection when print data arrives

    def status_byte(self, n: int) -> int:
        b = 0x12
        if n == 1 and (self.offline or self.paper_out or self.cover_open):
            b |= 0x08
        if n == 2:
            b |= (0x04 if self.cover_open else 0) | (0x20 if self.paper_out else 0)
        if n == 4:
            b |= (0x60 if self.paper_out else 0) | (0x0C if self.near_end else 0)
        return b


class TcpPrinterListener:
    """An ESC/POS network printer on 127.0.0.1:<port>: records every byte; answers DLE EOT n."""

    def __init__(self, port: int = 0, state: PrinterState | None = None):
        self.state = state or PrinterState()
        self.server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.server.bind(("127.0.0.1", port))
        self.server.listen(4)
        self.port = self.server.getsockname()[1]
        self.url = f"tcp://127.0.0.1:{self.port}"
        self.received = bytearray()  # print data, status queries removed
        self.queries: list[int] = []
        self.connections = 0
        self._stop = False
        self._thread = threading.Thread(target=self._accept, name="fake-printer", daemon=True)

    def start(self) -> "TcpPrinterListener":
        self._thread.start()
        return self

    def _accept(self) -> None:
        while not self._stop:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        pending = b""
        with conn:
            while not self._stop:
                try:
                    chunk = conn.recv(65536)
                except OSError:
                    return
                if not chunk:
                    return
                data = pending + chunk
                pending = b""
                i = 0
                while i < len(data):
                    j = data.find(b"\x10\x04", i)
                    if j < 0 or j + 2 >= len(data):
                        end = len(data) if j < 0 else j
                        self.received += data[i:end]
                        pending = data[end:] if j >= 0 else b""
                        break
                    n = data[j + 2]
                    self.received += data[i:j]
                    if n in (1, 2, 3, 4):
                        self.queries.append(n)
                        if not self.state.silent:
                            conn.sendall(bytes([self.state.status_byte(n)]))
                        i = j + 3
                    else:
                        self.received += data[j:j + 2]
                        i = j + 2
                if self.state.close_on_data and self.received:
                    return

    def stop(self) -> None:
        self._stop = True
        try:
            self.server.shutdown(socket.SHUT_RDWR)  # wakes the accept() and refuses new connections
        except OSError:
            pass
        self.server.close()


class MemoryTransport(Transport):
    supports_status = True
    label = "模拟小票机"

    def __init__(self, state: PrinterState, sink: list[bytes]):
        self.state, self.sink = state, sink

    def open(self) -> None:
        pass

    def write(self, data: bytes) -> None:
        self.sink.append(bytes(data))
        del self.sink[:-20]

    def status(self, n: int) -> int | None:
        return None if self.state.silent else self.state.status_byte(n)

    def close(self) -> None:
        pass
