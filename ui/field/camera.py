"""Stopping a live camera preview safely. The camera's worker thread calls frame listeners outside its lock, so a
frame may still be on its way into the preview's feed right after `stop()`; the feed is deleted at the next event
loop pass. Waiting for the next frame is a barrier: the worker publishes frames one after another, so once a newer
frame exists every call into the old listener has returned (and the new frame's listener list no longer has it)."""
from __future__ import annotations

import logging

log = logging.getLogger(__name__)


def release_preview(preview, camera, *, timeout: float = 0.5) -> None:
    preview.stop()
    if camera is None or not hasattr(camera, "grab_frame"):
        return
    try:
        camera.grab_frame(fresh=True, timeout=timeout)
    except Exception:  # noqa: BLE001 - no frames coming: no listener call can be in flight either
        log.debug("camera gave no frame while releasing the preview")
