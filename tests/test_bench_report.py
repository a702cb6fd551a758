"""``python -m pyfront.bench`` reports every figure of the performance issue (never their values: no
timed assertion), with the clocks stubbed so each measurement runs once."""
from webgpu_required import requires_webgpu

import pyfront
from pyfront import bench

FIGURES = {"matmul_gflops", "add_gbps", "op_host_us", "op_overhead_us", "mlp_step_ms"}


def _once(fn, sync, *args, **kwargs):
    fn()
    sync()
    return 1e-3


def _here(name, quick, limits):
    """bench._reference measured in this process, where the stubbed clocks apply."""
    lib = bench.REFERENCES[name]()
    return lib and {"name": lib.name, **bench.measure(lib, quick, **limits)}


def test_the_report_has_every_figure_beside_torch_and_numpy(monkeypatch, capsys):
    monkeypatch.setattr(bench, "_best", _once)
    monkeypatch.setattr(bench, "_host", _once)
    monkeypatch.setattr(bench, "_reference", _here)
    report = bench.main(["--quick", "--no-page", "--max-matmul", "256", "--max-add", str(1 << 20)])
    machine = report["machine"]
    assert machine["cpu"] and machine["cores"] >= 1 and machine["platform"] and machine["cpu_blas"]
    devices = ["cpu", "webgpu"] if pyfront.webgpu.is_available() else ["cpu"]
    assert list(report["devices"]) == devices and "page" not in report
    for device in devices:
        figures = report["devices"][device]
        assert set(figures) == {"pyfront", "torch[cpu]", "numpy", "ratio"}
        for lib in ("pyfront", "torch[cpu]", "numpy"):
            assert FIGURES <= set(figures[lib]), (device, lib)
            assert figures[lib]["matmul_gflops"][256] > 0 and figures[lib]["add_gbps"][1 << 20] > 0
        assert set(figures["ratio"]) == {"torch[cpu]", "numpy"}
        assert FIGURES == set(figures["ratio"]["numpy"])
    if "webgpu" in devices:
        assert set(machine["adapter"]) == {"name", "backend", "type", "software"}
        assert report["devices"]["webgpu"]["pyfront"]["mlp_step_dispatches"] > 0
    assert '"op_host_us"' in capsys.readouterr().out  # printed as JSON too


def test_each_reference_library_is_measured_in_a_process_of_its_own():
    """torch's OpenMP threads and those of the MKL under pyfront's products, in one process, spin on the
    cores each other needs: a reference's figures come from a child process (its sizes read back as ints)."""
    found = bench._reference("numpy", True, {"max_matmul": 256, "max_add": 1 << 10})
    assert found["name"] == "numpy" and FIGURES <= set(found)
    assert list(found["matmul_gflops"]) == [256] and found["add_gbps"] == {}
    assert found["mlp_step_ms"] > 0 and found["op_host_us"] > 0


def test_the_page_is_measured_unless_quick(monkeypatch):
    asked = []
    monkeypatch.setattr(bench, "_reference", lambda name, quick, limits: None)
    monkeypatch.setattr(bench, "page_figures", lambda: asked.append(1) or {"example_s": 1.0})
    monkeypatch.setattr(bench, "devices", lambda: [])
    monkeypatch.setattr(bench, "measure", lambda lib, quick, **limits: {})
    assert "page" not in bench.main(["--quick"]) and not asked
    assert bench.main(["--quick", "--page"])["page"] == {"example_s": 1.0}
    assert "page" in bench.main([]) and "page" not in bench.main(["--no-page"])


@requires_webgpu
def test_each_timed_add_launches_its_kernel_on_webgpu(monkeypatch):
    """Lazy fusion never computes a result nobody reads: the bench's add must still run one kernel
    per call (it timed nothing before, 575-891 GB/s on lavapipe)."""
    calls = []

    def count(fn, sync, *args, **kwargs):
        runtime = pyfront.webgpu._backend().runtime
        sync()
        before = runtime.dispatch_count
        for _ in range(3):
            fn()
        sync()
        calls.append(runtime.dispatch_count - before)
        return 1e-3

    monkeypatch.setattr(bench, "_best", count)
    monkeypatch.setattr(bench, "_host", lambda *args, **kwargs: 1e-6)
    monkeypatch.setattr(bench, "step_dispatches", lambda lib: 0)
    lib = bench._pyfront_lib("webgpu")
    monkeypatch.setattr(lib, "grad_step", lambda: None)
    bench.measure(lib, quick=True, max_matmul=0, max_add=1 << 20)
    add, overhead = calls[0], calls[1]  # the add bandwidth, then the one-op cost with its device work
    assert add == 3 and overhead == 3, calls


@requires_webgpu
def test_adds_past_the_binding_limit_are_not_timed(monkeypatch):
    """The default sizes go to 2**26 floats (256 MiB), past lavapipe's 128 MiB binding: the bench
    crashed there at its end. An add the device cannot bind is left out of the figures."""
    monkeypatch.setattr(bench, "_best", _once)
    monkeypatch.setattr(bench, "_host", _once)
    monkeypatch.setattr(bench, "step_dispatches", lambda lib: 0)
    lib = bench._pyfront_lib("webgpu")
    assert lib.max_bytes == pyfront.webgpu._backend().runtime.pool.max_binding
    monkeypatch.setattr(lib, "grad_step", lambda: None)
    lib.max_bytes = 4 << 20  # binds 2**20 floats, not 2**22
    sizes = []
    monkeypatch.setattr(lib, "randn", lambda *shape: sizes.append(shape) or pyfront.randn(1, device="webgpu"))
    figures = bench.measure(lib, quick=False, max_matmul=0, max_add=1 << 22)
    assert list(figures["add_gbps"]) == [1 << 20] and (1 << 22,) not in sizes
