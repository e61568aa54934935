"""The client's version, one place."""
__version__ = "0.1.0"
API_VERSION = "1"
