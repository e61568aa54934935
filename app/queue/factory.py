"""Builds the queue back-end the terminal's `[queue]` configuration names (server / local / none)."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from app.queue.model import QueueSystem

LOCAL_FILE = "queue.sqlite3"


def build_queue(settings, data_dir: Path, *, token_source: Callable[[], str | None] | None = None,
                item_names: Callable[[str], str | None] | None = None) -> QueueSystem | None:
    backend = settings.queue.backend
    if backend == "none":
        return None
    if backend == "local":
        from app.queue.local import LocalQueueSystem

        return LocalQueueSystem(Path(data_dir) / LOCAL_FILE, item_names=item_names)
    from app.queue.http import HttpQueueSystem
    from app.sync.client import CentralApi

    url = settings.queue.url or settings.server.url
    timeout = min(settings.server.timeout_seconds, settings.queue.timeout_seconds)
    # Its own HTTP client: queue calls run on worker threads beside the screens' look-ups. The central server's
    # queue is reached like every other central call: TLS pinning and signed requests (issue 11).
    if url.rstrip("/") == settings.server.url.rstrip("/"):
        api = CentralApi.from_settings(settings, data_dir, timeout=timeout)
    else:  # a separate hall-queue appliance: its own address, no terminal signature
        api = CentralApi(url, timeout)
    return HttpQueueSystem(api, token_source=token_source, item_names=item_names)
