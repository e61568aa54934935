"""Counter and kiosk certification (待遇领取资格认证): identify, live photo, real-face check, record."""
