#!/usr/bin/env bash
# pyfront's two set-up commands (each installs what it needs: Debian packages when missing, and a
# virtual environment in .venv in this folder):
#   bash dev.sh demo   train the demo model and report what it learned
#   bash dev.sh test   run the whole test suite against real PyTorch: cpu, webgpu (Mesa's lavapipe)
#                      and the page in headless Chromium (Pyodide on SwiftShader's WebGPU)
set -euo pipefail
cd "$(dirname "$0")"

# Mesa's Vulkan drivers give a WebGPU adapter on any machine (lavapipe runs on the CPU).
debian_packages() {
    local missing=()
    for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
    if [ ${#missing[@]} -gt 0 ] && command -v apt-get >/dev/null; then
        local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
        $sudo apt-get update -qq && $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
}

setup() {
    if [ ! -x .venv/bin/python ]; then python3 -m venv .venv; fi
    .venv/bin/python -m pip install -q --disable-pip-version-check -e ".$1"
}

case "${1:-}" in
    demo) debian_packages mesa-vulkan-drivers; setup "[gpu]"
          exec .venv/bin/python -m pyfront.examples.digits "${@:2}" ;;
    test) debian_packages mesa-vulkan-drivers chromium; setup "[gpu,test]"
          # Pyodide for the in-browser tests, pinned by build/package-lock.json
          [ -d build/node_modules/pyodide ] || (cd build && npm ci --no-audit --no-fund --silent)
          # the webgpu tests must run here: a missing adapter is a failure, not a skip
          # one BLAS thread: the suite runs thousands of small matmuls, where threads only cost
          PYFRONT_REQUIRE_WEBGPU=1 OPENBLAS_NUM_THREADS=1 exec .venv/bin/python -m pytest "${@:2}" ;;
    *) echo "usage: bash dev.sh demo|test" >&2; exit 2 ;;
esac
