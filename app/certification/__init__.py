"""待遇领取资格认证 (pensioner eligibility certification) and field mode (上门认证).

- `rules`: cadence per region, methods, the three result lists, suspension / termination / resumption with back pay
  (pure functions, shared with the server).
- `service`: counter and kiosk certification; deaths and custody reported at the counter.
- `face`: real-face heuristics, and comparison when an OpenCV model file is configured (never downloaded).
- `field`: the offline visit list, capture, two-staff confirmation, signed evidence bundles, wipe after confirmation.
- `evidence`: sealed files (AES-GCM, DEK), Ed25519-signed manifests, tamper detection.
- `reports`: the yearly report (002 §26) and the monthly death/custody report (001 ch5 L74).
- `messages`: the outbox message kinds and the server routes they call (server/certification.py).
"""
