"""Every one of the 156 catalog items opens its generic screen without error, with a coherent state."""
from app.catalog.model import OfflinePolicy


def test_every_item_opens(qtbot, window, runtime):
    for item in runtime.catalog.items:
        form = window.open_item(item.code)
        assert form.item is item
        blocked = item.online_only or item.offline.policy is OfflinePolicy.online_only  # the window is offline
        assert form.blocked() == blocked, item.code
        assert (form.online_panel is not None and not form.online_panel.isHidden()) == blocked, item.code
        assert len(form.field_widgets) == len(item.fields)
        assert set(form.materials.rows) == {m.code for m in item.materials}
        assert all(r.selector is None for r in form.materials.rows.values() if r.spec.shared)
        assert len(form.conditions.rows) == len(item.conditions)
        assert all(r.verdict is not None for r in form.conditions.rows), item.code
        window.close_tab(window.tabs.currentIndex())
    assert window.tabs.count() == 0
