"""Builds the runtime of one client process: paths, settings, logs, local store, catalog, central API client,
outbox relay, devices, and the services the screens call. Qt-free, so the CLI, tests and shells share it.

With encryption at rest on (app.security.at_rest), the store and what needs it (relay, cases, attachments, archive)
are built only after login, when the operator's credentials have unlocked the data key: `Runtime.open_store(keys)`;
`runtime.auth` is then an `AtRestAuthenticator`. Without it they are built at once, as before."""
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
from app.security.at_rest import KEYSTORE_FILE, AtRestAuthenticator, FileCipher, encryption_enabled
from app.security.keystore import KeyStore, Unlocked
from app.security.operators import Authenticator
from app.store import Store, open_store
from app.sync.client import CentralApi, signed_http_client
from app.sync.relay import OutboxRelay
from devices.manager import DeviceManager

log = logging.getLogger(__name__)


@dataclass
class Runtime:
    paths: AppPaths
    settings: Settings
    store: Store | None  # None until `open_store` (encrypted terminal before login)
    catalog: Catalog
    api: CentralApi
    relay: OutboxRelay | None
    devices: DeviceManager
    cases: CaseService | None
    auth: Authenticator | AtRestAuthenticator | None
    log_file: Path
    attachments: AttachmentStore | None = None
    archiver: Archiver | None = None
    extras: dict = field(default_factory=dict)
    relay_api: CentralApi | None = None  # the relay's own HTTP client (built at start-up, used once the store opens)
    keystore: KeyStore | None = None  # encryption at rest: wrapped keys (data dir/keystore.json)
    keys: Unlocked | None = None  # the unlocked keys, in memory only, while the store is open
    store_key: bytes | None = None  # the DEK the open store uses (differs from keys.dek half-way through a rotation)
    inner_auth: Authenticator | None = None  # the ordinary login against the open store
    queue: object | None = None  # app.queue.QueueSystem of the hall's 叫号 ([queue] backend; None = none)

    @property
    def encrypted(self) -> bool:
        return self.keystore is not None

    def open_store(self, keys: Unlocked | None = None) -> None:
        """Open the local store (SQLCipher under `keys.dek` when given) and build what works on it. A rotation
        interrupted by a crash is finished here (the key store still holds the old DEK until it is done)."""
        from app.errors import StoreError

        settings, paths = self.settings, self.paths
        key = keys.dek if keys is not None else None
        try:
            store = open_store(paths.data_dir, key=key)
        except StoreError:
            if keys is None or keys.previous is None:
                raise
            store, key = open_store(paths.data_dir, key=keys.previous), keys.previous  # rekeyed below
        self.store, self.keys, self.store_key = store, keys, key
        relay_api = self.relay_api or CentralApi.from_settings(settings, paths.data_dir)  # TLS + signing (issue 11)
        self.relay = OutboxRelay(store, relay_api, settings.terminal,
                                 probe_interval=settings.server.probe_interval_seconds,
                                 enrolment_code=settings.server.enrolment_code, sync=settings.sync,
                                 attachments_dir=paths.attachments_dir)
        self.cases = CaseService(store, self.catalog, agency_region=settings.terminal.region_code)
        audit_config_change(store, settings)
        self.attachments = AttachmentStore(store, paths.attachments_dir,
                                           cipher=FileCipher(keys) if keys is not None else None)
        if keys is not None:  # the uploader reads plaintext through the attachment store (app.sync.uploads)
            self.relay.attachment_reader = self.attachments.read_relative
            from app.security import sealed_docs  # issue 11 hook: PDFs and archive packages sealed under the data dir

            sealed_docs.register(paths.data_dir, self.attachments.cipher)
        self.inner_auth = Authenticator(store, self.api, settings.terminal.terminal_id)
        if self.keystore is None:
            self.auth = self.inner_auth
        self.archiver = Archiver(store, self.catalog, self.attachments, paths.data_dir / "archive")
        if keys is not None and keys.previous is not None:
            from app.security.at_rest import complete_rotation

            complete_rotation(self)
        elif keys is not None:
            self.attachments.reseal_all(self.attachments.cipher)  # files written before encryption was on
            sealed_docs.seal_existing(paths.documents_dir, self.attachments.cipher)  # issue 11 hook: likewise PDFs
            sealed_docs.seal_existing(paths.data_dir / "archive", self.attachments.cipher)

    def field_service(self):
        """Field mode's service (上门认证) on the encrypted store, built once per unlock (app.certification.field)."""
        if self.extras.get("field") is None:
            from app.certification.config import load_certification_settings
            from app.certification.field import FieldService

            self.extras["field"] = FieldService(
                self.store, self.keys.dek if self.keys else b"", self.paths.data_dir / "evidence",
                self.settings.terminal.terminal_id, settings=load_certification_settings(self.paths.config_dir))
        return self.extras["field"]

    def close_store(self) -> None:
        """Lock again: stop the relay, close the store, forget the keys (a refused login after the unlock)."""
        if self.relay is not None:
            self.relay.stop()  # its HTTP client (relay_api) outlives it: closed in `close`
        if self.store is not None:
            self.store.close()
        from app.security import sealed_docs  # issue 11 hook: sealed documents no longer open

        sealed_docs.unregister(self.paths.data_dir)
        self.store = self.relay = self.cases = self.attachments = self.archiver = self.inner_auth = None
        self.keys = self.store_key = None
        self.extras.pop("field", None)

    def close(self) -> None:
        if self.relay is not None:
            self.relay.stop()
        if self.queue is not None and hasattr(self.queue, "close"):
            self.queue.close()
        self.devices.close_all()
        self.api.close()
        if self.relay_api is not None:
            self.relay_api.close()
        if self.store is not None:
            self.store.close()
        for extra in self.extras.values():  # e.g. the kiosk's rights-record source holds an HTTP client
            close = getattr(extra, "close", None)
            if callable(close):
                try:
                    close()
                except Exception:  # noqa: BLE001 - closing one must not stop closing the rest
                    log.warning("closing %s failed", type(extra).__name__, exc_info=True)


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
    from app.security.convert import conversion_pending  # issue 11 hook: a half-done `yichuang encrypt-store`

    if conversion_pending(paths.data_dir):
        from app.errors import StoreError

        raise StoreError("本机数据的加密转换尚未完成。请运行 yichuang encrypt-store --operator 工号 完成转换后再启动。",
                         "encrypt-store journal present")
    log_file = configure_logging(paths.log_dir, settings.logging.level, settings.logging.max_bytes,
                                 settings.logging.backup_count, console=console_log)
    log.info("starting client", extra={"terminal_id": settings.terminal.terminal_id,
                                       "mode": settings.terminal.mode.value, "server": settings.server.url})
    catalog = load_catalog(cache_dir=paths.data_dir / "cache")
    for problem in catalog.problems:
        log.error("catalog entry hidden: %s", problem.message)
    # issue 11: TLS per [server] ca_file/pin_sha256, every request signed with the terminal's key (made on first start)
    api = CentralApi.from_settings(settings, paths.data_dir)
    # The relay has its own HTTP client: it runs on its own thread and must not share a connection pool with the UI.
    # (The relay itself is built with the store: `Runtime.open_store`, at start-up or after login when encrypted.)
    relay_api = CentralApi.from_settings(settings, paths.data_dir)
    devices = DeviceManager(settings.devices, production=settings.production)
    # Third-generation 社保卡: the issuer's security step through the central API (issue 6, server/sscard.py),
    # authenticated with the terminal's token (the relay registers the terminal) or the signed-in operator's.
    from devices.sscard.secure import HttpSecurityModule

    def _central_auth() -> dict[str, str]:
        token = relay_api.token or api.token
        return {"Authorization": f"Bearer {token}"} if token else {}

    # half the device I/O time-out at most, so a silent server still leaves time to show what the card gave offline
    secure_timeout = min(settings.server.timeout_seconds, max(1.0, settings.devices.io_timeout_seconds / 2))
    devices.set_security_module(HttpSecurityModule(settings.server.url, timeout=secure_timeout,
                                                   terminal_id=settings.terminal.terminal_id, headers=_central_auth,
                                                   client=signed_http_client(settings, paths.data_dir)))
    runtime = Runtime(paths, settings, None, catalog, api, None, devices, None, None, log_file, relay_api=relay_api)
    if encryption_enabled(settings):  # issue 11: the store opens after login, with the unlocked data key
        runtime.keystore = KeyStore(paths.data_dir / KEYSTORE_FILE)
        runtime.auth = AtRestAuthenticator(runtime, use_keyring=settings.at_rest.os_keyring)
        paths.data_dir.mkdir(parents=True, exist_ok=True)
    else:
        runtime.open_store()
    from app.queue import build_queue  # 叫号 (issue 13): the operator's token after login, else the terminal's

    runtime.queue = build_queue(settings, paths.data_dir, token_source=lambda: api.token or relay_api.token,
                                item_names=lambda code: catalog.get(code).name if code in catalog else None)
    if settings.terminal.mode.value == "kiosk":  # issue 10: the kiosk's 个人权益记录单 from the centre (its HTTP
        from app.docs.rights_source import RIGHTS_SOURCE_KEY, CentralRightsSource  # client is built on first print)

        runtime.extras[RIGHTS_SOURCE_KEY] = CentralRightsSource.for_runtime(runtime)
    return runtime
