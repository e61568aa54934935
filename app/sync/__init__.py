"""Offline-first sync with the central API (issue 5). No Qt here; `ui.outbox` shows it, `ui.bridge` relays status.

- `outbox`     the queue: kinds, states (pending → inflight → sent / failed / conflict; superseded), ordering edges
               (`depends_on` + `outbox_dependencies`), crash-safe claim and settle, trigger-kept counters.
- `relay`      the engine (background thread): probe, terminal token, batches of case submissions, full-jitter
               backoff, fatal-vs-retryable, pulls, audit upload; `SyncStatus` for the status bar.
- `client`     httpx client of the API (server/openapi.json); transport failures → NetworkUnavailable.
- `uploads`    scans: queued with their row, chunked and resumable, SHA-256 per chunk and per file.
- `statuses`   central verdicts pulled after a cursor (accepted / rejected / needs_correction / resubmit).
- `persons`    person data with the server's version: stale updates are refused, the clerk chooses.
- `refdata`    reference data delta: catalog version, parameters, holiday calendar, a field operator's persons.
- `actions`    the clerk's actions: retry, correct and resubmit, give up a damaged scan.
- `outbox_view` the screen's indexed queries; `guardrails` offline limits on new capture; `cli` `yichuang sync`.
"""
