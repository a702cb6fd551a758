"""A vision transformer without einops, as lucidrains/vit-pytorch's vit.py reads with its rearranges spelled
out (patches by unfold-free reshape/permute, a cls token, learned position embeddings, pre-norm attention
and feed-forward, mean or cls pooling), plus d2l's softmax regression from scratch (its softmax, the
``y_hat[range(len(y_hat)), y]`` cross entropy, an Accumulator, a hand-written minibatch sgd) on the same
images; each trained a few steps on the device a device-agnostic script picks."""
import torch
from torch import nn
import torch.nn.functional as F

torch.manual_seed(0)
device = "cuda" if torch.cuda.is_available() else "cpu"


def pair(t):
    return t if isinstance(t, tuple) else (t, t)


class FeedForward(nn.Module):
    def __init__(self, dim, hidden_dim, dropout=0.):
        super().__init__()
        self.net = nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, hidden_dim), nn.GELU(), nn.Dropout(dropout),
                                 nn.Linear(hidden_dim, dim), nn.Dropout(dropout))

    def forward(self, x):
        return self.net(x)


class Attention(nn.Module):
    def __init__(self, dim, heads=8, dim_head=64, dropout=0.):
        super().__init__()
        inner_dim = dim_head * heads
        project_out = not (heads == 1 and dim_head == dim)
        self.heads = heads
        self.scale = dim_head ** -0.5
        self.norm = nn.LayerNorm(dim)
        self.attend = nn.Softmax(dim=-1)
        self.dropout = nn.Dropout(dropout)
        self.to_qkv = nn.Linear(dim, inner_dim * 3, bias=False)
        self.to_out = nn.Sequential(nn.Linear(inner_dim, dim), nn.Dropout(dropout)) if project_out \
            else nn.Identity()

    def forward(self, x):
        x = self.norm(x)
        b, n, _ = x.shape
        qkv = self.to_qkv(x).chunk(3, dim=-1)
        # rearrange(t, 'b n (h d) -> b h n d')
        q, k, v = map(lambda t: t.reshape(b, n, self.heads, -1).transpose(1, 2), qkv)
        dots = torch.matmul(q, k.transpose(-1, -2)) * self.scale
        attn = self.dropout(self.attend(dots))
        out = torch.matmul(attn, v)
        out = out.transpose(1, 2).reshape(b, n, -1)  # 'b h n d -> b n (h d)'
        return self.to_out(out)


class Transformer(nn.Module):
    def __init__(self, dim, depth, heads, dim_head, mlp_dim, dropout=0.):
        super().__init__()
        self.norm = nn.LayerNorm(dim)
        self.layers = nn.ModuleList([])
        for _ in range(depth):
            self.layers.append(nn.ModuleList([Attention(dim, heads=heads, dim_head=dim_head, dropout=dropout),
                                              FeedForward(dim, mlp_dim, dropout=dropout)]))

    def forward(self, x):
        for attn, ff in self.layers:
            x = attn(x) + x
            x = ff(x) + x
        return self.norm(x)


class ViT(nn.Module):
    def __init__(self, *, image_size, patch_size, num_classes, dim, depth, heads, mlp_dim, pool='cls',
                 channels=3, dim_head=64, dropout=0., emb_dropout=0.):
        super().__init__()
        image_height, image_width = pair(image_size)
        patch_height, patch_width = pair(patch_size)
        assert image_height % patch_height == 0 and image_width % patch_width == 0, \
            'Image dimensions must be divisible by the patch size.'
        num_patches = (image_height // patch_height) * (image_width // patch_width)
        patch_dim = channels * patch_height * patch_width
        assert pool in {'cls', 'mean'}, 'pool type must be either cls (cls token) or mean (mean pooling)'
        self.p = (patch_height, patch_width)
        self.to_patch_embedding = nn.Sequential(nn.LayerNorm(patch_dim), nn.Linear(patch_dim, dim),
                                                nn.LayerNorm(dim))
        self.pos_embedding = nn.Parameter(torch.randn(1, num_patches + 1, dim))
        self.cls_token = nn.Parameter(torch.randn(1, 1, dim))
        self.dropout = nn.Dropout(emb_dropout)
        self.transformer = Transformer(dim, depth, heads, dim_head, mlp_dim, dropout)
        self.pool = pool
        self.to_latent = nn.Identity()
        self.mlp_head = nn.Linear(dim, num_classes)

    def patches(self, img):
        # rearrange('b c (h p1) (w p2) -> b (h w) (p1 p2 c)')
        b, c, H, W = img.shape
        p1, p2 = self.p
        x = img.reshape(b, c, H // p1, p1, W // p2, p2).permute(0, 2, 4, 3, 5, 1)
        return x.reshape(b, (H // p1) * (W // p2), p1 * p2 * c)

    def forward(self, img):
        x = self.to_patch_embedding(self.patches(img))
        b, n, _ = x.shape
        cls_tokens = self.cls_token.expand(b, -1, -1)  # repeat('1 1 d -> b 1 d')
        x = torch.cat((cls_tokens, x), dim=1)
        x += self.pos_embedding[:, :(n + 1)]
        x = self.dropout(x)
        x = self.transformer(x)
        x = x.mean(dim=1) if self.pool == 'mean' else x[:, 0]
        x = self.to_latent(x)
        return self.mlp_head(x)


# images whose class is the quadrant holding a bright square
def make_images(n):
    imgs = torch.rand(n, 3, 16, 16) * 0.3
    labels = torch.randint(0, 4, (n,))
    for i, c in enumerate(labels.tolist()):
        r, s = (c // 2) * 8, (c % 2) * 8
        imgs[i, :, r + 2:r + 6, s + 2:s + 6] += 0.7
    return imgs, labels


X, y = make_images(64)
X, y = X.to(device), y.to(device)
for pool in ("cls", "mean"):
    torch.manual_seed(1)
    v = ViT(image_size=16, patch_size=4, num_classes=4, dim=32, depth=2, heads=2, dim_head=16, mlp_dim=64,
            pool=pool, dropout=0.1, emb_dropout=0.1).to(device)
    opt = torch.optim.AdamW(v.parameters(), lr=3e-3)
    for step in range(10):
        loss = F.cross_entropy(v(X), y, label_smoothing=0.1)
        opt.zero_grad()
        loss.backward()
        opt.step()
        if step % 3 == 0:
            print(pool, step, f"{loss.item():.4f}")
    v.eval()
    with torch.no_grad():
        print(pool, "train accuracy", (v(X).argmax(1) == y).float().mean().item())
try:
    ViT(image_size=15, patch_size=4, num_classes=4, dim=8, depth=1, heads=1, mlp_dim=8)
except AssertionError as e:
    print("AssertionError:", e)


# -- d2l's softmax regression from scratch on the flattened images
def softmax(X):
    X_exp = torch.exp(X)
    partition = X_exp.sum(1, keepdim=True)
    return X_exp / partition


def cross_entropy(y_hat, y):
    return -torch.log(y_hat[range(len(y_hat)), y])


class Accumulator:
    def __init__(self, n):
        self.data = [0.0] * n

    def add(self, *args):
        self.data = [a + float(b) for a, b in zip(self.data, args)]

    def __getitem__(self, idx):
        return self.data[idx]


def accuracy(y_hat, y):
    if len(y_hat.shape) > 1 and y_hat.shape[1] > 1:
        y_hat = y_hat.argmax(axis=1)
    cmp = y_hat.type(y.dtype) == y
    return float(cmp.type(y.dtype).sum())


def sgd(params, lr, batch_size):
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()


num_inputs, num_outputs = 3 * 16 * 16, 4
W = torch.normal(0, 0.01, size=(num_inputs, num_outputs), requires_grad=True, device=device)
b = torch.zeros(num_outputs, requires_grad=True, device=device)


def net(X):
    return softmax(torch.matmul(X.reshape((-1, W.shape[0])), W) + b)


for epoch in range(4):
    metric = Accumulator(3)
    for i in range(0, 64, 16):
        Xb, yb = X[i:i + 16], y[i:i + 16]
        y_hat = net(Xb)
        l = cross_entropy(y_hat, yb)
        l.sum().backward()
        sgd([W, b], 0.5, Xb.shape[0])
        metric.add(float(l.sum()), accuracy(y_hat, yb), yb.numel())
    print(f"epoch {epoch + 1}, loss {metric[0] / metric[2]:.4f}, train acc {metric[1] / metric[2]:.3f}")
