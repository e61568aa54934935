"""Entry point of the frozen (PyInstaller) client: `yichuang ...` exactly like the console script ui.cli:main.

A frozen program has no Python interpreter to re-run, yet the client starts itself twice as `sys.executable`:
`-m server ...` (the embedded demo central server, app/demo.py) and `-c CODE` (the Qt probe of `yichuang doctor`).
Both forms are honoured here, so the bundle behaves like `python` for those two calls and like `yichuang` otherwise.
"""
from __future__ import annotations

import runpy
import sys


def main() -> int:
    argv = sys.argv[1:]
    if len(argv) >= 2 and argv[0] == "-m":
        sys.argv = [argv[1], *argv[2:]]
        runpy.run_module(argv[1], run_name="__main__", alter_sys=True)
        return 0
    if len(argv) >= 2 and argv[0] == "-c":
        sys.argv = ["-c", *argv[2:]]
        exec(compile(argv[1], "<string>", "exec"), {"__name__": "__main__"})  # noqa: S102 - our own probe code
        return 0
    from ui.cli import main as cli_main

    return cli_main(argv)


if __name__ == "__main__":
    sys.exit(main())
