"""Operators, password hashing and the audit chain."""
