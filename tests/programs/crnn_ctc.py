"""A CTC text recogniser as meijieru/crnn.pytorch and the PyTorch forums' CTC recipes write it, on synthetic
"images" of digit strings: a conv feature extractor collapsed to a width sequence, a bidirectional LSTM,
log_softmax(2) in (T, N, C), nn.CTCLoss(blank=0, zero_infinity=True) with padded and with concatenated
targets, every reduction compared, the strLabelConverter's encode/decode, greedy decoding by argmax +
unique_consecutive, and the loss of an impossible (too long) target with zero_infinity off and on; device
agnostic (cuda when available, as the repo's --cuda flag)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")


class strLabelConverter(object):
    def __init__(self, alphabet):
        self.alphabet = alphabet + '-'
        self.dict = {char: i + 1 for i, char in enumerate(alphabet)}

    def encode(self, text):
        length = [len(s) for s in text]
        text = ''.join(text)
        text = [self.dict[char] for char in text]
        return (torch.IntTensor(text), torch.IntTensor(length))

    def decode(self, t, length, raw=False):
        if length.numel() == 1:
            length = length[0]
            assert t.numel() == length, "text with length: {} does not match declared length: {}".format(t.numel(), length)
            if raw:
                return ''.join([self.alphabet[i - 1] for i in t])
            char_list = []
            for i in range(length):
                if t[i] != 0 and (not (i > 0 and t[i - 1] == t[i])):
                    char_list.append(self.alphabet[t[i] - 1])
            return ''.join(char_list)
        texts = []
        index = 0
        for i in range(length.numel()):
            l = length[i]
            texts.append(self.decode(t[index:index + l], torch.IntTensor([l]), raw=raw))
            index += l
        return texts


class BidirectionalLSTM(nn.Module):
    def __init__(self, nIn, nHidden, nOut):
        super(BidirectionalLSTM, self).__init__()
        self.rnn = nn.LSTM(nIn, nHidden, bidirectional=True)
        self.embedding = nn.Linear(nHidden * 2, nOut)

    def forward(self, input):
        recurrent, _ = self.rnn(input)
        T, b, h = recurrent.size()
        t_rec = recurrent.view(T * b, h)
        output = self.embedding(t_rec)
        return output.view(T, b, -1)


class CRNN(nn.Module):
    def __init__(self, nclass, nh=16):
        super(CRNN, self).__init__()
        self.cnn = nn.Sequential(nn.Conv2d(1, 8, 3, 1, 1), nn.ReLU(True), nn.MaxPool2d(2, 2),
                                 nn.Conv2d(8, 16, 3, 1, 1), nn.BatchNorm2d(16), nn.ReLU(True),
                                 nn.MaxPool2d((2, 1), (2, 1)))
        self.rnn = nn.Sequential(BidirectionalLSTM(16 * 2, nh, nh), BidirectionalLSTM(nh, nh, nclass))

    def forward(self, input):
        conv = self.cnn(input)
        b, c, h, w = conv.size()
        conv = conv.view(b, c * h, w)
        conv = conv.permute(2, 0, 1)
        return F.log_softmax(self.rnn(conv), dim=2)


alphabet = "0123456789"
converter = strLabelConverter(alphabet)
print(converter.encode(["12", "907"]))
glyphs = torch.rand(10, 8, 3)


def render(s):
    cols = [torch.cat([glyphs[int(ch)], torch.zeros(8, 1)], 1) for ch in s]
    img = torch.cat(cols + [torch.zeros(8, 24 - 4 * len(s))], 1)
    return img[None]


texts = ["".join(str(d) for d in torch.randint(0, 10, (int(n),)).tolist()) for n in torch.randint(1, 5, (12,))]
images = torch.stack([render(s) for s in texts]).to(device)
model = CRNN(len(alphabet) + 1).to(device)
criterion = nn.CTCLoss(blank=0, zero_infinity=True)
optimizer = torch.optim.Adam(model.parameters(), lr=3e-3, betas=(0.5, 0.999))
for epoch in range(8):
    preds = model(images)
    text, length = converter.encode(texts)
    preds_size = torch.IntTensor([preds.size(0)] * len(texts))
    cost = criterion(preds, text.to(device), preds_size, length)
    optimizer.zero_grad()
    cost.backward()
    optimizer.step()
    print(f"epoch {epoch} loss {cost.item():.5f}")
model.eval()
with torch.no_grad():
    preds = model(images)
_, best = preds.max(2)
best = best.transpose(1, 0).contiguous().view(-1)
raw = converter.decode(best.cpu(), torch.IntTensor([preds.size(0)] * len(texts)), raw=True)
sim = converter.decode(best.cpu(), torch.IntTensor([preds.size(0)] * len(texts)), raw=False)
for r, s, gt in list(zip(raw, sim, texts))[:4]:
    print('%-12s => %-6s, gt: %-6s' % (r, s, gt))
greedy = [torch.unique_consecutive(p) for p in preds.argmax(2).T.cpu()]
print([g[g != 0].tolist() for g in greedy[:3]])

preds = preds.cpu()
padded = nn.utils.rnn.pad_sequence([torch.tensor([int(c) + 1 for c in s]) for s in texts], batch_first=True)
lengths = torch.tensor([len(s) for s in texts])
T = torch.full((len(texts),), preds.size(0), dtype=torch.long)
for reduction in ["none", "mean", "sum"]:
    a = F.ctc_loss(preds, padded, T, lengths, reduction=reduction)
    b = F.ctc_loss(preds, torch.cat([p[:n] for p, n in zip(padded, lengths)]), T, lengths, reduction=reduction)
    print(reduction, a.shape, torch.allclose(a, b), a.sum().item() > 0)
short = torch.full((2,), 3, dtype=torch.long)
for zi in [False, True]:
    print("too long target", F.ctc_loss(preds[:, :2], padded[:2], short, torch.tensor([4, 4]), reduction="none",
                                        zero_infinity=zi))
print("empty input", F.ctc_loss(preds[:, :2], padded[:2], torch.tensor([0, 3]), torch.tensor([0, 1]), reduction="none"))
for bad in [lambda: F.ctc_loss(preds, padded, T, lengths, blank=11),
            lambda: F.ctc_loss(preds, padded, T.float(), lengths),
            lambda: F.ctc_loss(preds, padded, T, tuple(lengths.tolist())),
            lambda: F.ctc_loss(preds, padded, T, -lengths)]:
    try:
        bad()
    except (RuntimeError, TypeError) as e:
        print(type(e).__name__ + ":", str(e).splitlines()[0])
