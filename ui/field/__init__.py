"""Field mode (上门认证) screens: the visit list, the visit capture screen with its signature pad, the second staff
member's confirmation, and the window that holds them (mode = field)."""
