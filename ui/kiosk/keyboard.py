"""The on-screen keyboard of a kiosk without a keyboard: big keys for digits, ID-number characters (X), case numbers
and operator passwords, and a simple pinyin-to-character picker for names (type "wulan", tap 乌, then 兰).

Input goes into a `KioskInput` — a large label, not a line edit, so no system input method or soft keyboard ever
pops up and no physical key reaches it."""
from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from ui.kiosk.style import mark

# Common surname characters (roughly by frequency), then common given-name characters, then characters frequent in
# Mongolian, Manchu and Daur names written in Hanzi (Inner Mongolia). The picker offers candidates in this order.
SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
            "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
            "常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季"
            "裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦"
            "戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻"
            "苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阎练")
GIVEN = ("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀英霞平刚桂兰玉华红梅萍建国文辉鹏飞斌波宇浩凯健俊帆帅旭宁龙林"
         "欣怡婷雪琳晶颖佳慧丹玲燕翠云莲珍凤娥芬香春花荣秀凤琴素兰淑贞芝美德志永海山东成新利清福生民德义忠"
         "胜亮力才发光天宝金贵财富昌盛家祥瑞安康泰和顺喜乐庆兴旺军武兵卫红星光辉日月星晨阳晓东南西北中国华"
         "振宏伦宗继承先锦绣彩莉萌雅婕琪瑶琼璐瑾妍嘉倩蕾薇蓉菲露曼晴悦月心思梦涵雨馨诗婉淑蕊娅莎婧媛静怡"
         "博文子轩浩然梓涵一诺宇航皓辰俊熙子墨雨泽铭奕晨睿智鑫磊森淼焱垚喆哲睿晟昊煜瀚翔鹤鸿鹰鹏程远达"
         "志刚志强志明建华建军建平卫东卫国爱国爱民振华振国海燕春燕秋菊冬梅玉兰玉珍玉芬金凤金花银花巧云彩霞"
         "树林松柏青山长江黄河大伟小明小红二三四五六七八九十百千万福寿禄")
MINORITY = ("乌兰巴特尔其格娜仁图雅苏日德勒吉布赫额敦宝音朝鲁孟和斯琴高娃敖包白哈那达木塔呼都沁楞赛罕嘎拉玛扎"
            "阿古拉毕力格满都胡拜格萨钢嘎查斯钦塔娜托娅萨其楚伦岱钦旗嫩江")


# Surnames read differently from the everyday reading of the character (单 shan, 曾 zeng …): offered under both.
NAME_READINGS = {"单": "shan", "曾": "zeng", "查": "zha", "解": "xie", "仇": "qiu", "区": "ou", "乐": "yue", "覃": "qin",
                 "缪": "miao", "翟": "zhai", "盖": "ge", "尉": "yu", "朴": "piao", "召": "shao", "种": "chong",
                 "员": "yun", "句": "gou", "万": "mo", "长": "chang", "重": "chong", "都": "du", "和": "he"}


@lru_cache(maxsize=1)
def pinyin_table() -> dict[str, tuple[str, ...]]:
    """pinyin without tones (ü as v) → characters, in the order above; name readings of polyphonic surnames too."""
    from pypinyin import Style, lazy_pinyin

    table: dict[str, list[str]] = {}
    seen: set[str] = set()
    for ch in SURNAMES + GIVEN + MINORITY:
        if ch in seen:
            continue
        seen.add(ch)
        readings = [lazy_pinyin(ch, style=Style.NORMAL, v_to_u=False)[0]]
        if ch in NAME_READINGS:
            readings.append(NAME_READINGS[ch])
        for reading in readings:
            bucket = table.setdefault(reading.replace("ü", "v"), [])
            if ch not in bucket:
                bucket.append(ch)
    return {k: tuple(v) for k, v in table.items()}


def candidates(typed: str, limit: int | None = None) -> list[str]:
    """Characters for a typed syllable: exact readings first, then readings that start with what was typed."""
    typed = typed.lower().replace("ü", "v").strip()
    if not typed:
        return []
    table = pinyin_table()
    out: list[str] = list(table.get(typed, ()))
    for reading in sorted(table):
        if reading != typed and reading.startswith(typed):
            out.extend(ch for ch in table[reading] if ch not in out)
    return out[:limit] if limit else out


class KioskInput(QLabel):
    """A big read-only display of what was typed on the on-screen keyboard."""

    changed = Signal(str)

    def __init__(self, *, allowed: str | None = None, max_length: int = 32, secret: bool = False,
                 placeholder: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        mark(self, "input")
        self.allowed = allowed
        self.max_length = max_length
        self.secret = secret
        self.placeholder = placeholder
        self._value = ""
        self.setMinimumHeight(72)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._show()

    def value(self) -> str:
        return self._value

    def set_value(self, value: str) -> None:
        self._value = value[: self.max_length]
        self._show()
        self.changed.emit(self._value)

    def insert(self, text: str) -> None:
        if self.allowed is not None:
            text = "".join(c for c in text if c in self.allowed)
        if text and len(self._value) < self.max_length:
            self.set_value(self._value + text)

    def backspace(self) -> None:
        if self._value:
            self.set_value(self._value[:-1])

    def clear_value(self) -> None:
        self.set_value("")

    def _show(self) -> None:
        if not self._value:
            self.setText(self.placeholder)
        else:
            self.setText("●" * len(self._value) if self.secret else self._value)
        empty = not self._value
        if self.property("empty") != empty:  # the placeholder is grey, typed text black
            self.setProperty("empty", empty)
            self.style().unpolish(self)
            self.style().polish(self)


DIGIT_ROWS = ("123", "456", "789")
QWERTY = ("qwertyuiop", "asdfghjkl", "zxcvbnm")


def _key(text: str, parent: QWidget, kind: str = "key") -> QPushButton:
    b = QPushButton(text, parent)
    mark(b, kind)
    b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    b.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
    b.setAutoRepeat(False)
    return b


class OnScreenKeyboard(QWidget):
    """Modes: "digits" (phone numbers), "id" (digits and X), "code" (case numbers: digits, letters, hyphen),
    "alnum" (operator passwords: digits, letters, shift)."""

    def __init__(self, target: KioskInput | None = None, mode: str = "digits", parent: QWidget | None = None):
        super().__init__(parent)
        self.target = target
        self.mode = mode
        self.keys: dict[str, QPushButton] = {}
        self._upper = False
        grid = QGridLayout(self)
        grid.setSpacing(10)
        grid.setContentsMargins(0, 0, 0, 0)
        if mode in ("digits", "id"):
            for r, row in enumerate(DIGIT_ROWS):
                for c, ch in enumerate(row):
                    self._add(grid, ch, r, c)
            self._add(grid, "X" if mode == "id" else self.tr("清空"), 3, 0, special="x" if mode == "id" else "clear")
            self._add(grid, "0", 3, 1)
            self._add(grid, self.tr("删除"), 3, 2, special="back")
            if mode == "id":
                self._add(grid, self.tr("清空"), 4, 0, 1, 3, special="clear")
        else:
            for c, ch in enumerate("1234567890"):
                self._add(grid, ch, 0, c)
            for r, row in enumerate(QWERTY, start=1):
                for c, ch in enumerate(row):
                    self._add(grid, ch.upper() if mode == "code" else ch, r, c)
            extra_col = len(QWERTY[2])
            if mode == "code":
                self._add(grid, "-", 3, extra_col)
            else:
                self._add(grid, self.tr("大写"), 3, extra_col, special="shift")
            self._add(grid, self.tr("删除"), 2, 9, special="back")
            self._add(grid, self.tr("清空"), 3, extra_col + 1, 1, 2, special="clear")

    def _add(self, grid: QGridLayout, text: str, r: int, c: int, rs: int = 1, cs: int = 1, *,
             special: str | None = None) -> None:
        b = _key(text, self)
        if len(text) > 1:
            b.setProperty("word", True)  # 删除, 清空, 大写: smaller type so the word fits a letter key
        name = special or text.lower()
        self.keys[name] = b
        b.clicked.connect(lambda _=False, n=name: self.press(n))
        grid.addWidget(b, r, c, rs, cs)

    def attach(self, target: KioskInput | None) -> None:
        self.target = target

    def press(self, name: str) -> None:
        if self.target is None:
            return
        if name == "back":
            self.target.backspace()
        elif name == "clear":
            self.target.clear_value()
        elif name == "shift":
            self._upper = not self._upper
            for key, b in self.keys.items():
                if len(key) == 1 and key.isalpha():
                    b.setText(key.upper() if self._upper else key)
        elif name == "x":
            self.target.insert("X")
        else:
            ch = name
            if self.mode == "code" or (self.mode == "alnum" and self._upper):
                ch = ch.upper()
            self.target.insert(ch)

    def type_text(self, text: str) -> None:
        """Press the keys for `text` (tests, and a barcode scanner wedge that hands over a whole string)."""
        for ch in text:
            if ch == "X" and self.mode == "id":
                self.press("x")
            elif ch.isalpha() and self.mode == "alnum" and ch.isupper() != self._upper:
                self.press("shift")
                self.press(ch.lower())
            else:
                self.press(ch.lower())


class PinyinPicker(QWidget):
    """Name entry: letter keys build a syllable, candidate characters appear as big buttons, a tap adds the
    character to the name. "删除" removes a letter, or the last character when no letter is pending."""

    PAGE = 9

    def __init__(self, target: KioskInput, parent: QWidget | None = None):
        super().__init__(parent)
        self.target = target
        self.typed = ""
        self._page = 0
        self.keys: dict[str, QPushButton] = {}
        self.candidate_buttons: list[QPushButton] = []
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(12)
        top = QHBoxLayout()
        self.typed_label = mark(QLabel(self), "body")
        self.typed_label.setMinimumWidth(200)
        top.addWidget(self.typed_label)
        self.prev_button = _key("‹", self)
        self.prev_button.clicked.connect(lambda: self._turn(-1))
        top.addWidget(self.prev_button)
        for _ in range(self.PAGE):
            b = _key("", self, "candidate")
            b.clicked.connect(lambda _=False, btn=b: self.pick(btn.text()))
            self.candidate_buttons.append(b)
            top.addWidget(b)
        self.next_button = _key("›", self)
        self.next_button.clicked.connect(lambda: self._turn(1))
        top.addWidget(self.next_button)
        outer.addLayout(top)
        grid = QGridLayout()
        grid.setSpacing(10)
        for r, row in enumerate(QWERTY):
            for c, ch in enumerate(row):
                b = _key(ch, self)
                b.clicked.connect(lambda _=False, x=ch: self.letter(x))
                self.keys[ch] = b
                grid.addWidget(b, r, c)
        back = _key(self.tr("删除"), self)
        back.setProperty("word", True)
        back.clicked.connect(self.backspace)
        self.keys["back"] = back
        grid.addWidget(back, 2, 7, 1, 3)
        outer.addLayout(grid)
        self._refresh()

    def letter(self, ch: str) -> None:
        if len(self.typed) < 6:
            self.typed += ch
            self._page = 0
            self._refresh()

    def backspace(self) -> None:
        if self.typed:
            self.typed = self.typed[:-1]
            self._page = 0
            self._refresh()
        else:
            self.target.backspace()

    def pick(self, ch: str) -> None:
        if ch:
            self.target.insert(ch)
            self.typed = ""
            self._page = 0
            self._refresh()

    def current_candidates(self) -> list[str]:
        found = candidates(self.typed)
        return found[self._page * self.PAGE:(self._page + 1) * self.PAGE]

    def _turn(self, step: int) -> None:
        total = len(candidates(self.typed))
        pages = max(1, -(-total // self.PAGE))
        self._page = max(0, min(pages - 1, self._page + step))
        self._refresh()

    def _refresh(self) -> None:
        shown = self.current_candidates()
        self.typed_label.setText(self.typed or self.tr("拼音"))
        for i, b in enumerate(self.candidate_buttons):
            b.setText(shown[i] if i < len(shown) else "")
            b.setEnabled(i < len(shown))
        total = len(candidates(self.typed))
        self.prev_button.setEnabled(self._page > 0)
        self.next_button.setEnabled((self._page + 1) * self.PAGE < total)
