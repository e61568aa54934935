"""Run the real server on a free loopback port in a background thread, for this and other test suites."""
from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn

from server.api import create_app


@contextmanager
def run_server_in_thread(
    database_url: str, *, seed_demo: bool = False, startup_timeout: float = 15.0, **app_kwargs: Any
) -> Iterator[str]:
    """Yield the base URL (http://127.0.0.1:PORT) of a live server over `database_url`; stop it on exit.

    `app_kwargs` go to `create_app` (e.g. auto_register_terminals=False); `seed_demo` loads the demo data first.
    """
    app = create_app(database_url, **app_kwargs)
    if seed_demo:
        from server.demo_data import seed_demo as _seed

        _seed(app.state.engine)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))  # the port is held from here on, so no other process can take it
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name=f"yichuang-server-{port}", daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + startup_timeout
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the test server did not start")
            time.sleep(0.01)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
        app.state.engine.dispose()
