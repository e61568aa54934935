#!/bin/sh
# /usr/bin/yichuang: the bundle lives in /opt/yichuang (PyInstaller one-folder); every subcommand works as usual.
exec /opt/yichuang/yichuang "$@"
