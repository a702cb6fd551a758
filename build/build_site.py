"""Build pyfront's static site (the page, the pyfront wheel, Pyodide, the editor) into site/, and serve it.

    python build/build_site.py            # build into site/ (gitignored)
    python build/build_site.py --serve    # build, then serve on http://localhost:8000 with the page's CSP

Needs Python 3.11+ (standard library only) and npm: the first build runs ``npm ci`` in build/, which
installs the pinned packages of build/package-lock.json (Pyodide; CodeMirror and esbuild, which
bundles the editor into one file). Everything the page needs is copied in, with the pure-Python
pyfront wheel (shaders and the digits data inside); nothing is fetched at run time.
"""

from __future__ import annotations

import argparse
import base64
import functools
import hashlib
import http.server
import json
import shutil
import subprocess
import tomllib
import zipfile
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
    # the worker imports the browser driver's JavaScript half from the site: the CSP forbids eval
    shutil.copy2(ROOT / "pyfront" / "backends" / "webgpu" / "bridge.js", out / "bridge.js")
    modules = ROOT / "build" / "node_modules"
    installed, lock = modules / ".package-lock.json", ROOT / "build" / "package-lock.json"
    if not installed.exists() or installed.stat().st_mtime < lock.stat().st_mtime:  # none yet, or stale
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--silent"], cwd=ROOT / "build", check=True)
    (out / "pyodide").mkdir()
    for name in PYODIDE_FILES:
        shutil.copy2(modules / "pyodide" / name, out / "pyodide" / name)
    subprocess.run(
        [str(modules / ".bin" / "esbuild"), str(ROOT / "build" / "editor.js"), "--bundle", "--minify",
         "--format=esm", "--log-level=warning", f"--outfile={out / 'editor.js'}"],
        check=True,
    )
    wheel = pure_wheel(out / "wheels")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    (out / "manifest.json").write_text(json.dumps({
        "wheel": f"wheels/{wheel.name}",
        "version": project["version"],
        "source": project.get("urls", {}).get("Source"),  # None until the project is published
    }))
    return out


def pure_wheel(directory: Path) -> Path:
    """pyfront as a pure-Python wheel (shaders/ inside as pyfront/shaders), written with the standard
    library: the page build needs no build backend (hatchling), so it runs right after ``dev.sh demo``."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    name, version = project["name"], project["version"]
    files = {}
    for source, prefix in ((ROOT / "pyfront", "pyfront"), (ROOT / "shaders", "pyfront/shaders")):
        for path in sorted(source.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                files[f"{prefix}/{path.relative_to(source).as_posix()}"] = path.read_bytes()
    info = f"{name}-{version}.dist-info"
    files[f"{info}/METADATA"] = (
        f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\nSummary: {project['description']}\n"
    ).encode()
    files[f"{info}/WHEEL"] = (
        b"Wheel-Version: 1.0\nGenerator: build_site.py\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    )
    digest = lambda data: base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    record = [f"{path},sha256={digest(data)},{len(data)}" for path, data in files.items()]
    files[f"{info}/RECORD"] = ("\n".join([*record, f"{info}/RECORD,,"]) + "\n").encode()
    directory.mkdir(parents=True, exist_ok=True)
    wheel = directory / f"{name}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data in files.items():
            archive.writestr(zipfile.ZipInfo(path, (1980, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)
    return wheel


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
