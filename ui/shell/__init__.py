"""Main windows of the client shells (counter now; kiosk and field later)."""
