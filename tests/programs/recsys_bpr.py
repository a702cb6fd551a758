"""A recommender as the PyTorch tutorials and the NCF/BPR reimplementations write it (guoyang9/NCF,
the DLRM-style sparse features): matrix factorisation trained with the BPR loss on sampled negatives
(logsigmoid), a GMF+MLP NeuMF model on BCEWithLogitsLoss, bag-of-features users through nn.EmbeddingBag
(offsets, mode='sum'/'mean'/'max', per_sample_weights, padding_idx), hit rate and NDCG at k by topk, a
Dataset of (user, positive, negative) triples with a seeded DataLoader, and the errors EmbeddingBag raises
on bad offsets and weights."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset

torch.manual_seed(0)
n_users, n_items = 30, 50
# each user likes the items of one of five genres
genre = torch.arange(n_items) % 5
user_genre = torch.randint(0, 5, (n_users,))
likes = [torch.nonzero(genre == g).flatten() for g in user_genre.tolist()]
held_out = torch.stack([l[-1] for l in likes])
train_pos = [l[:-1] for l in likes]


class Triples(Dataset):
    def __init__(self, n_neg=2):
        self.rows = [(u, int(i)) for u in range(n_users) for i in train_pos[u]]
        self.n_neg = n_neg

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, k):
        u, i = self.rows[k]
        j = torch.randint(0, n_items, (1,)).item()
        while genre[j] == user_genre[u]:
            j = torch.randint(0, n_items, (1,)).item()
        return u, i, j


class MF(nn.Module):
    def __init__(self, dim=8):
        super().__init__()
        self.user = nn.Embedding(n_users, dim)
        self.item = nn.Embedding(n_items, dim)
        nn.init.normal_(self.user.weight, std=0.1)
        nn.init.normal_(self.item.weight, std=0.1)

    def forward(self, u, i, j):
        pu = self.user(u)
        return (pu * self.item(i)).sum(-1), (pu * self.item(j)).sum(-1)

    def scores(self):
        return self.user.weight @ self.item.weight.t()


def evaluate(scores, k=5):
    scores = scores.clone()
    for u in range(n_users):  # the items seen in training are not recommended again
        scores[u, train_pos[u]] = -float("inf")
    _, top = torch.topk(scores, k, dim=1)
    hits = (top == held_out[:, None])
    hr = hits.any(dim=1).float().mean().item()
    ranks = hits.float().argmax(dim=1)
    ndcg = (hits.any(dim=1).float() / torch.log2(ranks.float() + 2)).mean().item()
    return round(hr, 4), round(ndcg, 4)


g = torch.Generator().manual_seed(1)
loader = DataLoader(Triples(), batch_size=64, shuffle=True, generator=g)
mf = MF()
opt = torch.optim.Adam(mf.parameters(), lr=0.05, weight_decay=1e-4)
for epoch in range(6):
    total = 0.0
    for u, i, j in loader:
        pos, neg = mf(u, i, j)
        loss = -F.logsigmoid(pos - neg).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        total += loss.item() * len(u)
    with torch.no_grad():
        print(f"BPR epoch {epoch}: loss {total / len(loader.dataset):.4f}, HR/NDCG@5 {evaluate(mf.scores())}")


class NeuMF(nn.Module):
    def __init__(self, dim=8, layers=(16, 8)):
        super().__init__()
        self.u_gmf, self.i_gmf = nn.Embedding(n_users, dim), nn.Embedding(n_items, dim)
        self.u_mlp, self.i_mlp = nn.Embedding(n_users, layers[0] // 2), nn.Embedding(n_items, layers[0] // 2)
        self.mlp = nn.Sequential(nn.Linear(layers[0], layers[1]), nn.ReLU(), nn.Dropout(0.1))
        self.predict = nn.Linear(dim + layers[1], 1)
        nn.init.kaiming_uniform_(self.predict.weight, a=1, nonlinearity="sigmoid")

    def forward(self, u, i):
        gmf = self.u_gmf(u) * self.i_gmf(i)
        mlp = self.mlp(torch.cat([self.u_mlp(u), self.i_mlp(i)], dim=-1))
        return self.predict(torch.cat([gmf, mlp], dim=-1)).view(-1)


neumf = NeuMF()
opt = torch.optim.Adam(neumf.parameters(), lr=0.01)
bce = nn.BCEWithLogitsLoss()
for epoch in range(4):
    neumf.train()
    for u, i, j in loader:
        users = torch.cat([u, u])
        items = torch.cat([i, j])
        labels = torch.cat([torch.ones(len(u)), torch.zeros(len(u))])
        loss = bce(neumf(users, items), labels)
        opt.zero_grad()
        loss.backward()
        opt.step()
    neumf.eval()
    with torch.no_grad():
        all_scores = neumf(torch.arange(n_users).repeat_interleave(n_items),
                           torch.arange(n_items).repeat(n_users)).view(n_users, n_items)
    print(f"NeuMF epoch {epoch}: loss {loss.item():.4f}, HR/NDCG@5 {evaluate(all_scores)}")

# users as bags of the items they liked: EmbeddingBag's modes, offsets and weights
bag = nn.EmbeddingBag(n_items + 1, 4, mode="sum", padding_idx=n_items)
flat = torch.cat([train_pos[u][:3] for u in range(4)] + [torch.tensor([n_items, n_items])])
offsets = torch.tensor([0, 3, 6, 9, 12])
weights = torch.rand(flat.shape)
print(bag(flat, offsets).shape, bag(flat, offsets, per_sample_weights=weights)[-1])
for mode in ("mean", "max"):
    b = nn.EmbeddingBag.from_pretrained(bag.weight.detach(), mode=mode, padding_idx=n_items)
    print(mode, b(flat, offsets).sum(dim=1))
print(F.embedding_bag(flat.view(-1, 2)[:6], bag.weight, mode="mean").shape)
b2 = nn.EmbeddingBag(n_items + 1, 4, mode="sum", include_last_offset=True)
print(b2(flat, offsets).shape)
for bad in [lambda: bag(flat, torch.tensor([1, 3])),
            lambda: nn.EmbeddingBag(10, 2, mode="max")(torch.tensor([1, 2]), torch.tensor([0]),
                                                       per_sample_weights=torch.ones(2)),
            lambda: bag(flat.view(-1, 2), offsets),
            lambda: bag(flat, offsets, per_sample_weights=torch.ones(3))]:
    try:
        bad()
    except (ValueError, RuntimeError, NotImplementedError) as e:
        print(type(e).__name__, str(e).splitlines()[0])
