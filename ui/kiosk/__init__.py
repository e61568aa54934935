"""Kiosk mode (自助服务终端, terminal.mode = "kiosk"): the lobby self-service shell for the public — full screen,
locked, large and simple (适老化), one visit at a time, wiped when it ends.

- `shell`: the window, its pages and the visit's life cycle; `app.run_kiosk` starts it.
- `services`: what the kiosk does, Qt-free (self-enrolment, progress, 好差评, slips, the rights record).
- `lockdown`: swallowed keys and the hidden administrator gesture; `session`: the visit and its timeouts.
- `keyboard`: on-screen keys and the pinyin name picker; `voice`: optional spoken prompts; `style`: the look.
"""
