"""The only place threads meet Qt: background events become Qt signals, and blocking work runs off the GUI thread."""
from __future__ import annotations

import logging
import time
from typing import Any, Callable

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, QTimer, Signal, Slot

log = logging.getLogger(__name__)

DEVICE_POLL_MS = 5000

_pool: QThreadPool | None = None
_inflight: set["_Delivery"] = set()  # keeps each delivery object alive until its result reached the GUI thread


def thread_pool() -> QThreadPool:
    """A pool of our own, so waiting for it at shutdown never waits on Qt's internal users of the global pool."""
    global _pool
    if _pool is None:
        _pool = QThreadPool()
        _pool.setMaxThreadCount(4)
    return _pool


def wait_for_background(msecs: int = 10000) -> bool:
    """Block until every queued job has finished (shutdown, tests). Results still need the event loop to arrive."""
    return thread_pool().waitForDone(msecs)


def settle(msecs: int = 10000) -> bool:
    """Until nothing is left: wait for the running jobs, deliver their results on this (GUI) thread, and wait again
    for any job a result or a queued call started in turn — so no worker touches a store about to be closed. For
    shutdown and test teardown; returns False if work was still going on after `msecs`."""
    app = QCoreApplication.instance()
    deadline = time.monotonic() + msecs / 1000.0
    while True:
        if app is not None:
            app.processEvents()
        finished = thread_pool().waitForDone(max(0, int((deadline - time.monotonic()) * 1000)))
        if app is not None:
            app.processEvents()
        if finished and not _inflight and thread_pool().activeThreadCount() == 0:
            return True
        if time.monotonic() >= deadline:
            log.warning("background work still running after %d ms: %d deliveries pending", msecs, len(_inflight))
            return False
        time.sleep(0.005)


class _Delivery(QObject):
    """Created on the GUI thread; the worker emits its signals, and Qt queues them back to this (GUI) thread."""

    done = Signal(object)
    failed = Signal(object)

    def __init__(self, on_done: Callable[[Any], None] | None, on_error: Callable[[BaseException], None] | None,
                 context: QObject | None, fn: Callable[[], Any] | None = None):
        super().__init__()
        self._on_done, self._on_error, self._context = on_done, on_error, context
        # The job's callable often holds widgets (bound methods, closures). Keep a reference here so the last one
        # is dropped on the GUI thread: a Qt object released on a worker thread is deleted by shiboken later on
        # the main thread, which crashes when Qt has already deleted it with its parent.
        self._fn = fn
        self.done.connect(self._deliver_done)
        self.failed.connect(self._deliver_error)

    def _alive(self) -> bool:
        # A screen closed while its job ran must not receive the result (its widgets are gone).
        return self._context is None or shiboken6.isValid(self._context)

    @Slot(object)
    def _deliver_done(self, result: Any) -> None:
        try:
            if self._on_done and self._alive():
                self._on_done(result)
        finally:
            self._finish()

    @Slot(object)
    def _deliver_error(self, exc: BaseException) -> None:
        try:
            if self._alive():
                if self._on_error:
                    self._on_error(exc)
                else:
                    log.error("background job failed with no error handler", exc_info=exc)
        finally:
            self._finish()

    def _finish(self) -> None:
        self._fn = None
        self._on_done = self._on_error = self._context = None
        _inflight.discard(self)
        self.deleteLater()


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], delivery: _Delivery):
        super().__init__()
        self.setAutoDelete(True)
        self._fn, self._delivery = fn, delivery

    def run(self) -> None:
        fn, self._fn = self._fn, None
        delivery, self._delivery = self._delivery, None
        try:
            result = fn()
        except BaseException as exc:  # every failure must reach the screen, or it would wait forever
            del fn  # the delivery still holds it: the last reference goes on the GUI thread
            if not getattr(exc, "user_message", None):
                log.exception("background job raised an unexpected error")
            delivery.failed.emit(exc)
        else:
            del fn
            delivery.done.emit(result)


def run_in_thread(fn: Callable[[], Any], on_done: Callable[[Any], None] | None = None,
                  on_error: Callable[[BaseException], None] | None = None, *, context: QObject | None = None) -> None:
    """Run `fn()` on a worker thread; call `on_done(result)` or `on_error(exc)` later on the GUI thread.

    Call it from the GUI thread (the delivery object must live there). Pass the calling widget as `context` so
    nothing is delivered after it has been destroyed.
    """
    delivery = _Delivery(on_done, on_error, context, fn)
    _inflight.add(delivery)
    thread_pool().start(_Job(fn, delivery))


class Bridge(QObject):
    """Turns the relay's status callback (relay thread) and device polls (worker thread) into GUI-thread signals."""

    sync_status = Signal(object)  # app.sync.relay.SyncStatus
    device_statuses = Signal(object)  # list[devices.base.DeviceStatus]

    def __init__(self, runtime=None, parent: QObject | None = None):
        super().__init__(parent)
        self.runtime = runtime
        self.last_sync = None
        self.last_devices: list = []
        # Cache the latest values so a window opened later starts from the current state, not a blank one.
        self.sync_status.connect(self._remember_sync)
        self.device_statuses.connect(self._remember_devices)
        self._device_timer = QTimer(self)
        self._device_timer.setInterval(DEVICE_POLL_MS)
        self._device_timer.timeout.connect(self.poll_devices)
        if runtime is not None:
            self.attach_relay(runtime.relay)

    def attach_relay(self, relay) -> None:
        # Emitting a signal is thread-safe; receivers living on the GUI thread get it through the event queue.
        self._relay_callback = self.sync_status.emit
        relay.on_status = self._relay_callback

    def detach_relay(self, relay) -> None:
        if relay.on_status is getattr(self, "_relay_callback", None):
            relay.on_status = None

    @Slot(object)
    def _remember_sync(self, status) -> None:
        self.last_sync = status

    @Slot(object)
    def _remember_devices(self, statuses) -> None:
        self.last_devices = list(statuses)

    def start_devices(self) -> None:
        """Open the devices off the GUI thread (drivers may block), then poll their states."""
        devices = self.runtime.devices
        run_in_thread(devices.open_all, self.device_statuses.emit, self._device_error, context=self)
        self._device_timer.start()

    def stop_devices(self) -> None:
        self._device_timer.stop()

    @Slot()
    def poll_devices(self) -> None:
        run_in_thread(self.runtime.devices.statuses, self.device_statuses.emit, self._device_error, context=self)

    def _device_error(self, exc: BaseException) -> None:
        log.warning("device status poll failed: %r", exc)
