"""The administrator's pages: the effective configuration with the source of each value, and the support bundle."""
