"""The layering of the guide, checked on the source: app/ never imports PySide6 or ui/; devices/ never imports ui/;
ui/ never issues SQL itself (no SQLAlchemy or sqlite3 import: it calls services in app/)."""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def offenders(package: str, forbidden: tuple[str, ...]) -> list[str]:
    found = []
    for path in sorted((ROOT / package).rglob("*.py")):
        bad = sorted(m for m in imported_modules(path) if m.split(".")[0] in forbidden)
        if bad:
            found.append(f"{path.relative_to(ROOT)}: {', '.join(bad)}")
    return found


@pytest.mark.parametrize("package, forbidden", [
    ("app", ("PySide6", "shiboken6", "ui")),
    ("devices", ("ui",)),
    ("ui", ("sqlalchemy", "sqlite3", "sqlcipher3")),
])
def test_layers(package, forbidden):
    assert offenders(package, forbidden) == []
