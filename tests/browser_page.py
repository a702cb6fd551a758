"""Drive the built site in headless Chromium (Debian's, with SwiftShader's WebGPU) through Playwright."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
SHOTS = Path(os.environ.get("PAGE_SHOTS", "/tmp/page-shots"))  # screenshots, to look at
BASE = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
FLAGS = BASE + [
    "--enable-unsafe-webgpu",
    "--enable-features=Vulkan",
    "--use-vulkan=swiftshader",
    "--use-webgpu-adapter=swiftshader",
]
# a browser without WebGPU (navigator.gpu is undefined), as most Linux and older browsers are
NO_WEBGPU_FLAGS = BASE + [
    "--disable-gpu",
    "--disable-software-rasterizer",
    "--disable-features=WebGPU,Vulkan",
]


def build_site(out: Path) -> Path:
    sys.path.insert(0, str(ROOT / "build"))
    from build_site import build

    return build(out)


class Page:
    """The site served on localhost and open in Chromium; ``run(code)`` runs Python in its worker."""

    def __init__(self, site: Path, flags=FLAGS, beside: Page | None = None):
        """``beside``: an open Page whose Playwright drives this one too (one Playwright per thread)."""
        from build_site import server
        from playwright.sync_api import sync_playwright

        self.httpd = server(site)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self._own_pw = beside is None
        self._pw = sync_playwright().start() if beside is None else beside._pw
        self.browser = self._pw.chromium.launch(executable_path=CHROMIUM, args=flags)
        self.page = self.browser.new_page(viewport={"width": 1280, "height": 2000})
        self.console_errors, self.csp_violations = [], []
        self.page.on("console", lambda m: m.type == "error" and self.console_errors.append(m.text))
        self.page.on("pageerror", lambda e: self.console_errors.append(str(e)))
        self.page.on(
            "console", lambda m: "Content Security Policy" in m.text and self.csp_violations.append(m.text)
        )
        self.load(self.url)

    def load(self, url: str):
        self.page.goto("about:blank")  # a real load even when only the #fragment differs
        self.page.goto(url)
        self.page.wait_for_selector(
            "body[data-ready='true'], #adapter.warn", state="attached", timeout=180_000
        )

    def run(self, code: str, timeout_ms: int = 600_000) -> dict:
        self.page.set_default_timeout(timeout_ms)
        return self.page.evaluate("code => window.pyfront.run(code)", code)

    def code(self, text: str | None = None) -> str:
        """The editor's text; with ``text``, replace it first."""
        if text is not None:
            self.page.evaluate("text => { window.pyfront.editor.text = text; }", text)
        return self.page.evaluate("() => window.pyfront.editor.text")

    def shot(self, name: str):
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)

    def close(self):
        self.browser.close()
        if self._own_pw:
            self._pw.stop()
        self.httpd.shutdown()
