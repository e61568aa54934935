"""Printed documents (PDF): the house style, reusable blocks, and the forms built on them — receipts, notices,
appendix forms (forms.py), verifiable certificates (certificates.py, certify.py), thermal slips (slip.py)."""
