"""Imitates a user's graph convolutional network script in the style of Kipf & Welling's pygcn
(train.py/layers.py): a symmetric-normalized sparse adjacency built as a torch.sparse_coo_tensor,
GraphConvolution layers doing torch.sparse.mm(adj, x @ W), dropout, log_softmax + nll_loss on a masked
train split, Adam with weight decay, accuracy on val/test masks. Written for pyfront's tests; a
synthetic two-community graph, tiny sizes.
"""
import argparse
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim

parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=30)
parser.add_argument("--hidden", type=int, default=8)
parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
args = parser.parse_args()
device = torch.device(args.device)
torch.manual_seed(7)

N, FEATURES, CLASSES = 40, 12, 3
labels = torch.arange(N) % CLASSES
# edges: mostly within a class, a few across
src = torch.randint(0, N, (160,))
dst = torch.where(torch.rand(160) < 0.8, (src + CLASSES * torch.randint(1, 5, (160,))) % N,
                  torch.randint(0, N, (160,)))
edges = torch.cat([torch.stack([src, dst]), torch.stack([dst, src]), torch.arange(N).repeat(2, 1)], 1)
adj = torch.sparse_coo_tensor(edges, torch.ones(edges.size(1)), (N, N)).coalesce()
adj = torch.sparse_coo_tensor(adj.indices(), torch.ones_like(adj.values()), (N, N)).coalesce()  # dups -> 1
deg = torch.sparse.sum(adj, dim=1).to_dense()
d_inv_sqrt = deg.pow(-0.5)
i, j = adj.indices()
norm_adj = torch.sparse_coo_tensor(adj.indices(), d_inv_sqrt[i] * adj.values() * d_inv_sqrt[j],
                                   (N, N)).coalesce().to(device)
print("nnz", norm_adj._nnz(), "is_sparse", norm_adj.is_sparse, "layout", norm_adj.layout)

features = F.one_hot(labels, CLASSES).float() @ torch.randn(CLASSES, FEATURES)
features = features + 0.8 * torch.randn(N, FEATURES)
features = features / features.sum(1, keepdim=True).abs().clamp(min=1e-3)
features, labels = features.to(device), labels.to(device)
idx_train, idx_val, idx_test = torch.arange(0, 15), torch.arange(15, 25), torch.arange(25, N)


class GraphConvolution(nn.Module):
    def __init__(self, in_features, out_features, bias=True):
        super().__init__()
        self.weight = nn.Parameter(torch.FloatTensor(in_features, out_features))
        self.bias = nn.Parameter(torch.FloatTensor(out_features)) if bias else None
        if not bias:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self):
        stdv = 1.0 / math.sqrt(self.weight.size(1))
        self.weight.data.uniform_(-stdv, stdv)
        if self.bias is not None:
            self.bias.data.uniform_(-stdv, stdv)

    def forward(self, input, adj):
        support = torch.mm(input, self.weight)
        output = torch.sparse.mm(adj, support)
        return output + self.bias if self.bias is not None else output

    def __repr__(self):
        return f"{self.__class__.__name__} ({self.weight.size(0)} -> {self.weight.size(1)})"


class GCN(nn.Module):
    def __init__(self, nfeat, nhid, nclass, dropout):
        super().__init__()
        self.gc1 = GraphConvolution(nfeat, nhid)
        self.gc2 = GraphConvolution(nhid, nclass)
        self.dropout = dropout

    def forward(self, x, adj):
        x = F.relu(self.gc1(x, adj))
        x = F.dropout(x, self.dropout, training=self.training)
        x = self.gc2(x, adj)
        return F.log_softmax(x, dim=1)


def accuracy(output, labels):
    preds = output.max(1)[1].type_as(labels)
    return preds.eq(labels).double().sum() / len(labels)


model = GCN(FEATURES, args.hidden, CLASSES, 0.5).to(device)
print(model)
optimizer = optim.Adam(model.parameters(), lr=0.05, weight_decay=5e-4)
for epoch in range(args.epochs):
    model.train()
    optimizer.zero_grad()
    output = model(features, norm_adj)
    loss_train = F.nll_loss(output[idx_train], labels[idx_train])
    acc_train = accuracy(output[idx_train], labels[idx_train])
    loss_train.backward()
    optimizer.step()
    model.eval()
    output = model(features, norm_adj)
    loss_val = F.nll_loss(output[idx_val], labels[idx_val])
    acc_val = accuracy(output[idx_val], labels[idx_val])
    if epoch % 5 == 0:
        print(f"Epoch: {epoch + 1:04d} loss_train: {loss_train.item():.4f} acc_train: {acc_train.item():.4f}"
              f" loss_val: {loss_val.item():.4f} acc_val: {acc_val.item():.4f}")

model.eval()
output = model(features, norm_adj)
print(f"Test set results: loss= {F.nll_loss(output[idx_test], labels[idx_test]).item():.4f}"
      f" accuracy= {accuracy(output[idx_test], labels[idx_test]).item():.4f}")
# the gradient reaches a sparse matrix's values when they require grad
vals = norm_adj.coalesce().values().clone().requires_grad_()
a = torch.sparse_coo_tensor(norm_adj.indices(), vals, (N, N))
torch.sparse.mm(a, features).sum().backward()
print("grad of adjacency values", vals.grad.shape, round(vals.grad.sum().item(), 4))
