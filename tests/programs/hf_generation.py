"""HuggingFace transformers' generation utilities written out as its logits processors are (generation/
logits_process.py): RepetitionPenaltyLogitsProcessor (gather/scatter), TemperatureLogitsWarper, TopKLogitsWarper,
TopPLogitsWarper (sort, softmax, cumsum, scatter back), MinPLogitsWarper, TypicalLogitsWarper (entropy),
NoRepeatNGramLogitsProcessor, MinLengthLogitsProcessor, EpsilonLogitsWarper; a tiny GPT with a KV cache
(past_key_values, torch.cat along time) checked against the uncached forward; greedy, sampling with
torch.multinomial and a Generator, and beam search's topk over flattened beams with length penalty."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)


class RepetitionPenaltyLogitsProcessor:
    def __init__(self, penalty):
        self.penalty = penalty

    def __call__(self, input_ids, scores):
        score = torch.gather(scores, 1, input_ids)
        score = torch.where(score < 0, score * self.penalty, score / self.penalty)
        return scores.scatter(1, input_ids, score)


class TemperatureLogitsWarper:
    def __init__(self, temperature):
        self.temperature = temperature

    def __call__(self, input_ids, scores):
        return scores / self.temperature


class TopKLogitsWarper:
    def __init__(self, top_k, filter_value=-float("Inf"), min_tokens_to_keep=1):
        self.top_k = max(top_k, min_tokens_to_keep)
        self.filter_value = filter_value

    def __call__(self, input_ids, scores):
        top_k = min(self.top_k, scores.size(-1))
        indices_to_remove = scores < torch.topk(scores, top_k)[0][..., -1, None]
        return scores.masked_fill(indices_to_remove, self.filter_value)


class TopPLogitsWarper:
    def __init__(self, top_p, filter_value=-float("Inf"), min_tokens_to_keep=1):
        self.top_p, self.filter_value, self.min_tokens_to_keep = float(top_p), filter_value, min_tokens_to_keep

    def __call__(self, input_ids, scores):
        sorted_logits, sorted_indices = torch.sort(scores, descending=False)
        cumulative_probs = sorted_logits.softmax(dim=-1).cumsum(dim=-1)
        sorted_indices_to_remove = cumulative_probs <= (1 - self.top_p)
        sorted_indices_to_remove[..., -self.min_tokens_to_keep:] = 0
        indices_to_remove = sorted_indices_to_remove.scatter(1, sorted_indices, sorted_indices_to_remove)
        return scores.masked_fill(indices_to_remove, self.filter_value)


class MinPLogitsWarper:
    def __init__(self, min_p, filter_value=-float("Inf"), min_tokens_to_keep=1):
        self.min_p, self.filter_value, self.min_tokens_to_keep = min_p, filter_value, min_tokens_to_keep

    def __call__(self, input_ids, scores):
        probs = torch.softmax(scores, dim=-1)
        top_probs, _ = probs.max(dim=-1, keepdim=True)
        scaled_min_p = self.min_p * top_probs
        tokens_to_remove = probs < scaled_min_p
        sorted_indices = torch.argsort(scores, descending=True, dim=-1)
        sorted_indices_to_remove = torch.gather(tokens_to_remove, dim=-1, index=sorted_indices)
        sorted_indices_to_remove[..., : self.min_tokens_to_keep] = False
        indices_to_remove = sorted_indices_to_remove.scatter(1, sorted_indices, sorted_indices_to_remove)
        return scores.masked_fill(indices_to_remove, self.filter_value)


class TypicalLogitsWarper:
    def __init__(self, mass=0.9, filter_value=-float("Inf"), min_tokens_to_keep=1):
        self.filter_value, self.mass, self.min_tokens_to_keep = filter_value, mass, min_tokens_to_keep

    def __call__(self, input_ids, scores):
        normalized = torch.nn.functional.log_softmax(scores, dim=-1)
        p = torch.exp(normalized)
        ent = -(normalized * p).nansum(-1, keepdim=True)
        shifted_scores = torch.abs((-normalized) - ent)
        sorted_scores, sorted_indices = torch.sort(shifted_scores, descending=False)
        sorted_logits = scores.gather(-1, sorted_indices)
        cumulative_probs = sorted_logits.softmax(dim=-1).cumsum(dim=-1)
        last_ind = (cumulative_probs < self.mass).sum(dim=1)
        last_ind.clamp_(max=sorted_scores.shape[-1] - 1)
        sorted_indices_to_remove = sorted_scores > sorted_scores.gather(1, last_ind.view(-1, 1))
        sorted_indices_to_remove[..., : self.min_tokens_to_keep] = 0
        indices_to_remove = sorted_indices_to_remove.scatter(1, sorted_indices, sorted_indices_to_remove)
        return scores.masked_fill(indices_to_remove, self.filter_value)


class EpsilonLogitsWarper:
    def __init__(self, epsilon, filter_value=-float("Inf"), min_tokens_to_keep=1):
        self.epsilon, self.filter_value, self.min_tokens_to_keep = epsilon, filter_value, min_tokens_to_keep

    def __call__(self, input_ids, scores):
        probabilities = scores.softmax(dim=-1)
        indices_to_remove = probabilities < self.epsilon
        top_k = min(self.min_tokens_to_keep, scores.size(-1))
        indices_to_remove = indices_to_remove & (scores < torch.topk(scores, top_k)[0][..., -1, None])
        return scores.masked_fill(indices_to_remove, self.filter_value)


def _get_ngrams(ngram_size, prev_input_ids, num_hypos):
    generated_ngrams = [{} for _ in range(num_hypos)]
    for idx in range(num_hypos):
        gen_tokens = prev_input_ids[idx].tolist()
        generated_ngram = generated_ngrams[idx]
        for ngram in zip(*[gen_tokens[i:] for i in range(ngram_size)]):
            prev_ngram_tuple = tuple(ngram[:-1])
            generated_ngram[prev_ngram_tuple] = generated_ngram.get(prev_ngram_tuple, []) + [ngram[-1]]
    return generated_ngrams


class NoRepeatNGramLogitsProcessor:
    def __init__(self, ngram_size):
        self.ngram_size = ngram_size

    def __call__(self, input_ids, scores):
        num_batch_hypotheses = scores.shape[0]
        cur_len = input_ids.shape[-1]
        scores_processed = scores.clone()
        ngrams = _get_ngrams(self.ngram_size, input_ids, num_batch_hypotheses)
        for i in range(num_batch_hypotheses):
            start_idx = cur_len + 1 - self.ngram_size
            ngram_idx = tuple(input_ids[i, start_idx:cur_len].tolist())
            banned = ngrams[i].get(ngram_idx, [])
            scores_processed[i, banned] = -float("inf")
        return scores_processed


class MinLengthLogitsProcessor:
    def __init__(self, min_length, eos_token_id):
        self.min_length = min_length
        self.eos_token_id = torch.tensor([eos_token_id])

    def __call__(self, input_ids, scores):
        vocab_tensor = torch.arange(scores.shape[-1], device=scores.device)
        eos_token_mask = torch.isin(vocab_tensor, self.eos_token_id)
        scores_processed = scores.clone()
        if input_ids.shape[-1] < self.min_length:
            scores_processed = torch.where(eos_token_mask, -math.inf, scores)
        return scores_processed


class Block(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.h = h
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.qkv, self.proj = nn.Linear(d, 3 * d), nn.Linear(d, d)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(approximate="tanh"), nn.Linear(4 * d, d))

    def forward(self, x, past=None):
        B, T, C = x.shape
        q, k, v = self.qkv(self.ln1(x)).split(C, dim=2)
        q, k, v = (t.view(B, T, self.h, C // self.h).transpose(1, 2) for t in (q, k, v))
        if past is not None:
            k = torch.cat([past[0], k], dim=-2)
            v = torch.cat([past[1], v], dim=-2)
        present = (k, v)
        y = F.scaled_dot_product_attention(q, k, v, is_causal=past is None)
        x = x + self.proj(y.transpose(1, 2).contiguous().view(B, T, C))
        return x + self.mlp(self.ln2(x)), present


class TinyGPT(nn.Module):
    def __init__(self, vocab=23, d=32, h=4, n=2, block=64):
        super().__init__()
        self.wte, self.wpe = nn.Embedding(vocab, d), nn.Embedding(block, d)
        self.blocks = nn.ModuleList([Block(d, h) for _ in range(n)])
        self.ln_f = nn.LayerNorm(d)
        self.lm_head = nn.Linear(d, vocab, bias=False)
        self.lm_head.weight = self.wte.weight

    def forward(self, idx, past_key_values=None):
        past_len = 0 if past_key_values is None else past_key_values[0][0].size(-2)
        pos = torch.arange(past_len, past_len + idx.size(1), dtype=torch.long).unsqueeze(0)
        x = self.wte(idx) + self.wpe(pos)
        presents = []
        for i, block in enumerate(self.blocks):
            x, present = block(x, None if past_key_values is None else past_key_values[i])
            presents.append(present)
        return self.lm_head(self.ln_f(x)), tuple(presents)


model = TinyGPT().eval()
print("tied:", model.lm_head.weight is model.wte.weight, sum(p.numel() for p in model.parameters()))
prompt = torch.tensor([[1, 5, 7, 5, 7], [2, 2, 3, 4, 9]])

with torch.no_grad():
    full, _ = model(torch.cat([prompt, torch.tensor([[3], [4]])], dim=1))
    logits, past = model(prompt)
    step, past = model(torch.tensor([[3], [4]]), past_key_values=past)
    print("kv cache matches:", torch.allclose(step[:, -1], full[:, -1], atol=1e-5), past[0][0].shape)

processors = [RepetitionPenaltyLogitsProcessor(1.3), NoRepeatNGramLogitsProcessor(2), MinLengthLogitsProcessor(8, 0)]
warpers = [TemperatureLogitsWarper(0.7), TopKLogitsWarper(10), TopPLogitsWarper(0.9)]
scores = logits[:, -1]
for proc in processors + warpers + [MinPLogitsWarper(0.1), TypicalLogitsWarper(0.8), EpsilonLogitsWarper(3e-2)]:
    out = proc(prompt, scores)
    kept = torch.isfinite(out).sum(-1).tolist()
    print(f"{type(proc).__name__:32s} kept {kept} max {out.max(-1).values.tolist()}")


def generate(model, input_ids, max_new_tokens, do_sample, generator=None, eos=0):
    past = None
    cur = input_ids
    unfinished = torch.ones(input_ids.shape[0], dtype=torch.long)
    with torch.no_grad():
        for _ in range(max_new_tokens):
            logits, past = model(cur if past is None else cur[:, -1:], past_key_values=past)
            scores = logits[:, -1, :]
            for p in processors:
                scores = p(input_ids, scores)
            if do_sample:
                for w in warpers:
                    scores = w(input_ids, scores)
                probs = F.softmax(scores, dim=-1)
                next_tokens = torch.multinomial(probs, num_samples=1, generator=generator).squeeze(1)
            else:
                next_tokens = torch.argmax(scores, dim=-1)
            next_tokens = next_tokens * unfinished + 0 * (1 - unfinished)
            input_ids = torch.cat([input_ids, next_tokens[:, None]], dim=-1)
            cur = input_ids
            unfinished = unfinished & ~(next_tokens == eos)
            if unfinished.max() == 0:
                break
    return input_ids


print("greedy:", generate(model, prompt, 8, False).tolist())
g = torch.Generator().manual_seed(42)
print("sampled:", generate(model, prompt, 8, True, generator=g).tolist())


def beam_search(model, input_ids, num_beams=3, max_new=5, length_penalty=1.0):
    beams = input_ids.repeat(num_beams, 1)
    beam_scores = torch.zeros(num_beams)
    beam_scores[1:] = -1e9
    with torch.no_grad():
        for _ in range(max_new):
            logits, _ = model(beams)
            logp = F.log_softmax(logits[:, -1], dim=-1)
            vocab = logp.shape[-1]
            next_scores = (logp + beam_scores[:, None]).view(-1)
            top, idx = torch.topk(next_scores, 2 * num_beams, largest=True, sorted=True)
            beam_idx = torch.div(idx, vocab, rounding_mode="floor")
            token = idx % vocab
            beams = torch.cat([beams[beam_idx[:num_beams]], token[:num_beams, None]], dim=-1)
            beam_scores = top[:num_beams]
    return beams, beam_scores / beams.shape[-1] ** length_penalty


b, s = beam_search(model, prompt[:1])
print("beams:", b.tolist(), [round(v, 4) for v in s.tolist()])
