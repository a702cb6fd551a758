#!/usr/bin/env bash
# pyfront's set-up commands; each installs what it needs (Debian packages when missing, a virtual
# environment in .venv in this folder, the page's pinned npm packages in build/node_modules):
#   bash dev.sh demo   train the demo model and report what it learned (extra arguments go to the demo,
#                      e.g. --epochs 4 --device cpu)
#   bash dev.sh page   build the web page into site/ and serve it on http://localhost:8000 (needs npm)
#   bash dev.sh test   run the whole test suite against real PyTorch: cpu, webgpu (Mesa's lavapipe)
#                      and the page in headless Chromium (Pyodide on SwiftShader's WebGPU); extra
#                      arguments go to pytest, e.g. tests/test_ops.py -x
#   bash dev.sh help   this list
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

# the page's build installs the pinned packages of build/package-lock.json with npm ci
need_npm() { command -v npm >/dev/null || debian_packages npm; }

setup() {
    if [ ! -x .venv/bin/python ]; then python3 -m venv .venv; fi
    .venv/bin/python -m pip install -q --disable-pip-version-check -e ".$1"
}

case "${1:-}" in
    demo) debian_packages mesa-vulkan-drivers; setup "[gpu,mkl]"
          exec .venv/bin/python -m pyfront.examples.digits "${@:2}" ;;
    page) need_npm; setup "[gpu]"
          exec .venv/bin/python build/build_site.py --serve "${@:2}" ;;
    test) debian_packages mesa-vulkan-drivers chromium; need_npm; setup "[gpu,test,mkl]"
          # (the browser tests build the site: build_site.py runs npm ci for the pinned Pyodide,
          # CodeMirror and esbuild when build/node_modules is missing or older than the lock file)
          # the webgpu tests must run here: a missing adapter is a failure, not a skip
          # one OpenBLAS thread: the suite runs thousands of small matmuls, where threads only cost (not
          # MKL_NUM_THREADS: torch, the oracle, reads it as its own thread count, which its numbers follow)
          PYFRONT_REQUIRE_WEBGPU=1 OPENBLAS_NUM_THREADS=1 exec .venv/bin/python -m pytest "${@:2}" ;;
    help|-h|--help|"") sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' ;;
    *) echo "unknown command '$1'; bash dev.sh help lists them" >&2; exit 2 ;;
esac
