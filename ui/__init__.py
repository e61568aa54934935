"""The PySide6 user interface: renders state and dispatches commands to the Qt-free core in `app`."""
