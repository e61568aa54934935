"""Write the published OpenAPI document (server/openapi.json) from the app: `python -m server.export_openapi`."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from server.api import create_app

OPENAPI_PATH = Path(__file__).with_name("openapi.json")


def render_openapi() -> str:
    """The document as committed: stable key order, UTF-8 text, trailing newline."""
    app = create_app("sqlite://", create_tables=False)
    try:
        return json.dumps(app.openapi(), ensure_ascii=False, indent=2) + "\n"
    finally:
        app.state.engine.dispose()


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    target = Path(args[0]) if args else OPENAPI_PATH
    target.write_text(render_openapi(), encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
