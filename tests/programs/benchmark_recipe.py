"""pytorch/tutorials recipes_source/recipes/benchmark.py (torch.utils.benchmark): timing two batched-dot
implementations with Timer, blocked_autorange and adaptive_autorange, Measurement's statistics, a grid of
measurements in a Compare table, and the timings' structure printed (the times themselves differ by run)."""
import torch
import torch.utils.benchmark as benchmark


def batched_dot_mul_sum(a, b):
    '''Computes batched dot by multiplying and summing'''
    return a.mul(b).sum(-1)


def batched_dot_bmm(a, b):
    '''Computes batched dot by reducing to ``bmm``'''
    a = a.reshape(-1, 1, a.shape[-1])
    b = b.reshape(-1, b.shape[-1], 1)
    return torch.bmm(a, b).flatten(-3)


# Input for benchmarking
x = torch.randn(1000, 64)

# Ensure that both functions compute the same output
assert batched_dot_mul_sum(x, x).allclose(batched_dot_bmm(x, x))

t0 = benchmark.Timer(
    stmt='batched_dot_mul_sum(x, x)',
    setup='from __main__ import batched_dot_mul_sum',
    globals={'x': x})

t1 = benchmark.Timer(
    stmt='batched_dot_bmm(x, x)',
    setup='from __main__ import batched_dot_bmm',
    globals={'x': x})

m0 = t0.timeit(20)
m1 = t1.timeit(20)
for m in (m0, m1):
    print(type(m).__name__, m.number_per_run, len(m.times), m.task_spec.stmt, m.mean > 0, m.median > 0)
    print(m.title, "|", m.env, "|", m.num_threads == torch.get_num_threads())

print(f'Running on {torch.get_num_threads()} threads ... ok')
m2 = t0.blocked_autorange(min_run_time=0.05)
print(m2.number_per_run >= 1, len(m2.times) >= 1, m2.iqr >= 0, isinstance(m2.has_warnings, bool))
m3 = t1.adaptive_autorange(min_run_time=0.01, max_run_time=0.2)
print(type(m3).__name__, m3.median > 0, sorted(k for k in ('mean', 'median', 'iqr') if hasattr(m3, k)))
print(repr(m2).splitlines()[1])

# the grid: labels, sub-labels and descriptions become Compare's rows and columns
results = []
sizes = [1, 64]
for b in sizes:
    for n in sizes:
        label = 'Batched dot'
        sub_label = f'[{b}, {n}]'
        x = torch.ones((b, n))
        for num_threads in [1, 2]:
            results.append(benchmark.Timer(
                stmt='batched_dot_mul_sum(x, x)',
                setup='from __main__ import batched_dot_mul_sum',
                globals={'x': x},
                num_threads=num_threads,
                label=label,
                sub_label=sub_label,
                description='mul/sum',
            ).timeit(5))
            results.append(benchmark.Timer(
                stmt='batched_dot_bmm(x, x)',
                setup='from __main__ import batched_dot_bmm',
                globals={'x': x},
                num_threads=num_threads,
                label=label,
                sub_label=sub_label,
                description='bmm',
            ).timeit(5))

compare = benchmark.Compare(results)
compare.trim_significant_figures()
compare.colorize()
table = str(compare)
lines = [line for line in table.splitlines() if line.strip()]
print(len(results), lines[0].strip("[]- "))  # (the table's width follows the times' digits)
print([line.split("|")[0].strip() for line in lines[1:] if "[" in line])
print("mul/sum" in table, "bmm" in table, "threads: 1" in table, "threads: 2" in table,
      "Times are in" in table)

# a measurement merged from two runs of the same task, as Measurement.merge does
merged = benchmark.Measurement.merge([m0, t0.timeit(20)])
print(len(merged), len(merged[0].times), merged[0].task_spec == m0.task_spec)
print(benchmark.select_unit(2e-5), benchmark.select_unit(3.0))
