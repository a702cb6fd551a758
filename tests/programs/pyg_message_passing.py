"""PyTorch Geometric's message passing written out with plain torch, as torch_scatter / PyG's utils do it:
scatter(sum/mean/max/min) through scatter_reduce(include_self=False) and index_add_, softmax over edge
segments (utils.softmax: scatter max, exp, scatter sum, gather), add_self_loops, degree, GCNConv's symmetric
normalisation, GINConv's MLP((1 + eps) x + sum), SAGEConv's mean aggregation, GATConv's attention,
global_mean_pool / global_max_pool, to_dense_batch, index_reduce and a graph-classification training loop
over a batch of small graphs."""
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)


def scatter(src, index, dim=0, dim_size=None, reduce="sum"):
    if dim_size is None:
        dim_size = int(index.max()) + 1 if index.numel() > 0 else 0
    size = list(src.size())
    size[dim] = dim_size
    index = index.view(-1, *([1] * (src.dim() - 1))).expand_as(src) if src.dim() > 1 else index
    if reduce == "sum":
        return src.new_zeros(size).scatter_add_(dim, index, src)
    if reduce == "mean":
        count = src.new_zeros(size).scatter_add_(dim, index, torch.ones_like(src))
        out = src.new_zeros(size).scatter_add_(dim, index, src)
        return out / count.clamp(min=1)
    return src.new_zeros(size).scatter_reduce_(dim, index, src, reduce="a" + reduce if reduce in ("max", "min") else reduce, include_self=False)


def degree(index, num_nodes=None, dtype=None):
    N = int(index.max()) + 1 if num_nodes is None else num_nodes
    out = torch.zeros((N,), dtype=dtype, device=index.device)
    one = torch.ones((index.size(0),), dtype=out.dtype, device=out.device)
    return out.scatter_add_(0, index, one)


def add_self_loops(edge_index, num_nodes):
    loop_index = torch.arange(0, num_nodes, dtype=torch.long).unsqueeze(0).repeat(2, 1)
    return torch.cat([edge_index, loop_index], dim=1)


def softmax(src, index, num_nodes):
    src_max = scatter(src.detach(), index, 0, num_nodes, reduce="max")
    out = (src - src_max.index_select(0, index)).exp()
    out_sum = scatter(out, index, 0, num_nodes, reduce="sum") + 1e-16
    return out / out_sum.index_select(0, index)


class GCNConv(nn.Module):
    def __init__(self, i, o):
        super().__init__()
        self.lin = nn.Linear(i, o, bias=False)
        self.bias = nn.Parameter(torch.zeros(o))

    def forward(self, x, edge_index):
        edge_index = add_self_loops(edge_index, x.size(0))
        row, col = edge_index
        deg = degree(col, x.size(0), dtype=x.dtype)
        deg_inv_sqrt = deg.pow(-0.5)
        deg_inv_sqrt[deg_inv_sqrt == float("inf")] = 0
        norm = deg_inv_sqrt[row] * deg_inv_sqrt[col]
        x = self.lin(x)
        msg = norm.view(-1, 1) * x[row]
        return scatter(msg, col, 0, x.size(0)) + self.bias


class GINConv(nn.Module):
    def __init__(self, i, o):
        super().__init__()
        self.mlp = nn.Sequential(nn.Linear(i, o), nn.BatchNorm1d(o), nn.ReLU(), nn.Linear(o, o))
        self.eps = nn.Parameter(torch.zeros(1))

    def forward(self, x, edge_index):
        row, col = edge_index
        agg = torch.zeros_like(x).index_add_(0, col, x[row])
        return self.mlp((1 + self.eps) * x + agg)


class SAGEConv(nn.Module):
    def __init__(self, i, o, aggr="mean"):
        super().__init__()
        self.lin_l, self.lin_r, self.aggr = nn.Linear(i, o), nn.Linear(i, o, bias=False), aggr

    def forward(self, x, edge_index):
        row, col = edge_index
        agg = scatter(x[row], col, 0, x.size(0), reduce=self.aggr)
        return F.normalize(self.lin_l(agg) + self.lin_r(x), p=2.0, dim=-1)


class GATConv(nn.Module):
    def __init__(self, i, o, heads=2):
        super().__init__()
        self.h, self.o = heads, o
        self.lin = nn.Linear(i, heads * o, bias=False)
        self.att_src = nn.Parameter(torch.empty(1, heads, o))
        self.att_dst = nn.Parameter(torch.empty(1, heads, o))
        nn.init.xavier_uniform_(self.att_src)
        nn.init.xavier_uniform_(self.att_dst)

    def forward(self, x, edge_index):
        edge_index = add_self_loops(edge_index, x.size(0))
        src, dst = edge_index
        h = self.lin(x).view(-1, self.h, self.o)
        a_src = (h * self.att_src).sum(-1)
        a_dst = (h * self.att_dst).sum(-1)
        alpha = F.leaky_relu(a_src[src] + a_dst[dst], 0.2)
        alpha = softmax(alpha, dst, x.size(0))
        out = scatter(h[src] * alpha.unsqueeze(-1), dst, 0, x.size(0))
        return out.mean(dim=1), alpha


def global_mean_pool(x, batch, size):
    return scatter(x, batch, 0, size, reduce="mean")


def global_max_pool(x, batch, size):
    return scatter(x, batch, 0, size, reduce="max")


def to_dense_batch(x, batch, fill_value=0.0):
    batch_size = int(batch.max()) + 1
    num_nodes = degree(batch, batch_size, dtype=torch.long)
    cum_nodes = torch.cat([batch.new_zeros(1), num_nodes.cumsum(dim=0)])
    max_num_nodes = int(num_nodes.max())
    idx = torch.arange(batch.size(0), dtype=torch.long) - cum_nodes[batch] + batch * max_num_nodes
    out = x.new_full([batch_size * max_num_nodes] + list(x.size())[1:], fill_value)
    out[idx] = x
    out = out.view([batch_size, max_num_nodes] + list(x.size())[1:])
    mask = torch.zeros(batch_size * max_num_nodes, dtype=torch.bool)
    mask[idx] = 1
    return out, mask.view(batch_size, max_num_nodes)


# a batch of ring and star graphs: the label says which
def ring(n):
    s = torch.arange(n)
    return torch.stack([torch.cat([s, (s + 1) % n]), torch.cat([(s + 1) % n, s])])


def star(n):
    s = torch.arange(1, n)
    return torch.stack([torch.cat([s, torch.zeros_like(s)]), torch.cat([torch.zeros_like(s), s])])


graphs = [(ring(n), 0) if k % 2 == 0 else (star(n), 1) for k, n in enumerate([5, 6, 4, 7, 6, 5, 8, 4])]
xs, eis, batch, ys, offset = [], [], [], [], 0
for gi, (ei, y) in enumerate(graphs):
    n = int(ei.max()) + 1
    xs.append(torch.randn(n, 4))
    eis.append(ei + offset)
    batch.append(torch.full((n,), gi, dtype=torch.long))
    ys.append(y)
    offset += n
x, edge_index, batch, y = torch.cat(xs), torch.cat(eis, 1), torch.cat(batch), torch.tensor(ys)
print("nodes", x.shape[0], "edges", edge_index.shape[1], "deg", degree(edge_index[1], x.size(0)).tolist()[:10])

dense, mask = to_dense_batch(x, batch)
print("dense", dense.shape, mask.sum(1).tolist(), f"{dense.sum().item():.5f}")
print("scatter min", [round(v, 4) for v in scatter(x[:, 0], batch, reduce="min").tolist()])
print("index_reduce", torch.zeros(8).index_reduce_(0, batch, x[:, 1], "amax", include_self=False)[:4].tolist(),
      torch.ones(8).index_reduce(0, batch, x[:, 1].abs(), "prod")[:3].tolist())
print("scatter_reduce mean", torch.zeros(8).scatter_reduce(0, batch, x[:, 2], "mean")[:3].tolist())


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.gcn, self.gin, self.sage, self.gat = GCNConv(4, 16), GINConv(16, 16), SAGEConv(16, 16), GATConv(16, 8)
        self.head = nn.Linear(16, 2)

    def forward(self, x, edge_index, batch):
        h = F.relu(self.gcn(x, edge_index))
        h = F.relu(self.gin(h, edge_index))
        h = self.sage(h, edge_index)
        h, alpha = self.gat(h, edge_index)
        g = torch.cat([global_mean_pool(h, batch, 8), global_max_pool(h, batch, 8)], dim=1)
        return self.head(g), alpha


model = Net()
opt = torch.optim.Adam(model.parameters(), lr=0.01)
for epoch in range(12):
    model.train()
    opt.zero_grad()
    out, alpha = model(x, edge_index, batch)
    loss = F.cross_entropy(out, y)
    loss.backward()
    opt.step()
    if epoch % 3 == 0:
        print(f"epoch {epoch} loss {loss.item():.6f} acc {(out.argmax(1) == y).float().mean().item():.3f} "
              f"eps {model.gin.eps.item():.6f}")
a_sum = scatter(alpha, add_self_loops(edge_index, x.size(0))[1], 0, x.size(0))
print("attention sums to 1:", torch.allclose(a_sum, torch.ones_like(a_sum)), alpha.shape)
