"""lucidrains/vit-pytorch vit_pytorch/simple_vit.py and vit.py (SimpleViT with 2d sincos position embedding,
ViT with a cls token), written with einops as the author wrote them, trained a few steps on random images;
plus the einops calls such code uses (reduce, repeat, pack/unpack, einsum, parse_shape). Needs einops on
PYTHONPATH (its torch backend runs on whatever `import torch` is)."""
import torch
from torch import nn
from einops import rearrange, repeat, reduce, pack, unpack, einsum, parse_shape
from einops.layers.torch import Rearrange, Reduce


def pair(t):
    return t if isinstance(t, tuple) else (t, t)


def posemb_sincos_2d(h, w, dim, temperature: int = 10000, dtype=torch.float32):
    y, x = torch.meshgrid(torch.arange(h), torch.arange(w), indexing="ij")
    assert (dim % 4) == 0, "feature dimension must be multiple of 4 for sincos emb"
    omega = torch.arange(dim // 4) / (dim // 4 - 1)
    omega = 1.0 / (temperature ** omega)

    y = y.flatten()[:, None] * omega[None, :]
    x = x.flatten()[:, None] * omega[None, :]
    pe = torch.cat((x.sin(), x.cos(), y.sin(), y.cos()), dim=1)
    return pe.type(dtype)


class FeedForward(nn.Module):
    def __init__(self, dim, hidden_dim, dropout=0.):
        super().__init__()
        self.net = nn.Sequential(
            nn.LayerNorm(dim),
            nn.Linear(dim, hidden_dim),
            nn.GELU(),
            nn.Dropout(dropout),
            nn.Linear(hidden_dim, dim),
            nn.Dropout(dropout),
        )

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
        self.to_out = nn.Sequential(
            nn.Linear(inner_dim, dim),
            nn.Dropout(dropout)
        ) if project_out else nn.Identity()

    def forward(self, x):
        x = self.norm(x)
        qkv = self.to_qkv(x).chunk(3, dim=-1)
        q, k, v = map(lambda t: rearrange(t, 'b n (h d) -> b h n d', h=self.heads), qkv)
        dots = torch.matmul(q, k.transpose(-1, -2)) * self.scale
        attn = self.attend(dots)
        attn = self.dropout(attn)
        out = torch.matmul(attn, v)
        out = rearrange(out, 'b h n d -> b n (h d)')
        return self.to_out(out)


class Transformer(nn.Module):
    def __init__(self, dim, depth, heads, dim_head, mlp_dim, dropout=0.):
        super().__init__()
        self.norm = nn.LayerNorm(dim)
        self.layers = nn.ModuleList([])
        for _ in range(depth):
            self.layers.append(nn.ModuleList([
                Attention(dim, heads=heads, dim_head=dim_head, dropout=dropout),
                FeedForward(dim, mlp_dim, dropout=dropout)
            ]))

    def forward(self, x):
        for attn, ff in self.layers:
            x = attn(x) + x
            x = ff(x) + x
        return self.norm(x)


class SimpleViT(nn.Module):
    def __init__(self, *, image_size, patch_size, num_classes, dim, depth, heads, mlp_dim, channels=3,
                 dim_head=64):
        super().__init__()
        image_height, image_width = pair(image_size)
        patch_height, patch_width = pair(patch_size)
        assert image_height % patch_height == 0 and image_width % patch_width == 0, \
            'Image dimensions must be divisible by the patch size.'
        patch_dim = channels * patch_height * patch_width
        self.to_patch_embedding = nn.Sequential(
            Rearrange("b c (h p1) (w p2) -> b (h w) (p1 p2 c)", p1=patch_height, p2=patch_width),
            nn.LayerNorm(patch_dim),
            nn.Linear(patch_dim, dim),
            nn.LayerNorm(dim),
        )
        self.pos_embedding = posemb_sincos_2d(h=image_height // patch_height, w=image_width // patch_width,
                                              dim=dim)
        self.transformer = Transformer(dim, depth, heads, dim_head, mlp_dim)
        self.pool = "mean"
        self.to_latent = nn.Identity()
        self.linear_head = nn.Linear(dim, num_classes)

    def forward(self, img):
        device = img.device
        x = self.to_patch_embedding(img)
        x += self.pos_embedding.to(device, dtype=x.dtype)
        x = self.transformer(x)
        x = x.mean(dim=1)
        x = self.to_latent(x)
        return self.linear_head(x)


class ViT(nn.Module):
    def __init__(self, *, image_size, patch_size, num_classes, dim, depth, heads, mlp_dim, pool='cls', channels=3,
                 dim_head=64, dropout=0., emb_dropout=0.):
        super().__init__()
        image_height, image_width = pair(image_size)
        patch_height, patch_width = pair(patch_size)
        num_patches = (image_height // patch_height) * (image_width // patch_width)
        patch_dim = channels * patch_height * patch_width
        assert pool in {'cls', 'mean'}, 'pool type must be either cls (cls token) or mean (mean pooling)'
        self.to_patch_embedding = nn.Sequential(
            Rearrange('b c (h p1) (w p2) -> b (h w) (p1 p2 c)', p1=patch_height, p2=patch_width),
            nn.LayerNorm(patch_dim),
            nn.Linear(patch_dim, dim),
            nn.LayerNorm(dim),
        )
        self.pos_embedding = nn.Parameter(torch.randn(1, num_patches + 1, dim))
        self.cls_token = nn.Parameter(torch.randn(1, 1, dim))
        self.dropout = nn.Dropout(emb_dropout)
        self.transformer = Transformer(dim, depth, heads, dim_head, mlp_dim, dropout)
        self.pool = pool
        self.to_latent = nn.Identity()
        self.mlp_head = nn.Linear(dim, num_classes)

    def forward(self, img):
        x = self.to_patch_embedding(img)
        b, n, _ = x.shape
        cls_tokens = repeat(self.cls_token, '1 1 d -> b 1 d', b=b)
        x = torch.cat((cls_tokens, x), dim=1)
        x += self.pos_embedding[:, :(n + 1)]
        x = self.dropout(x)
        x = self.transformer(x)
        x = x.mean(dim=1) if self.pool == 'mean' else x[:, 0]
        x = self.to_latent(x)
        return self.mlp_head(x)


def train(model, name, steps=6):
    torch.manual_seed(1)
    imgs = torch.randn(16, 3, 16, 16)
    labels = torch.randint(0, 10, (16,))
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=0.05)
    losses = []
    for step in range(steps):
        loss = nn.functional.cross_entropy(model(imgs), labels)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
        print(f"{name} step {step} loss {loss.item():.4f}")
    print(name, "loss fell:", losses[-1] < losses[0])


torch.manual_seed(0)
v = SimpleViT(image_size=16, patch_size=4, num_classes=10, dim=32, depth=2, heads=4, mlp_dim=64, dim_head=8)
print(v.to_patch_embedding)
print("params", sum(p.numel() for p in v.parameters()))
print("pos", v.pos_embedding.shape, v.pos_embedding[1, :4])
print("out", v(torch.randn(2, 3, 16, 16)).shape)
train(v, "simple_vit")

torch.manual_seed(0)
v2 = ViT(image_size=16, patch_size=8, num_classes=10, dim=32, depth=1, heads=2, mlp_dim=32, dim_head=16,
         dropout=0.1, emb_dropout=0.1)
train(v2, "vit", steps=4)
v2.eval()
with torch.no_grad():
    print("eval logits", v2(torch.ones(1, 3, 16, 16)).shape)

# the einops calls around such models
x = torch.arange(2 * 3 * 4 * 6, dtype=torch.float32).reshape(2, 3, 4, 6)
print(reduce(x, 'b c (h h2) (w w2) -> b c h w', 'max', h2=2, w2=2))
print(reduce(x, 'b c h w -> b c', 'mean'))
print(reduce(x, 'b c h w -> c', 'sum'))
print(repeat(torch.tensor([1., 2.]), 'd -> n d', n=3))
print(rearrange(x, 'b c h w -> (b h) (w c)').shape, rearrange(x, 'b ... w -> b (...) w').shape)
print(parse_shape(x, 'b c _ w'))
packed, ps = pack([torch.zeros(2, 5), torch.ones(2, 3, 5), torch.full((2, 1, 5), 2.)], 'b * d')
print(packed.shape, ps)
a, b_, c = unpack(packed, ps, 'b * d')
print(a.shape, b_.shape, c.shape, c.sum())
q = torch.randn(2, 4, 8)
k = torch.randn(2, 5, 8)
print(einsum(q, k, 'b i d, b j d -> b i j').shape)
pool = nn.Sequential(Reduce('b c h w -> b c', 'mean'), nn.Linear(3, 2))
print(pool(x).shape, pool)
try:
    rearrange(x, 'b c h w -> b (c h) w x')
except Exception as e:
    print(type(e).__name__, str(e).splitlines()[0])
try:
    rearrange(torch.zeros(2, 5), 'b (h d) -> b h d', h=2)
except Exception as e:
    print(type(e).__name__, str(e).splitlines()[-1])
