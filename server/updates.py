"""Client updates: the current signed manifest of a channel and the package files it names.

The release office publishes into one folder (app.fleet.publish): <dir>/<channel>/manifest.json and <dir>/files/.
The folder is `app.state.updates_dir` when set, else $YICHUANG_SERVER_UPDATES_DIR. The server only serves bytes:
the manifest is signed offline with a key the server never holds, and terminals verify it (app.fleet.updates),
so these routes need no authentication and the server cannot forge an update."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Path as PathParam, Query, Request
from fastapi.responses import FileResponse, Response
from pydantic import BaseModel, Field

from server.api import ApiError, _err

UPDATES_DIR_ENV = "YICHUANG_SERVER_UPDATES_DIR"
router = APIRouter(prefix="/api/v1/updates", tags=["updates"])


class SignedManifest(BaseModel):
    format: str = Field(description="yichuang-update-manifest/1")
    key_id: str = Field(description="first 16 hex digits of SHA-256 of the signing Ed25519 public key")
    payload: str = Field(description="the manifest as JSON text: product, version, sequence, channel, "
                                     "published_at, force_after_days, notes, packages{platform: url, sha256, size, kind}")
    signature: str = Field(description="base64 Ed25519 signature of the UTF-8 bytes of payload")


def _updates_dir(request: Request) -> Path | None:
    configured = getattr(request.app.state, "updates_dir", None) or os.environ.get(UPDATES_DIR_ENV)
    return Path(configured) if configured else None


def _no_update(channel: str) -> ApiError:
    return ApiError(404, "no_update", "暂无可用更新", f"no manifest published for channel {channel!r}")


@router.get("/manifest", response_model=SignedManifest, responses={404: _err("暂无可用更新 (no_update)")})
def current_manifest(request: Request,
                     channel: Annotated[str, Query(pattern=r"^[a-z0-9-]{1,32}$")] = "stable") -> Response:
    """The signed manifest of the newest release on `channel`, byte for byte as the release office signed it."""
    base = _updates_dir(request)
    path = base / channel / "manifest.json" if base else None
    if path is None or not path.is_file():
        raise _no_update(channel)
    return Response(path.read_bytes(), media_type="application/json", headers={"Cache-Control": "no-cache"})


@router.get("/files/{name}", response_class=FileResponse,
            responses={200: {"content": {"application/octet-stream": {}}}, 404: _err("没有该安装包 (package_not_found)")})
def package_file(request: Request, name: Annotated[str, PathParam(pattern=r"^[A-Za-z0-9][A-Za-z0-9._+-]{0,127}$")]):
    """A package named by a manifest (its SHA-256 is in the signed manifest; the client checks it)."""
    base = _updates_dir(request)
    path = base / "files" / name if base else None
    if path is None or not path.is_file():
        raise ApiError(404, "package_not_found", "没有该安装包", f"no package file {name!r}")
    return FileResponse(path, media_type="application/octet-stream", filename=name)
