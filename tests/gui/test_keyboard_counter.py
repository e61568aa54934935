"""Keyboard-first counter and accessibility (issue 13): Tab walks a business screen in visual order, every F-key
of the keymap is bound and shown in a tooltip and in the F1 overlay, focusable widgets are named for screen
readers, the font scales with Ctrl+= / Ctrl+- and the high-contrast theme switches on and off."""
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.gui.helpers import ITEM


def _tab_walk(qtbot, start, steps: int = 120) -> list:
    seen = [start]
    for _ in range(steps):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        focused = QApplication.focusWidget()
        if any(focused is w for w in seen):  # round the window once
            break
        seen.append(focused)
    return seen


@pytest.mark.parametrize("code", [ITEM, "ent_si_registration", "construction_project_injury_enrollment"])
def test_tab_reaches_every_input_of_a_business_screen_in_visual_order(qtbot, window, code):
    form = window.open_item(code)
    first = next(iter(form.field_widgets.values()))
    assert first.hasFocus()
    walk = _tab_walk(qtbot, first)
    inputs = [w for w in form.field_widgets.values() if w.isEnabled()]
    selectors = [s.focus_target() for s in (*form.conditions.confirm_selectors(), *form.materials.selectors())]
    expected = inputs + selectors + [form.save_button]
    reached = [w for w in walk if any(w is e for e in expected)]
    assert reached == expected, "Tab must reach fields, questions, materials and 受理 in screen order"

    def place(widget):
        at = widget.mapTo(form.grid, widget.rect().topLeft())
        return (0 if at.x() < form.grid.width() // 2 else 1), at.y()  # (column, y): the grid reads column-wise
    places = [place(w) for w in inputs]
    assert places == sorted(places), "fields are walked down the left column, then down the right one"


def test_every_key_of_the_keymap_is_bound_shown_and_listed(qtbot, window):
    from ui.shell.keymap import keymap

    keys = window.keys
    bound = {a.shortcut().toString() for a in window.findChildren(type(next(iter(keys.actions.values()))))
             if not a.shortcut().isEmpty()}
    listed = {seq for seq, _text in keys.overlay.rows}
    for key in keymap():
        if key.action in ("find", "close_tab", "favourite", "read_sscard", "read_idcard"):
            continue  # QShortcuts of the window and the card readers (tested in test_counter/test_card_readers)
        assert key.sequence.replace("Ctrl+=", "Ctrl+=") in bound or key.action in keys.actions \
            or key.action in window.tool_actions, key.action
        assert key.sequence in listed, key.sequence
    for name, action in keys.actions.items():
        assert action.shortcut().toString() in action.toolTip(), name
    for name, action in window.tool_actions.items():
        if not action.shortcut().isEmpty():
            assert action.shortcut().toString() in action.toolTip(), name
    assert "Ctrl+F" in window.search_edit.toolTip()
    # F-keys are unique across the window
    sequences = [a.shortcut().toString() for a in [*keys.actions.values(), *window.tool_actions.values()]
                 if not a.shortcut().isEmpty()]
    assert len(sequences) == len(set(sequences)), sequences


def test_f1_opens_the_help_overlay_and_esc_gives_the_focus_back(qtbot, window):
    overlay = window.keys.overlay
    window.search_edit.setFocus()
    qtbot.keyClick(window.search_edit, Qt.Key.Key_F1)
    assert overlay.isVisible() and overlay.hasFocus()
    assert ("F8", "下一位（叫号）") in overlay.rows and ("Enter", "跳到下一项（身份证号处回车即查询）") in overlay.rows
    qtbot.keyClick(overlay, Qt.Key.Key_Escape)
    assert not overlay.isVisible() and window.search_edit.hasFocus()


def test_focusable_widgets_have_accessible_names(qtbot, window):
    from ui.shell.keys import focusable_without_name

    assert focusable_without_name(window.centralWidget()) == []
    form = window.open_item(ITEM)
    missing = focusable_without_name(form)
    assert missing == [], [f"{type(w).__name__} {w.objectName()}" for w in missing]


def test_font_size_and_high_contrast(qtbot, window, qapp, runtime):
    from ui.style import STYLE_SHEET
    from ui.theme import BASE_POINT_SIZE, DisplayPrefs

    keys = window.keys
    window.search_edit.setFocus()
    try:
        qtbot.keyClick(window.search_edit, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
        assert qapp.font().pointSize() == BASE_POINT_SIZE + 1
        qtbot.keyClick(window.search_edit, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClick(window.search_edit, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
        assert qapp.font().pointSize() == BASE_POINT_SIZE - 1
        keys.actions["contrast"].trigger()
        assert qapp.styleSheet() != STYLE_SHEET and "#ffd400" in qapp.styleSheet()
        saved = DisplayPrefs.load(runtime.paths.data_dir)
        assert saved.high_contrast and saved.point_size == BASE_POINT_SIZE - 1  # remembered for the next start
    finally:
        keys.theme.set_high_contrast(False)
        keys.theme.reset_size()
    assert qapp.styleSheet() == STYLE_SHEET and qapp.font().pointSize() == BASE_POINT_SIZE


def test_f10_saves_and_f11_explains_when_there_is_nothing_to_print(qtbot, window):
    window.search_edit.setFocus()
    qtbot.keyClick(window.search_edit, Qt.Key.Key_F11)
    assert "请先受理业务" in window.statusBar().currentMessage()
    qtbot.keyClick(window.search_edit, Qt.Key.Key_F10)
    assert "没有打开的业务" in window.statusBar().currentMessage()
    form = window.open_item(ITEM)
    qtbot.keyClick(form.field_widgets["ssn"], Qt.Key.Key_F10)  # empty form: the rules answer, in Chinese
    qtbot.waitUntil(lambda: not form.is_saving(), timeout=10000)
    assert form.last_case is None and form.message_label.text()


def test_f12_shows_the_day_summary(qtbot, window, runtime):
    from tests.helpers import ACTOR, ALL_MATERIALS, applicant_form

    runtime.cases.accept(ITEM, applicant_form(), ALL_MATERIALS, ACTOR)
    window.search_edit.setFocus()
    qtbot.keyClick(window.search_edit, Qt.Key.Key_F12)
    view = window.tools.windows["day_summary"]
    qtbot.waitUntil(lambda: view.summary is not None, timeout=10000)
    assert view.summary.taken_in == 1 and view.summary.completed == 1
    assert view.values["今日接件"].text() == "1" and "今日工作小结" in view.title.text()
