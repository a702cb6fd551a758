# adapted from Adoni/word2vec_pytorch (as reworked in Andras7/word2vec-pytorch): the SkipGramModel (two
# sparse nn.Embeddings, negative sampling with logsigmoid over a clamped bmm score) and its trainer loop
# (optim.SparseAdam + CosineAnnealingLR stepped per batch, the running loss printed); the corpus reader
# and its unigram^0.75 negative table replaced by a made-up token stream, its pairs and a torch.multinomial
# draw from the same table; sizes shrunk; the embeddings' nearest neighbours printed at the end
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
from torch.nn import init
from torch.utils.data import DataLoader, Dataset


class SkipGramModel(nn.Module):

    def __init__(self, emb_size, emb_dimension):
        super(SkipGramModel, self).__init__()
        self.emb_size = emb_size
        self.emb_dimension = emb_dimension
        self.u_embeddings = nn.Embedding(emb_size, emb_dimension, sparse=True)
        self.v_embeddings = nn.Embedding(emb_size, emb_dimension, sparse=True)

        initrange = 1.0 / self.emb_dimension
        init.uniform_(self.u_embeddings.weight.data, -initrange, initrange)
        init.constant_(self.v_embeddings.weight.data, 0)

    def forward(self, pos_u, pos_v, neg_v):
        emb_u = self.u_embeddings(pos_u)
        emb_v = self.v_embeddings(pos_v)
        emb_neg_v = self.v_embeddings(neg_v)

        score = torch.sum(torch.mul(emb_u, emb_v), dim=1)
        score = torch.clamp(score, max=10, min=-10)
        score = -F.logsigmoid(score)

        neg_score = torch.bmm(emb_neg_v, emb_u.unsqueeze(2)).squeeze()
        neg_score = torch.clamp(neg_score, max=10, min=-10)
        neg_score = -torch.sum(F.logsigmoid(-neg_score), dim=1)

        return torch.mean(score + neg_score)


class Word2vecDataset(Dataset):
    def __init__(self, tokens, window_size, neg_table, n_neg):
        self.pairs = [(tokens[i], tokens[j]) for i in range(len(tokens))
                      for j in range(max(0, i - window_size), min(len(tokens), i + window_size + 1)) if j != i]
        self.neg_table, self.n_neg = neg_table, n_neg

    def __len__(self):
        return len(self.pairs)

    def __getitem__(self, idx):
        return self.pairs[idx]

    def collate(self, batches):
        all_u = [u for u, _ in batches]
        all_v = [v for _, v in batches]
        neg = torch.multinomial(self.neg_table, len(batches) * self.n_neg, replacement=True)
        return torch.LongTensor(all_u), torch.LongTensor(all_v), neg.view(len(batches), self.n_neg)


torch.manual_seed(0)
vocab = 30
tokens = (torch.arange(200) * 7 % vocab).tolist()
counts = torch.bincount(torch.tensor(tokens), minlength=vocab).float()
neg_table = counts ** 0.75
dataset = Word2vecDataset(tokens, 2, neg_table / neg_table.sum(), 5)
dataloader = DataLoader(dataset, batch_size=32, shuffle=True, num_workers=0, collate_fn=dataset.collate)
skip_gram_model = SkipGramModel(vocab, 8)

for iteration in range(2):
    optimizer = optim.SparseAdam(list(skip_gram_model.parameters()), lr=0.01)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, len(dataloader))
    running_loss = 0.0
    for i, sample_batched in enumerate(dataloader):
        if len(sample_batched[0]) > 1:
            pos_u, pos_v, neg_v = sample_batched
            optimizer.zero_grad()
            loss = skip_gram_model.forward(pos_u, pos_v, neg_v)
            loss.backward()
            optimizer.step()
            scheduler.step()

            running_loss = running_loss * 0.9 + loss.item() * 0.1
            if i > 0 and i % 5 == 0:
                print(" Loss: %.6f" % running_loss, "lr %.6f" % scheduler.get_last_lr()[0])
    g = skip_gram_model.u_embeddings.weight.grad
    print(iteration, g.is_sparse, g.layout, g.coalesce().indices().shape, optimizer.state_dict()['state'][0]['step'])

emb = F.normalize(skip_gram_model.u_embeddings.weight.detach(), dim=1)
sims = emb @ emb.T
print(sims.topk(3, dim=1).indices[:5])
print(skip_gram_model.u_embeddings.weight[:2])
