"""Beam search decoding for a GRU encoder-decoder with Bahdanau attention, as in the pytorch/tutorials
seq2seq translation tutorial's model (EncoderRNN, BahdanauAttention, AttnDecoderRNN) trained on a toy
reverse-the-sequence task, decoded greedily and with the batched beam search the popular
"beam search in PyTorch" write-ups use (topk over beam*vocab, floor division for the parent beam,
index_select of hidden states, length normalisation, finished hypotheses masked with EOS)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
SOS, EOS, PAD = 0, 1, 2
VOCAB = 10
MAX_LENGTH = 8


class EncoderRNN(nn.Module):
    def __init__(self, input_size, hidden_size, dropout_p=0.0):
        super(EncoderRNN, self).__init__()
        self.hidden_size = hidden_size
        self.embedding = nn.Embedding(input_size, hidden_size)
        self.gru = nn.GRU(hidden_size, hidden_size, batch_first=True)
        self.dropout = nn.Dropout(dropout_p)

    def forward(self, input):
        embedded = self.dropout(self.embedding(input))
        output, hidden = self.gru(embedded)
        return output, hidden


class BahdanauAttention(nn.Module):
    def __init__(self, hidden_size):
        super(BahdanauAttention, self).__init__()
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
    def __init__(self, hidden_size, output_size, dropout_p=0.0):
        super(AttnDecoderRNN, self).__init__()
        self.embedding = nn.Embedding(output_size, hidden_size)
        self.attention = BahdanauAttention(hidden_size)
        self.gru = nn.GRU(2 * hidden_size, hidden_size, batch_first=True)
        self.out = nn.Linear(hidden_size, output_size)
        self.dropout = nn.Dropout(dropout_p)

    def forward(self, encoder_outputs, encoder_hidden, target_tensor=None):
        batch_size = encoder_outputs.size(0)
        decoder_input = torch.empty(batch_size, 1, dtype=torch.long).fill_(SOS)
        decoder_hidden = encoder_hidden
        decoder_outputs = []
        attentions = []
        for i in range(MAX_LENGTH):
            decoder_output, decoder_hidden, attn_weights = self.forward_step(
                decoder_input, decoder_hidden, encoder_outputs
            )
            decoder_outputs.append(decoder_output)
            attentions.append(attn_weights)
            if target_tensor is not None:
                # Teacher forcing: Feed the target as the next input
                decoder_input = target_tensor[:, i].unsqueeze(1)  # Teacher forcing
            else:
                # Without teacher forcing: use its own predictions as the next input
                _, topi = decoder_output.topk(1)
                decoder_input = topi.squeeze(-1).detach()  # detach from history as input
        decoder_outputs = torch.cat(decoder_outputs, dim=1)
        decoder_outputs = F.log_softmax(decoder_outputs, dim=-1)
        attentions = torch.cat(attentions, dim=1)
        return decoder_outputs, decoder_hidden, attentions

    def forward_step(self, input, hidden, encoder_outputs):
        embedded = self.dropout(self.embedding(input))
        query = hidden.permute(1, 0, 2)
        context, attn_weights = self.attention(query, encoder_outputs)
        input_gru = torch.cat((embedded, context), dim=2)
        output, hidden = self.gru(input_gru, hidden)
        output = self.out(output)
        return output, hidden, attn_weights


def make_batch(n, gen):
    lengths = torch.randint(2, MAX_LENGTH - 1, (n,), generator=gen)
    src = torch.full((n, MAX_LENGTH), PAD, dtype=torch.long)
    tgt = torch.full((n, MAX_LENGTH), PAD, dtype=torch.long)
    for i, length in enumerate(lengths.tolist()):
        seq = torch.randint(3, VOCAB, (length,), generator=gen)
        src[i, :length] = seq
        src[i, length] = EOS
        tgt[i, :length] = seq.flip(0)
        tgt[i, length] = EOS
    return src, tgt


hidden = 32
encoder = EncoderRNN(VOCAB, hidden)
decoder = AttnDecoderRNN(hidden, VOCAB)
params = list(encoder.parameters()) + list(decoder.parameters())
optimizer = torch.optim.Adam(params, lr=0.01)
criterion = nn.NLLLoss(ignore_index=PAD)
gen = torch.Generator().manual_seed(5)
for it in range(40):
    src, tgt = make_batch(32, gen)
    encoder_outputs, encoder_hidden = encoder(src)
    decoder_outputs, _, _ = decoder(encoder_outputs, encoder_hidden, tgt)
    loss = criterion(decoder_outputs.view(-1, decoder_outputs.size(-1)), tgt.view(-1))
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if it % 10 == 9:
        print(f"iter {it + 1} loss {loss.item():.4f}")


@torch.no_grad()
def beam_search(src, beam_width=3, max_len=MAX_LENGTH, alpha=0.7):
    """Batched beam search: returns the best sequence per example and its normalised score."""
    batch = src.size(0)
    enc_out, enc_hidden = encoder(src)
    enc_out = enc_out.repeat_interleave(beam_width, dim=0)  # (B*K, S, H)
    hidden_state = enc_hidden.repeat_interleave(beam_width, dim=1)  # (1, B*K, H)
    scores = torch.full((batch, beam_width), float("-inf"))
    scores[:, 0] = 0.0
    scores = scores.view(-1)
    tokens = torch.full((batch * beam_width, 1), SOS, dtype=torch.long)
    finished = torch.zeros(batch * beam_width, dtype=torch.bool)
    lengths = torch.zeros(batch * beam_width)
    for step in range(max_len):
        out, hidden_state, _ = decoder.forward_step(tokens[:, -1:], hidden_state, enc_out)
        logp = F.log_softmax(out.squeeze(1), dim=-1)  # (B*K, V)
        # a finished beam only extends with EOS at no cost
        eos_only = torch.full_like(logp, float("-inf"))
        eos_only[:, EOS] = 0.0
        logp = torch.where(finished.unsqueeze(1), eos_only, logp)
        cand = (scores.unsqueeze(1) + logp).view(batch, -1)  # (B, K*V)
        top_scores, top_idx = cand.topk(beam_width, dim=1)
        parent = torch.div(top_idx, VOCAB, rounding_mode="floor")
        next_tok = top_idx % VOCAB
        base = (torch.arange(batch) * beam_width).unsqueeze(1)
        flat_parent = (base + parent).view(-1)
        tokens = torch.cat([tokens.index_select(0, flat_parent), next_tok.view(-1, 1)], dim=1)
        hidden_state = hidden_state.index_select(1, flat_parent)
        was_finished = finished.index_select(0, flat_parent)
        lengths = lengths.index_select(0, flat_parent) + (~was_finished).float()
        finished = was_finished | (next_tok.view(-1) == EOS)
        scores = top_scores.view(-1)
        if finished.all():
            break
    normed = (scores / lengths.clamp(min=1) ** alpha).view(batch, beam_width)
    best = normed.argmax(dim=1)
    best_tokens = tokens.view(batch, beam_width, -1)[torch.arange(batch), best, 1:]
    return best_tokens, normed.gather(1, best.unsqueeze(1)).squeeze(1)


def strip(seq):
    out = []
    for t in seq.tolist():
        if t == EOS:
            break
        out.append(t)
    return out


encoder.eval()
decoder.eval()
src, tgt = make_batch(6, torch.Generator().manual_seed(99))
with torch.no_grad():
    enc_out, enc_hidden = encoder(src)
    greedy, _, attn = decoder(enc_out, enc_hidden)
print("attention", attn.shape, attn.sum(-1).allclose(torch.ones(6, MAX_LENGTH)))
best, score = beam_search(src, beam_width=4)
ok_greedy = ok_beam = 0
for i in range(6):
    want = strip(tgt[i])
    g = strip(greedy[i].argmax(-1))
    b = strip(best[i])
    ok_greedy += g == want
    ok_beam += b == want
    print(strip(src[i]), "->", b, round(score[i].item(), 3))
print("greedy exact", ok_greedy, "beam exact", ok_beam)
b1, _ = beam_search(src, beam_width=1)
print("beam 1 == greedy:", all(strip(b1[i]) == strip(greedy[i].argmax(-1)) for i in range(6)))
