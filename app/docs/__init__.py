"""Printed documents (PDF): the house style, reusable blocks, and the forms built on them (receipts first)."""
