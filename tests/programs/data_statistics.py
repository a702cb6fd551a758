"""Descriptive statistics of a data table as pandas-free data-science notebooks compute them in torch: quantile
and nanquantile with every interpolation (scalar and tensor q, dim, keepdim), median/nanmedian and their
indices, mode, kthvalue, histogram (bin counts, explicit edges, range, weights, density), histc, histogramdd,
bucketize (right, out_int32) and searchsorted (side, sorter, a scalar), unique/unique_consecutive with
inverse and counts along a dim, cov with fweights/aweights, corrcoef, aminmax, cummax/cummin, a winsorised
mean by quantile clamps, standardisation with nan rows, robust z-scores by MAD, and the errors."""
import torch

torch.manual_seed(0)


def r(t, k=8, nd=5):
    return [round(v, nd) for v in t.detach().reshape(-1)[:k].tolist()]


data = torch.randn(6, 7) * torch.tensor([1.0, 2.0, 0.5, 3.0, 1.0, 10.0, 0.1])
data[1, 2] = float("nan")
data[4, 5] = float("nan")
ties = torch.tensor([[3.0, 1.0, 2.0, 2.0, 1.0, 3.0, 3.0], [0.0, 0.0, 5.0, 5.0, -1.0, -1.0, 4.0]])

qs = torch.tensor([0.0, 0.1, 0.25, 0.5, 0.9, 1.0])
for interp in ("linear", "lower", "higher", "nearest", "midpoint"):
    print(interp, "quantile", r(torch.quantile(data[:, 0], qs, interpolation=interp)))
    print("   dim0", r(data.quantile(0.3, dim=0, interpolation=interp)), "keepdim",
          tuple(data.quantile(qs, dim=1, keepdim=True, interpolation=interp).shape))
    print("   nanquantile", r(torch.nanquantile(data, qs, dim=0, interpolation=interp), 14))
    print("   ties", r(ties.quantile(torch.tensor([0.3, 0.5, 0.75]), dim=1, interpolation=interp)))
print("quantile over all with nan", torch.quantile(data, 0.5).item(), torch.nanquantile(data, 0.5).item())
print("quantile float64", r(data.double().nanquantile(torch.tensor([0.33, 0.66], dtype=torch.float64), dim=1), 12))

m = data.median(dim=0)
print("median", r(m.values), m.indices.tolist())
nm = data.nanmedian(dim=0)
print("nanmedian", r(nm.values), nm.indices.tolist(), data.nanmedian().item(), data.median().item())
print("median ties", ties.median(dim=1), ties.median().item())
print("mode", torch.mode(ties, dim=1), torch.mode(ties[0]))
print("kthvalue", ties.kthvalue(3, dim=1), ties.kthvalue(2, dim=0, keepdim=True).indices.tolist())
print("aminmax", torch.aminmax(data[:, :2], dim=0), torch.aminmax(ties))
print("cummax", ties[1].cummax(0), "cummin", ties[0].cummin(0))

x = torch.rand(200) * 10 - 2
wts = torch.rand(200)
h = torch.histogram(x, bins=7)
print("histogram", h.hist.tolist(), r(h.bin_edges))
h = torch.histogram(x, bins=torch.tensor([-2.0, 0.0, 1.0, 2.5, 8.0]), weight=wts, density=True)
print("histogram edges weights density", r(h.hist), r(h.bin_edges))
h = torch.histogram(x, bins=5, range=(0.0, 5.0), density=False)
print("histogram range", h.hist.tolist(), r(h.bin_edges))
print("histc", torch.histc(x, bins=6, min=-1, max=7).tolist(), torch.histc(x, bins=4).tolist())
pts = torch.stack([x[:50], wts[:50] * 3], 1)
hd = torch.histogramdd(pts, bins=[3, 2], weight=wts[:50])
print("histogramdd", r(hd.hist, 6), [r(e) for e in hd.bin_edges])
hd = torch.histogramdd(pts, bins=[torch.tensor([-2.0, 3.0, 8.0]), torch.tensor([0.0, 1.5, 3.0])], density=True)
print("histogramdd edges density", r(hd.hist, 6))

edges = torch.tensor([0.0, 1.0, 2.5, 2.5, 4.0])
vals = torch.tensor([[-1.0, 0.0, 1.0, 2.5], [3.9, 4.0, 4.1, float("nan")]])
print("bucketize", torch.bucketize(vals, edges).tolist(), torch.bucketize(vals, edges, right=True).tolist(),
      torch.bucketize(vals, edges, out_int32=True).dtype, torch.bucketize(2.5, edges))
print("searchsorted", torch.searchsorted(edges, vals).tolist(), torch.searchsorted(edges, vals, side="right").tolist())
unsorted = torch.tensor([4.0, 0.0, 2.5, 1.0, 2.5])
sorter = torch.argsort(unsorted, stable=True)
print("searchsorted sorter", torch.searchsorted(unsorted, vals, sorter=sorter).tolist(),
      torch.searchsorted(edges, 2.6), torch.searchsorted(edges.expand(2, 5), vals, right=True).tolist())
ints = torch.tensor([1, 3, 3, 7, 9])
print("searchsorted int", torch.searchsorted(ints, torch.tensor([0, 3, 8, 10])).tolist(),
      torch.searchsorted(ints, torch.tensor([0, 3]), out_int32=True).dtype)

lab = torch.tensor([3, 1, 3, 3, 2, 1, 1, 5])
u, inv, cnt = torch.unique(lab, return_inverse=True, return_counts=True)
print("unique", u.tolist(), inv.tolist(), cnt.tolist(), torch.unique(lab, sorted=True).tolist())
u, inv, cnt = torch.unique_consecutive(lab, return_inverse=True, return_counts=True)
print("unique_consecutive", u.tolist(), inv.tolist(), cnt.tolist())
rows = torch.tensor([[1, 2], [0, 5], [1, 2], [0, 5], [0, 4]])
u, inv, cnt = torch.unique(rows, dim=0, return_inverse=True, return_counts=True)
print("unique rows", u.tolist(), inv.tolist(), cnt.tolist())
print("unique_consecutive dim", torch.unique_consecutive(torch.tensor([[1, 1, 2, 2, 1], [0, 0, 3, 3, 0]]),
                                                         dim=1, return_counts=True))

clean = torch.nan_to_num(data, nan=0.0)
fw = torch.tensor([1, 2, 1, 3, 1, 1])
aw = torch.tensor([0.5, 1.0, 2.0, 1.0, 0.1, 1.0])
print("cov", r(torch.cov(clean.T), 10), r(torch.cov(clean.T, correction=0, fweights=fw, aweights=aw), 10))
print("corrcoef", r(torch.corrcoef(clean.T), 10))

lo, hi = clean.quantile(torch.tensor([0.1, 0.9]), dim=0)
wins = clean.clamp(min=lo, max=hi)
print("winsorised mean", r(wins.mean(0)))
mu = data.nanmean(0)
sd = ((data - mu) ** 2).nansum(0).div((~data.isnan()).sum(0) - 1).sqrt()
print("standardised", r((data - mu) / sd, 14))
med = data.nanmedian(dim=0).values
mad = (data - med).abs().nanmedian(dim=0).values
print("robust z", r(0.6745 * (data - med) / mad, 14))
print("nansum/nanmean", r(data.nansum(1)), r(data.nanmean(1)))
print("std_mean", torch.std_mean(clean, dim=0, correction=2), torch.var_mean(clean, 1, keepdim=True)[0].shape)

for bad in (lambda: torch.quantile(data, 1.5),
            lambda: torch.quantile(data, torch.tensor([[0.5]])),
            lambda: torch.quantile(data.int(), 0.5),
            lambda: torch.quantile(data, 0.5, interpolation="cubic"),
            lambda: torch.histogram(x, bins=torch.tensor([1.0, 0.0])),
            lambda: torch.histc(x.long(), bins=3),
            lambda: torch.searchsorted(torch.tensor([[1.0, 2.0]]), torch.tensor([1.0, 2.0, 3.0])),
            lambda: torch.searchsorted(edges, vals, side="left", right=True),
            lambda: torch.bucketize(vals, edges.view(1, -1)),
            lambda: torch.mode(torch.tensor([])),
            lambda: torch.kthvalue(ties, 9, dim=1),
            lambda: torch.cov(clean.T, fweights=torch.tensor([1.0] * 6))):
    try:
        bad()
        print("no error")
    except Exception as e:  # noqa: BLE001
        print(type(e).__name__, (str(e).splitlines() or [""])[0][:200])
