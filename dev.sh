#!/usr/bin/env bash
# pyfront's two set-up commands (each installs what it needs into .venv in this folder):
#   bash dev.sh demo   train the demo model and report what it learned
#   bash dev.sh test   run the whole test suite against real PyTorch
set -euo pipefail
cd "$(dirname "$0")"

setup() {
    if [ ! -x .venv/bin/python ]; then python3 -m venv .venv; fi
    .venv/bin/python -m pip install -q --disable-pip-version-check -e ".$1"
}

case "${1:-}" in
    demo) setup ""; exec .venv/bin/python -m pyfront.examples.demo "${@:2}" ;;
    test) setup "[test]"; exec .venv/bin/python -m pytest "${@:2}" ;;
    *) echo "usage: bash dev.sh demo|test" >&2; exit 2 ;;
esac
