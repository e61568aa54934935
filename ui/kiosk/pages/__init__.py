"""The kiosk's screens. Idle, goodbye and the administrator's exit hold nobody's data and live as long as the shell;
every other page belongs to one visit and is destroyed when it ends."""
