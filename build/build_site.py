"""Build pyfront's static site (the page, the pyfront wheel, Pyodide) into site/, and serve it.

    python build/build_site.py            # build into site/ (gitignored)
    python build/build_site.py --serve    # build, then serve on http://localhost:8000 with the page's CSP

Everything the page needs is copied in: Pyodide from the pinned npm package (build/package-lock.json),
the pure-Python pyfront wheel (shaders and the digits data inside). Nothing is fetched at run time.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYODIDE_FILES = (
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
)
CSP = "script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; object-src 'none'; base-uri 'none'"


def build(out: Path) -> Path:
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(ROOT / "web", out)
    node_modules = ROOT / "build" / "node_modules" / "pyodide"
    if not node_modules.exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--silent"], cwd=ROOT / "build", check=True)
    (out / "pyodide").mkdir()
    for name in PYODIDE_FILES:
        shutil.copy2(node_modules / name, out / "pyodide" / name)
    # --no-build-isolation: hatchling comes from the environment (a test dependency), not a download
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "--disable-pip-version-check",
            "-w",
            str(out / "wheels"),
            str(ROOT),
        ],
        check=True,
    )
    wheel = next((out / "wheels").glob("pyfront-*.whl"))
    (out / "manifest.json").write_text(json.dumps({"wheel": f"wheels/{wheel.name}"}))
    return out


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".mjs": "text/javascript",
        ".js": "text/javascript",
        ".whl": "application/zip",
    }

    def end_headers(self):
        self.send_header("Content-Security-Policy", CSP)
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, *args):
        pass


def server(directory: Path, port: int = 0) -> http.server.ThreadingHTTPServer:
    """A local static server for ``directory`` (port 0: any free port) that sends the page's CSP."""
    return http.server.ThreadingHTTPServer(
        ("127.0.0.1", port), functools.partial(Handler, directory=str(directory))
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "site")
    parser.add_argument("--serve", action="store_true")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    out = build(args.out)
    print(f"built {out}")
    if args.serve:
        httpd = server(out, args.port)
        print(f"serving on http://localhost:{httpd.server_address[1]}/ (Ctrl-C stops)")
        httpd.serve_forever()


if __name__ == "__main__":
    main()
