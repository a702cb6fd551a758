"""Imitates a user's seq2seq translation script in the style of the "NLP From Scratch: Translation with
a Sequence to Sequence Network and Attention" tutorial: a GRU encoder, a GRU decoder with additive
(Bahdanau) attention, teacher forcing chosen per batch by a seeded coin, greedy decoding at eval.
Written for pyfront's tests; a synthetic "reverse the sequence" task, tiny sizes.
"""
import argparse
import random

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import optim

SOS, EOS = 0, 1

parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=6)
parser.add_argument("--hidden", type=int, default=16)
parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
args = parser.parse_args()
device = torch.device(args.device)
torch.manual_seed(0)
random.seed(0)

VOCAB, MAXLEN = 8, 5


def make_pairs(n):
    data = torch.randint(2, VOCAB, (n, MAXLEN - 1))
    src = torch.cat([data, torch.full((n, 1), EOS)], 1)
    tgt = torch.cat([data.flip(1), torch.full((n, 1), EOS)], 1)
    return src, tgt


class EncoderRNN(nn.Module):
    def __init__(self, input_size, hidden_size, dropout_p=0.1):
        super().__init__()
        self.embedding = nn.Embedding(input_size, hidden_size)
        self.gru = nn.GRU(hidden_size, hidden_size, batch_first=True)
        self.dropout = nn.Dropout(dropout_p)

    def forward(self, x):
        embedded = self.dropout(self.embedding(x))
        output, hidden = self.gru(embedded)
        return output, hidden


class BahdanauAttention(nn.Module):
    def __init__(self, hidden_size):
        super().__init__()
        self.Wa = nn.Linear(hidden_size, hidden_size)
        self.Ua = nn.Linear(hidden_size, hidden_size)
        self.Va = nn.Linear(hidden_size, 1)

    def forward(self, query, keys):
        scores = self.Va(torch.tanh(self.Wa(query) + self.Ua(keys)))
        scores = scores.squeeze(2).unsqueeze(1)
        weights = F.softmax(scores, dim=-1)
        context = torch.bmm(weights, keys)
        return context, weights


class AttnDecoderRNN(nn.Module):
    def __init__(self, hidden_size, output_size, dropout_p=0.1):
        super().__init__()
        self.embedding = nn.Embedding(output_size, hidden_size)
        self.attention = BahdanauAttention(hidden_size)
        self.gru = nn.GRU(2 * hidden_size, hidden_size, batch_first=True)
        self.out = nn.Linear(hidden_size, output_size)
        self.dropout = nn.Dropout(dropout_p)

    def forward(self, encoder_outputs, encoder_hidden, target_tensor=None):
        batch_size = encoder_outputs.size(0)
        decoder_input = torch.empty(batch_size, 1, dtype=torch.long, device=device).fill_(SOS)
        decoder_hidden = encoder_hidden
        decoder_outputs, attentions = [], []
        for i in range(MAXLEN):
            decoder_output, decoder_hidden, attn_weights = self.forward_step(
                decoder_input, decoder_hidden, encoder_outputs)
            decoder_outputs.append(decoder_output)
            attentions.append(attn_weights)
            if target_tensor is not None:
                decoder_input = target_tensor[:, i].unsqueeze(1)  # teacher forcing
            else:
                _, topi = decoder_output.topk(1)
                decoder_input = topi.squeeze(-1).detach()
        decoder_outputs = torch.cat(decoder_outputs, dim=1)
        decoder_outputs = F.log_softmax(decoder_outputs, dim=-1)
        return decoder_outputs, decoder_hidden, torch.cat(attentions, dim=1)

    def forward_step(self, input, hidden, encoder_outputs):
        embedded = self.dropout(self.embedding(input))
        query = hidden.permute(1, 0, 2)
        context, attn_weights = self.attention(query, encoder_outputs)
        input_gru = torch.cat((embedded, context), dim=2)
        output, hidden = self.gru(input_gru, hidden)
        return self.out(output), hidden, attn_weights


encoder = EncoderRNN(VOCAB, args.hidden).to(device)
decoder = AttnDecoderRNN(args.hidden, VOCAB).to(device)
print(decoder)
enc_opt = optim.Adam(encoder.parameters(), lr=0.01)
dec_opt = optim.Adam(decoder.parameters(), lr=0.01)
criterion = nn.NLLLoss()
src, tgt = make_pairs(64)
src, tgt = src.to(device), tgt.to(device)

for epoch in range(1, args.epochs + 1):
    total = 0.0
    perm = torch.randperm(src.size(0))
    for b in range(0, src.size(0), 16):
        idx = perm[b:b + 16].to(device)
        x, y = src[idx], tgt[idx]
        enc_opt.zero_grad()
        dec_opt.zero_grad()
        enc_out, enc_hidden = encoder(x)
        teacher = random.random() < 0.5
        dec_out, _, _ = decoder(enc_out, enc_hidden, y if teacher else None)
        loss = criterion(dec_out.view(-1, dec_out.size(-1)), y.view(-1))
        loss.backward()
        enc_opt.step()
        dec_opt.step()
        total += loss.item()
    print(f"epoch {epoch} teacher-forced-last {teacher} loss {total / 4:.4f}")

encoder.eval()
decoder.eval()
with torch.no_grad():
    test_src, test_tgt = make_pairs(4)
    enc_out, enc_hidden = encoder(test_src.to(device))
    dec_out, _, attn = decoder(enc_out, enc_hidden)
    pred = dec_out.argmax(-1).cpu()
    print("src ", test_src.tolist())
    print("pred", pred.tolist())
    print("token accuracy", (pred == test_tgt).float().mean().item())
    print("attention shape", tuple(attn.shape), "row sums", attn.sum(-1)[0].tolist())
