"""Builds the runtime of one client process: paths, settings, logs, local store, catalog, central API client,
outbox relay, devices, and the services the screens call. Qt-free, so the CLI, tests and shells share it."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from app.cases.archive import Archiver
from app.cases.attachments import AttachmentStore
from app.cases.service import CaseService
from app.catalog import Catalog, load_catalog
from app.config import Settings, load_settings
from app.logs import configure_logging
from app.paths import AppPaths, resolve_paths
from app.security.operators import Authenticator
from app.store import Store, open_store
from app.sync.client import CentralApi
from app.sync.relay import OutboxRelay
from devices.manager import DeviceManager

log = logging.getLogger(__name__)


@dataclass
class Runtime:
    paths: AppPaths
    settings: Settings
    store: Store
    catalog: Catalog
    api: CentralApi
    relay: OutboxRelay
    devices: DeviceManager
    cases: CaseService
    auth: Authenticator
    log_file: Path
    attachments: AttachmentStore | None = None
    archiver: Archiver | None = None
    extras: dict = field(default_factory=dict)

    def close(self) -> None:
        self.relay.stop()
        self.devices.close_all()
        self.api.close()
        self.store.close()


def audit_config_change(store: Store, settings: Settings) -> list[str]:
    """Record in the audit log which configuration keys changed since the last start (values are not logged:
    some are secrets). Whatever changed them — provisioning, an edited file, an environment variable — shows."""
    import hashlib
    import json

    from app.clock import utcnow
    from app.security.audit import append_audit
    from app.store.models import LocalSetting

    flat: dict[str, str] = {}

    def walk(node, prefix=""):
        for key, value in node.items():
            if isinstance(value, dict):
                walk(value, f"{prefix}{key}.")
            else:
                flat[f"{prefix}{key}"] = hashlib.sha256(json.dumps(value, sort_keys=True, default=str)
                                                        .encode()).hexdigest()[:16]
    walk(settings.model_dump(mode="json"))
    with store.session() as s:
        row = s.get(LocalSetting, "config_fingerprint")
        before = json.loads(row.value) if row else None
        changed = sorted(k for k in flat.keys() | (before or {}).keys()
                         if before is not None and flat.get(k) != before.get(k))
        if before is None or changed:
            append_audit(s, at=utcnow(), operator_id="system", terminal_id=settings.terminal.terminal_id,
                         action="config.initial" if before is None else "config.changed", object_type="config",
                         object_id=settings.terminal.terminal_id, detail={"keys": changed})
            s.merge(LocalSetting(key="config_fingerprint", value=json.dumps(flat)))
    return changed


def load_runtime_settings(paths: AppPaths) -> Settings:
    return load_settings(paths.config_file)


def bootstrap(paths: AppPaths | None = None, settings: Settings | None = None, *, console_log: bool = True) -> Runtime:
    """Raise ConfigError / StoreError (with Chinese user messages) when the terminal cannot start."""
    paths = paths or resolve_paths()
    settings = settings or load_settings(paths.config_file)
    log_file = configure_logging(paths.log_dir, settings.logging.level, settings.logging.max_bytes,
                                 settings.logging.backup_count, console=console_log)
    log.info("starting client", extra={"terminal_id": settings.terminal.terminal_id,
                                       "mode": settings.terminal.mode.value, "server": settings.server.url})
    store = open_store(paths.data_dir)
    catalog = load_catalog(cache_dir=paths.data_dir / "cache")
    for problem in catalog.problems:
        log.error("catalog entry hidden: %s", problem.message)
    api = CentralApi(settings.server.url, settings.server.timeout_seconds)
    # The relay has its own HTTP client: it runs on its own thread and must not share a connection pool with the UI.
    relay = OutboxRelay(store, CentralApi(settings.server.url, settings.server.timeout_seconds), settings.terminal,
                        probe_interval=settings.server.probe_interval_seconds,
                        enrolment_code=settings.server.enrolment_code)
    devices = DeviceManager(settings.devices, production=settings.production)
    cases = CaseService(store, catalog, agency_region=settings.terminal.region_code)
    audit_config_change(store, settings)
    attachments = AttachmentStore(store, paths.attachments_dir)
    return Runtime(paths, settings, store, catalog, api, relay, devices, cases,
                   Authenticator(store, api, settings.terminal.terminal_id), log_file, attachments,
                   Archiver(store, catalog, attachments, paths.data_dir / "archive"))
