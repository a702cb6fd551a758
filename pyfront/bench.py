"""``python -m pyfront.bench``: pyfront beside PyTorch and NumPy, measured in one run, each library in its
own process.

Prints JSON. The machine (CPU model, cores) and the WebGPU adapter (name, backend, type); for each
available pyfront device: matmul GFLOP/s, elementwise add GB/s, the cost of one tiny eager op in
µs (``op_host_us``: the host's part, ops recorded without waiting; ``op_overhead_us``: the device's
work included), an MLP training step (784-512-512-10, batch 256, SGD with momentum) in ms and, on
webgpu, the kernels it dispatches; beside each, the same figure for PyTorch (CUDA when present, else
CPU) and NumPy, and the ratio pyfront / reference (above 1 is better for rates, below 1 for times).
``page``: the same per-op figures in the web page (headless Chromium on SwiftShader's WebGPU, as
the browser tests run it) and the time of the playground's training example there; measured from a
checkout with Playwright, unless ``--quick`` (then only with ``--page``).
PyTorch is imported only in the child process that measures it; pyfront itself never imports it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyfront
from pyfront.backends import host_gemm
from pyfront.backends import host_numpy


def _host(fn, sync, n: int, repeat=5) -> float:
    """Seconds per call on the host: ``n`` calls recorded without waiting for the device (which
    catches up outside the timing), the best of ``repeat``."""
    best = float("inf")
    for _ in range(repeat):
        sync()
        t0 = time.perf_counter()
        for _ in range(n):
            fn()
        best = min(best, (time.perf_counter() - t0) / n)
    sync()
    return best


def _best(fn, sync, repeat=5, min_time=0.05) -> float:
    """Seconds per call: the best of ``repeat`` batches, each long enough to time reliably."""
    fn()
    sync()
    n = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(n):
            fn()
        sync()
        if time.perf_counter() - t0 >= min_time or n >= 1 << 20:
            break
        n *= 2
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _ in range(n):
            fn()
        sync()
        best = min(best, (time.perf_counter() - t0) / n)
    return best


class _Lib:
    """One library under test: how to make random float32 data, sync, and train an MLP step."""

    def __init__(self, name, randn, sync, grad_step, computed=lambda t: t, max_bytes=float("inf")):
        self.name, self.randn, self.sync, self.grad_step = name, randn, sync, grad_step
        self.max_bytes = max_bytes  # the largest tensor the device binds (a WebGPU storage binding)
        # ``computed(t)``: t, its device work queued. webgpu's lazy fusion never computes a result
        # nobody reads, so an add whose result is dropped would time nothing
        self.computed = computed


def _pyfront_lib(device):
    def randn(*shape):
        return pyfront.randn(*shape, device=device)

    def sync():
        if device != "cpu":
            pyfront.accelerator.synchronize()

    def computed(t):
        data = t._storage.data
        if hasattr(data, "realize"):  # a pending fused result: queue its kernel now
            data.realize()
        return t

    max_bytes = pyfront.webgpu._backend().runtime.pool.max_binding if device == "webgpu" else float("inf")
    return _Lib(f"pyfront[{device}]", randn, sync, _autograd_mlp_step(pyfront, randn), computed, max_bytes)


def _torch_lib():
    try:
        import torch
    except ImportError:
        return None
    if torch.__name__ != "torch":  # the web page maps `import torch` to pyfront: no PyTorch to compare
        return None
    torch.backends.cuda.matmul.allow_tf32 = False
    device = "cuda" if torch.cuda.is_available() else "cpu"

    def randn(*shape):
        return torch.randn(*shape, device=device)

    def sync():
        if device == "cuda":
            torch.cuda.synchronize()

    return _Lib(f"torch[{device}]", randn, sync, _autograd_mlp_step(torch, randn))


def _numpy_lib():
    np = host_numpy()
    if np is None:
        return None
    rng = np.random.default_rng(0)

    def randn(*shape):
        return rng.standard_normal(shape, dtype=np.float32)

    return _Lib("numpy", randn, lambda: None, _numpy_mlp_step(np, randn))


REFERENCES = {"torch": _torch_lib, "numpy": _numpy_lib}


def _reference(name: str, quick: bool, limits: dict):
    """The figures of the reference library ``name`` (``REFERENCES``), measured in a process of its own
    (each library in its own process, as ../shared/tools/peer_bench.py runs them), or None where it is
    not installed. In one process, torch's OpenMP threads and those of the MKL that runs pyfront's products
    spin-wait on the cores each other needs: a step measured 4 ms in one run and 200 ms in the next."""
    if sys.platform == "emscripten":  # (the page: no processes, and neither torch nor NumPy beside pyfront)
        return None
    argv = ["--reference", name, "--max-matmul", str(limits["max_matmul"]),
            "--max-add", str(limits["max_add"])]
    done = subprocess.run([sys.executable, "-m", "pyfront.bench", *argv, *(["--quick"] if quick else [])],
                          capture_output=True, text=True)
    if done.returncode:  # (its traceback, not a CalledProcessError that hides it)
        raise RuntimeError(f"measuring {name} failed:\n{done.stderr}")
    return json.loads(done.stdout.splitlines()[-1], object_hook=_int_keys)  # (its last line: the figures)


def _int_keys(obj: dict) -> dict:
    """JSON's string keys of sizes read back as the ints the figures are keyed by."""
    return {int(k) if k.isdigit() else k: v for k, v in obj.items()}


def _autograd_mlp_step(lib, randn, sizes=(784, 512, 512, 10), batch=256, lr=0.01):
    """A training step written once for any torch-like library: forward, backward, SGD momentum."""
    ws = [(randn(i, o) * (1 / i) ** 0.5).requires_grad_() for i, o in zip(sizes, sizes[1:])]
    bs = [lib.zeros(o, device=w.device).requires_grad_() for o, w in zip(sizes[1:], ws)]
    params = ws + bs
    bufs = [lib.zeros_like(p) for p in params]
    x = randn(batch, sizes[0])
    y = lib.randint(0, sizes[-1], (batch,), device=x.device)
    onehot = lib.zeros(batch, sizes[-1], device=x.device)
    onehot[lib.arange(batch, device=x.device), y] = 1.0

    def step():
        h = x
        for i, (w, b) in enumerate(zip(ws, bs)):
            h = h @ w + b
            if i < len(ws) - 1:
                h = h.relu()
        logp = h - h.logsumexp(dim=1, keepdim=True)
        loss = -(logp * onehot).sum() / batch
        for p in params:
            p.grad = None
        loss.backward()
        with lib.no_grad():
            for p, buf in zip(params, bufs):
                buf.mul_(0.9).add_(p.grad)
                p.sub_(lr * buf)

    return step


def _numpy_mlp_step(np, randn, sizes=(784, 512, 512, 10), batch=256, lr=0.01):
    """The same step by hand in NumPy: the floor any NumPy-backed library is compared with."""
    ws = [randn(i, o) * np.float32((1 / i) ** 0.5) for i, o in zip(sizes, sizes[1:])]
    bs = [np.zeros(o, np.float32) for o in sizes[1:]]
    bufs = [np.zeros_like(p) for p in ws + bs]
    x = randn(batch, sizes[0])
    onehot = np.eye(sizes[-1], dtype=np.float32)[np.random.default_rng(0).integers(0, sizes[-1], batch)]

    def step():
        acts = [x]
        for i, (w, b) in enumerate(zip(ws, bs)):
            h = acts[-1] @ w + b
            acts.append(np.maximum(h, 0) if i < len(ws) - 1 else h)
        logits = acts[-1]
        p = np.exp(logits - logits.max(1, keepdims=True))
        p /= p.sum(1, keepdims=True)
        g = (p - onehot) / batch
        grads_w, grads_b = [], []
        for i in range(len(ws) - 1, -1, -1):
            grads_w.insert(0, acts[i].T @ g)
            grads_b.insert(0, g.sum(0))
            if i:
                g = (g @ ws[i].T) * (acts[i] > 0)
        for p_, buf, gr in zip(ws + bs, bufs, grads_w + grads_b):
            buf *= 0.9
            buf += gr
            p_ -= lr * buf

    return step


def measure(lib: _Lib, quick: bool, max_matmul: int = 4096, max_add: int = 1 << 26) -> dict:
    out = {"matmul_gflops": {}, "add_gbps": {}}
    for n in [n for n in ((256, 512) if quick else (256, 512, 1024, 2048, 4096)) if n <= max_matmul]:
        a, b = lib.randn(n, n), lib.randn(n, n)
        out["matmul_gflops"][n] = 2 * n**3 / _best(lambda a=a, b=b: a @ b, lib.sync, repeat=3) / 1e9
    # an add past the device's binding limit is not timed (lavapipe binds 128 MiB, a 2**26 add is 256)
    sizes = (1 << 20,) if quick else (1 << 20, 1 << 22, 1 << 24, 1 << 26)
    for n in [n for n in sizes if n <= max_add and 4 * n <= lib.max_bytes]:
        a, b = lib.randn(n), lib.randn(n)
        out["add_gbps"][n] = 3 * 4 * n / _best(lambda a=a, b=b: lib.computed(a + b), lib.sync, repeat=3) / 1e9
    out.update(op_figures(lib, quick))
    out["mlp_step_ms"] = _best(lib.grad_step, lib.sync, repeat=3, min_time=0.2) * 1e3
    if lib.name == "pyfront[webgpu]":  # kernels launched per training step: what per-op costs multiply
        out["mlp_step_dispatches"] = step_dispatches(lib)
    return out


def step_dispatches(lib: _Lib) -> int:
    """The kernels one training step launches on webgpu, from one sync to the next: the sync computes
    the step's pending results (lazy fusion), which are part of its work."""
    runtime = pyfront.webgpu._backend().runtime
    lib.sync()
    before = runtime.dispatch_count
    lib.grad_step()
    lib.sync()
    return runtime.dispatch_count - before


def op_figures(lib: _Lib, quick: bool) -> dict:
    """The cost of one 1,000-element add, in µs: on the host alone, and with the device's work."""
    a, b = lib.randn(1000), lib.randn(1000)
    return {
        "op_host_us": _host(lambda: a + b, lib.sync, 200 if quick else 1000) * 1e6,
        "op_overhead_us": _best(lambda: lib.computed(a + b), lib.sync) * 1e6,
    }


def machine() -> dict:
    """The CPU (model, cores, the BLAS of the cpu device's products) and the WebGPU adapter (name, backend,
    type) the figures come from."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    out = {"platform": platform.platform(), "python": platform.python_version(), "cpu": cpu,
           "cores": os.cpu_count(), "cpu_blas": host_gemm.describe()}
    if pyfront.webgpu.is_available():
        info = pyfront.webgpu.adapter_info()
        out["adapter"] = {key: info[key] for key in ("name", "backend", "type", "software")}
    return out


def in_page() -> dict:
    """The page's figures that Python measures itself (run inside the page by ``page_figures``)."""
    return {"machine": machine(), **op_figures(_pyfront_lib("webgpu"), quick=False)}


def page_figures() -> dict:
    """Per-op µs and the playground's training example's time (s, its first run with shader
    compilation, then again) in headless Chromium on SwiftShader, as tests/test_browser.py runs the
    page. Needs a checkout (build/, web/, tests/browser_page.py), Chromium and Playwright."""
    tests = Path(__file__).resolve().parent.parent / "tests"
    try:
        sys.path.insert(0, str(tests))
        from browser_page import Page, build_site
    except ImportError as e:
        return {"skipped": f"the page is measured from a checkout with Playwright installed ({e})"}
    finally:
        sys.path.remove(str(tests))
    with tempfile.TemporaryDirectory() as tmp:
        page = Page(build_site(Path(tmp) / "site"))
        try:
            found = page.run("import json\nfrom pyfront import bench\njson.dumps(bench.in_page())")
            if "error" in found:
                return {"skipped": f"the page failed: {found['error']}"}
            out = json.loads(found["result"])
            examples = page.page.evaluate("import('./examples.js').then((m) => m.EXAMPLES)")
            code = next(e["code"] for e in examples if "training loop" in e["title"])
            for key in ("example_first_s", "example_s"):
                t0 = time.perf_counter()
                result = page.run(code)
                out[key] = time.perf_counter() - t0
                if "error" in result:
                    return {"skipped": f"the training example failed: {result['error']}"}
        finally:
            page.close()
    return out


def _ratios(ours: dict, ref: dict) -> dict:
    """ours / ref for rates, ref / ours for times: above 1 means pyfront is faster."""
    r = {}
    for key in ("matmul_gflops", "add_gbps"):
        r[key] = {n: ours[key][n] / ref[key][n] for n in ours[key] if n in ref.get(key, {})}
    for key in ("op_host_us", "op_overhead_us"):
        r[key] = ref[key] / ours[key]
    r["mlp_step_ms"] = ref["mlp_step_ms"] / ours["mlp_step_ms"]
    return r


def _rounded(obj):
    if isinstance(obj, float):
        return float(f"{obj:.4g}")
    if isinstance(obj, dict):
        return {k: _rounded(v) for k, v in obj.items()}
    return obj


def devices() -> list:
    """The devices to measure: cpu where NumPy computes it (not in a browser without NumPy), and the GPU."""
    found = ["cpu"] if host_numpy() is not None else []
    # asked for explicitly, as the tests do: a CPU renderer (lavapipe) is measured too, though it is
    # not the accelerator a device-agnostic script would pick
    if pyfront.webgpu.is_available():
        found.append("webgpu")
    return found


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description="pyfront benchmarks beside PyTorch and NumPy")
    parser.add_argument("--quick", action="store_true", help="small sizes only (a smoke run)")
    parser.add_argument("--max-matmul", type=int, default=4096, help="largest matmul size to time")
    parser.add_argument("--max-add", type=int, default=1 << 26, help="largest elementwise add to time")
    page = parser.add_mutually_exclusive_group()
    page.add_argument("--page", action="store_true", help="measure the web page too, even with --quick")
    page.add_argument("--no-page", action="store_true", help="do not measure the web page")
    parser.add_argument("--reference", choices=sorted(REFERENCES), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    limits = dict(max_matmul=args.max_matmul, max_add=args.max_add)
    if args.reference:  # (a child of the run below: one reference library's figures, or null)
        lib = REFERENCES[args.reference]()
        print("\n" + json.dumps(lib and {"name": lib.name, **measure(lib, args.quick, **limits)}))
        return {}
    refs = {}
    for name in REFERENCES:
        found = _reference(name, args.quick, limits)
        if found is not None:
            refs[found.pop("name")] = found
    report = {"machine": machine(), "devices": {}}
    for dev in devices():
        ours = measure(_pyfront_lib(dev), args.quick, **limits)
        report["devices"][dev] = {
            "pyfront": ours,
            **refs,
            "ratio": {name: _ratios(ours, ref) for name, ref in refs.items()},
        }
    in_browser = sys.platform == "emscripten"
    if not in_browser and (args.page or not (args.quick or args.no_page)):
        report["page"] = page_figures()
    print(json.dumps(_rounded(report), indent=1))
    return report


if __name__ == "__main__":
    main()
