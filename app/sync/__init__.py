"""Talking to the central API: the HTTP client and the outbox relay."""
