"""torch.nn.utils.rnn end to end as user code meets it: pad_sequence (batch_first, padding_value,
padding_side='left'), pack_sequence and pack_padded_sequence with enforce_sorted either way and their
errors, PackedSequence's fields (sorted_indices, unsorted_indices, batch_sizes), pad_packed_sequence with
total_length, unpack_sequence / unpad_sequence, packed LSTM/GRU states restored to the input order,
PackedSequence.to/float/is_cuda, a packed bidirectional GRU's last states vs the padded run's, and
masked mean pooling."""
import torch
import torch.nn as nn
from torch.nn.utils.rnn import (pack_padded_sequence, pack_sequence, pad_packed_sequence, pad_sequence,
                                unpack_sequence, unpad_sequence)

torch.manual_seed(0)
seqs = [torch.randn(n, 3) for n in (4, 6, 2, 5)]
lengths = torch.tensor([len(s) for s in seqs])

padded = pad_sequence(seqs, batch_first=True, padding_value=-1.0)
print(padded.shape, padded[2, :, 0].tolist())
left = pad_sequence(seqs, batch_first=True, padding_side="left")
print("left", left[2, :, 0].tolist())
print("time-major", pad_sequence(seqs).shape)

packed = pack_sequence(seqs, enforce_sorted=False)
print(type(packed).__name__, packed.data.shape, packed.batch_sizes.tolist(), packed.sorted_indices.tolist(),
      packed.unsorted_indices.tolist())
for s, u in zip(seqs, unpack_sequence(packed)):
    assert torch.equal(s, u)
try:
    pack_sequence(seqs)
except RuntimeError as e:
    print("RuntimeError:", str(e).split("\n")[0][:80])
try:
    pack_padded_sequence(padded, lengths.tolist() + [1], batch_first=True, enforce_sorted=False)
except (RuntimeError, ValueError, IndexError) as e:
    print(type(e).__name__ + ":", e)
try:
    pack_padded_sequence(padded, torch.tensor([4, 6, 0, 5]), batch_first=True, enforce_sorted=False)
except RuntimeError as e:
    print("RuntimeError:", e)

sorted_pack = pack_padded_sequence(padded, lengths, batch_first=True, enforce_sorted=False)
out, out_lens = pad_packed_sequence(sorted_pack, batch_first=True, padding_value=0.0, total_length=8)
print(out.shape, out_lens.tolist(), out_lens.dtype)
print("unpad", [t.shape[0] for t in unpad_sequence(out, out_lens, batch_first=True)])
print("to", sorted_pack.to(torch.float64).data.dtype, sorted_pack.double().data.dtype, sorted_pack.is_cuda,
      sorted_pack.to("cpu") is sorted_pack)

lstm = nn.LSTM(3, 5, num_layers=2, batch_first=True)
packed_out, (h, c) = lstm(sorted_pack)
print("lstm", type(packed_out).__name__, h.shape, c.shape)
# the state of each sequence, in the input's order, equals the padded run of that sequence alone
for i, s in enumerate(seqs):
    _, (hi, _) = lstm(s.unsqueeze(0))
    assert torch.allclose(hi[:, 0], h[:, i], atol=1e-6), i
print("states follow the input order:", h[-1, :, 0].tolist())

gru = nn.GRU(3, 4, bidirectional=True, batch_first=True)
pout, hn = gru(sorted_pack)
pout, _ = pad_packed_sequence(pout, batch_first=True)
idx = (lengths - 1).view(-1, 1, 1).expand(-1, 1, 4)
last_fwd = pout[:, :, :4].gather(1, idx).squeeze(1)
print("bi-gru last forward == h_n[0]:", torch.allclose(last_fwd, hn[0], atol=1e-6),
      "first backward == h_n[1]:", torch.allclose(pout[:, 0, 4:], hn[1], atol=1e-6))

mask = torch.arange(pout.size(1))[None, :] < lengths[:, None]
pooled = (pout * mask.unsqueeze(-1)).sum(1) / lengths.unsqueeze(-1)
loss = pooled.pow(2).mean()
loss.backward()
print(f"pooled {pooled.sum().item():.6f} grad {gru.weight_hh_l0_reverse.grad.abs().sum().item():.6f}")

rnn = nn.RNN(3, 2, nonlinearity="relu")
po, hn = rnn(pack_sequence(sorted(seqs, key=len, reverse=True)))
print("rnn relu", po.batch_sizes.tolist(), po.sorted_indices, [round(v, 5) for v in hn.flatten().tolist()])
