"""Imitates two common research-script patterns in one file. First a SimCLR-style contrastive step:
two random augmentations of a batch (random crops by index arithmetic, flips, additive noise), a
projection head, F.normalize, the NT-Xent loss built from a similarity matrix with the diagonal masked
by torch.eye and targets from torch.roll/arange, optimized with SGD + CosineAnnealingWarmRestarts.
Then a CTC speech-recognition step: a bidirectional LSTM over log-mel-like frames, log_softmax over
time-major outputs, nn.CTCLoss with per-sample input/target lengths, greedy decoding with
unique_consecutive. Written for pyfront's tests; synthetic data, tiny sizes.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(123)

# ---- contrastive --------------------------------------------------------------------------------------
B, C, H = 8, 2, 10


def augment(x):
    i, j = torch.randint(0, 3, (2,)).tolist()
    crop = x[:, :, i:i + 8, j:j + 8]
    flip = torch.rand(x.size(0), 1, 1, 1) < 0.5
    crop = torch.where(flip, crop.flip(-1), crop)
    return crop + 0.05 * torch.randn_like(crop)


encoder = nn.Sequential(nn.Conv2d(C, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
                        nn.Flatten(), nn.Linear(8, 16))
projector = nn.Sequential(nn.Linear(16, 16), nn.ReLU(), nn.Linear(16, 8))
params = list(encoder.parameters()) + list(projector.parameters())
opt = torch.optim.SGD(params, lr=0.3, momentum=0.9, weight_decay=1e-4)
sched = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=3, T_mult=2)


def nt_xent(z1, z2, temperature=0.5):
    z = F.normalize(torch.cat([z1, z2]), dim=1)
    sim = z @ z.T / temperature
    sim = sim.masked_fill(torch.eye(2 * B, dtype=torch.bool), float("-inf"))
    targets = torch.roll(torch.arange(2 * B), B)
    return F.cross_entropy(sim, targets)


images = torch.randn(B, C, H, H)
for step in range(5):
    z1, z2 = projector(encoder(augment(images))), projector(encoder(augment(images)))
    loss = nt_xent(z1, z2)
    opt.zero_grad()
    loss.backward()
    opt.step()
    sched.step()
    with torch.no_grad():
        pos = F.cosine_similarity(z1, z2).mean().item()
    print(f"contrastive step {step} loss {loss.item():.5f} pos-sim {pos:.5f} lr {sched.get_last_lr()[0]:.5f}")

# ---- CTC ------------------------------------------------------------------------------------------------
T, N, FEAT, VOCAB = 12, 3, 5, 5  # blank = 0


class SpeechModel(nn.Module):
    def __init__(self):
        super().__init__()
        # no inter-layer dropout: torch draws that mask in C++, out of reach of the reference run's RNG
        self.rnn = nn.LSTM(FEAT, 8, num_layers=2, bidirectional=True, dropout=0.0)
        self.fc = nn.Linear(16, VOCAB)

    def forward(self, x):
        out, _ = self.rnn(x)
        return self.fc(out).log_softmax(2)


model = SpeechModel()
ctc = nn.CTCLoss(blank=0, zero_infinity=True)
opt = torch.optim.Adam(model.parameters(), lr=1e-2)
feats = torch.randn(T, N, FEAT)
input_lengths = torch.tensor([12, 10, 9])
targets = torch.randint(1, VOCAB, (N, 4))
target_lengths = torch.tensor([4, 3, 2])
for step in range(5):
    log_probs = model(feats)
    loss = ctc(log_probs, targets, input_lengths, target_lengths)
    opt.zero_grad()
    loss.backward()
    nn.utils.clip_grad_norm_(model.parameters(), 5.0)
    opt.step()
    print(f"ctc step {step} loss {loss.item():.5f}")
model.eval()
with torch.no_grad():
    best = model(feats).argmax(2).T
for n in range(N):
    seq = torch.unique_consecutive(best[n, :input_lengths[n]])
    print("decoded", seq[seq != 0].tolist(), "target", targets[n, :target_lengths[n]].tolist())
