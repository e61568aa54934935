"""Outbox message kinds of certification (sent by app.sync.relay like any other message) and the server routes they call."""
from __future__ import annotations

TERMINAL_KEY = "certification.terminal_key"  # PUT  /api/v1/certification/terminal-keys/{terminal_id}
VISIT_BUNDLE = "certification.visit"  # POST /api/v1/certification/visits/{visit_id}/bundle
RECORD = "certification.record"  # POST /api/v1/certification/records
LOSS_EVENT = "certification.loss_event"  # POST /api/v1/certification/loss-events

KIND_LABELS = {TERMINAL_KEY: "认证签名密钥登记", VISIT_BUNDLE: "上门认证证据包", RECORD: "资格认证记录",
               LOSS_EVENT: "死亡/羁押信息"}
KINDS = tuple(KIND_LABELS)

BASE = "/api/v1/certification"


def key_path(terminal_id: str) -> str:
    return f"{BASE}/terminal-keys/{terminal_id}"


def bundle_path(visit_id: str) -> str:
    return f"{BASE}/visits/{visit_id}/bundle"
