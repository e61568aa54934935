"""Fixtures of the packaging and fleet tests: a signing key pair, terminal paths, a local HTTP file server."""
from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import pytest

from app.paths import resolve_paths


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: builds the PyInstaller bundle and the .deb (about 2 minutes)")


@pytest.fixture(scope="session")
def keypair():
    from app.fleet.publish import generate_keypair

    return generate_keypair()  # (private PEM, public base64)


@pytest.fixture
def paths(tmp_path):
    return resolve_paths(tmp_path / "terminal")


@pytest.fixture
def http_dir(tmp_path):
    """(folder, base URL): a plain HTTP server on loopback serving the folder, like an IT office's web share."""
    root = tmp_path / "www"
    root.mkdir()
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join(5)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
