"""Hall queue calling (叫号): a pluggable interface to the hall's queue system, with the reference implementation
against the central API (`HttpQueueSystem`) and a single-terminal fallback (`LocalQueueSystem`). Qt-free."""
from app.queue.model import (CATEGORIES, QueueError, QueueSystem, Ticket, TicketStatus, category_for_item,
                             category_label, format_number)

__all__ = ["CATEGORIES", "QueueError", "QueueSystem", "Ticket", "TicketStatus", "build_queue", "category_for_item",
           "category_label", "format_number"]


def build_queue(settings, data_dir, *, token_source=None, item_names=None) -> "QueueSystem | None":
    """The queue system the `[queue]` section asks for: server / local / none (None)."""
    from app.queue.factory import build_queue as _build

    return _build(settings, data_dir, token_source=token_source, item_names=item_names)
