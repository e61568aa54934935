"""The clerk's outbox screen: what has not reached the centre yet, what it refused or sent back, and the actions to
correct and resubmit (app.sync does the work; these widgets only show it and dispatch the clerk's choices)."""
from __future__ import annotations


def open_outbox(runtime, session, parent=None):
    """Create the outbox screen (callers embed it in a tab or show it as a window)."""
    from ui.outbox.screen import OutboxScreen

    return OutboxScreen(runtime, session, parent)
