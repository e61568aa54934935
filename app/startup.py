"""Builds the client's runtime on a background thread while the login window is already on screen (issue 13:
cold start to an interactive login ≤ 1.5 s). Importing and opening the domain core (SQLAlchemy, the store, the
catalog, the HTTP clients, the devices) takes most of a start; the clerk types the operator id and password
meanwhile, and the login itself waits for the runtime on its worker thread, never on the GUI thread."""
from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from app.bootstrap import Runtime
    from app.config import Settings
    from app.paths import AppPaths

log = logging.getLogger(__name__)


class PendingRuntime:
    """A runtime being built. `settings` and `paths` are known at once (the login window needs the agency name,
    the language and the mode); `wait()` returns the Runtime or raises what building it raised."""

    def __init__(self, paths: "AppPaths", settings: "Settings", build: Callable[[], "Runtime"],
                 after: Callable[["Runtime"], None] | None = None):
        self.paths, self.settings = paths, settings
        self._build, self._after = build, after
        self._done = threading.Event()
        self._runtime: Runtime | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="runtime-start", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            runtime = self._build()
            if self._after is not None:
                try:
                    self._after(runtime)
                except BaseException:
                    runtime.close()
                    raise
            self._runtime = runtime
        except BaseException as exc:  # delivered to whoever waits: the login window or the CLI
            if not getattr(exc, "user_message", None):
                log.exception("building the runtime failed")
            self._error = exc
        finally:
            self._build = self._after = None
            self._done.set()

    def ready(self) -> bool:
        return self._done.is_set()

    def wait(self, timeout: float | None = None) -> "Runtime":
        if not self._done.wait(timeout):
            raise TimeoutError("runtime still starting")
        if self._error is not None:
            raise self._error
        assert self._runtime is not None
        return self._runtime


def resolve(runtime) -> "Runtime":
    """The Runtime itself, whether given built or pending (waits for a pending one)."""
    return runtime.wait() if isinstance(runtime, PendingRuntime) else runtime
