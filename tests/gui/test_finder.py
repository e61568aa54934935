"""The finder: favourites (★, Ctrl+D, persisted) and recent items when the search box is empty; Down/Enter."""
from PySide6.QtCore import Qt

from tests.gui.helpers import ITEM, type_text
from ui.shell.counter import CounterWindow

OTHER = "work_injury_recognition"


def _texts(window) -> list[str]:
    return [window.items_list.item(r).text() for r in range(window.items_list.count())]


def test_favourites_and_recent_items_lead_the_empty_search(qtbot, window, runtime, session, bridge):
    names = {code: runtime.catalog.get(code).name for code in (ITEM, OTHER)}
    assert _texts(window)[0] == runtime.catalog.items[0].name, "nothing used yet: the catalog in the standard's order"

    type_text(qtbot, window.search_edit, "cxjmcbdj")
    assert window.items_list.current_code() == ITEM
    qtbot.keyClick(window.search_edit, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)  # Ctrl+D: 设为常用
    assert _texts(window)[0] == "★ " + names[ITEM]
    assert window.statusBar().currentMessage() == f"已设为常用：{names[ITEM]}"
    qtbot.waitUntil(lambda: runtime.cases.preferred_items("demo")[0] == [ITEM], timeout=10000)

    window.search_edit.clear()
    type_text(qtbot, window.search_edit, "工伤认定")
    qtbot.keyClick(window.search_edit, Qt.Key.Key_Return)  # opened: now a recent item
    qtbot.waitUntil(lambda: window.tabs.currentWidget() is not None)  # shown in the next turn
    assert window.tabs.currentWidget().item.code == OTHER
    qtbot.waitUntil(lambda: runtime.cases.preferred_items("demo")[1][:1] == [OTHER], timeout=10000)

    window.focus_search()
    window.search_edit.clear()
    texts = _texts(window)
    assert texts[:5] == ["常用事项", "★ " + names[ITEM], "最近办理", names[OTHER], "全部事项"]
    assert names[ITEM] not in texts[5:] and "★ " + names[ITEM] not in texts[5:] and names[OTHER] not in texts[5:]
    assert len(window.items_list.codes()) == len(runtime.catalog.items), "every item once"

    # Keyboard: Down moves from the search box into the list (section titles are stepped over), Enter opens.
    qtbot.keyClick(window.search_edit, Qt.Key.Key_Down)
    assert window.items_list.hasFocus() and window.items_list.current_code() == ITEM
    qtbot.keyClick(window.items_list, Qt.Key.Key_Down)
    assert window.items_list.current_code() == OTHER
    qtbot.keyClick(window.items_list, Qt.Key.Key_Up)
    qtbot.keyClick(window.items_list, Qt.Key.Key_Up)
    assert window.search_edit.hasFocus(), "Up on the first entry goes back to the search box"
    qtbot.keyClick(window.search_edit, Qt.Key.Key_Down)
    qtbot.keyClick(window.items_list, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: getattr(window.tabs.currentWidget(), "item", None) is not None
                    and window.tabs.currentWidget().item.code == ITEM)

    # Persisted: a new window (next morning) starts with the same list.
    window.close()
    again = CounterWindow(runtime, session, bridge)
    qtbot.addWidget(again)
    with qtbot.waitActive(again):
        again.show()
    qtbot.waitUntil(lambda: _texts(again)[:2] == ["常用事项", "★ " + names[ITEM]], timeout=10000)
    again.items_list.setFocus()
    again.items_list.select_code(ITEM)
    qtbot.keyClick(again.items_list, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)  # 取消常用
    assert "★ " + names[ITEM] not in _texts(again)
    qtbot.waitUntil(lambda: runtime.cases.preferred_items("demo")[0] == [], timeout=10000)
    again.close()


def test_typing_in_the_list_goes_to_the_search_box(qtbot, window):
    qtbot.keyClick(window.search_edit, Qt.Key.Key_Down)
    assert window.items_list.hasFocus()
    qtbot.keyClicks(window.items_list, "gsrd")
    assert window.search_edit.hasFocus() and window.search_edit.text() == "gsrd"
    assert window.items_list.current_code() == OTHER


def test_a_favourite_set_before_the_stored_list_arrives_is_kept(qtbot, runtime):
    """The stored 常用/最近 lists are read off the GUI thread: a Ctrl+D pressed before that read returns must survive
    it (seen in CI under load), and an unset one must stay unset."""
    from ui.business.preferences import ItemPreferences

    prefs = ItemPreferences(runtime.cases, "demo", 12)
    prefs.set_favourite(ITEM, True)
    prefs.set_favourite(OTHER, False)
    prefs.note_used(OTHER)
    prefs._loaded(([OTHER], ["x-stored"]))  # what the slower read brings back
    assert prefs.favourites == [ITEM]
    assert prefs.recent[:2] == [OTHER, "x-stored"]
    prefs._loaded(([OTHER], []))  # later reloads are the stored truth again
    assert prefs.favourites == [OTHER]
