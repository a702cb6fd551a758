"""Vector quantisation as three well-known repositories write it, on random 16x16 images: AntixK/PyTorch-VAE's
VectorQuantizer (distances by expansion, argmin, a one-hot by scatter_, straight-through, commitment loss)
inside a small conv VQ-VAE with residual layers and ConvTranspose2d, zalandoresearch's perplexity;
rosinality/vq-vae-2-pytorch's Quantize (codebook buffers updated by EMA through .data.mul_().add_(), Laplace
smoothing of cluster sizes, F.embedding of the transposed codebook; its all_reduce a no-op on one process);
lucidrains/vector-quantize-pytorch's k-means codebook init (randperm samples, bincount, scatter_add_, where
over empty clusters), its cosine-similarity variant and codebook usage."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class VectorQuantizer(nn.Module):
    """
    Reference:
    [1] https://github.com/deepmind/sonnet/blob/v2/sonnet/src/nets/vqvae.py
    """
    def __init__(self,
                 num_embeddings: int,
                 embedding_dim: int,
                 beta: float = 0.25):
        super(VectorQuantizer, self).__init__()
        self.K = num_embeddings
        self.D = embedding_dim
        self.beta = beta

        self.embedding = nn.Embedding(self.K, self.D)
        self.embedding.weight.data.uniform_(-1 / self.K, 1 / self.K)

    def forward(self, latents):
        latents = latents.permute(0, 2, 3, 1).contiguous()  # [B x D x H x W] -> [B x H x W x D]
        latents_shape = latents.shape
        flat_latents = latents.view(-1, self.D)  # [BHW x D]

        # Compute L2 distance between latents and embedding weights
        dist = torch.sum(flat_latents ** 2, dim=1, keepdim=True) + \
               torch.sum(self.embedding.weight ** 2, dim=1) - \
               2 * torch.matmul(flat_latents, self.embedding.weight.t())  # [BHW x K]

        # Get the encoding that has the min distance
        encoding_inds = torch.argmin(dist, dim=1).unsqueeze(1)  # [BHW, 1]

        # Convert to one-hot encodings
        device = latents.device
        encoding_one_hot = torch.zeros(encoding_inds.size(0), self.K, device=device)
        encoding_one_hot.scatter_(1, encoding_inds, 1)  # [BHW x K]

        # Quantize the latents
        quantized_latents = torch.matmul(encoding_one_hot, self.embedding.weight)  # [BHW, D]
        quantized_latents = quantized_latents.view(latents_shape)  # [B x H x W x D]

        # Compute the VQ Losses
        commitment_loss = F.mse_loss(quantized_latents.detach(), latents)
        embedding_loss = F.mse_loss(quantized_latents, latents.detach())

        vq_loss = commitment_loss * self.beta + embedding_loss

        # Add the residue back to the latents
        quantized_latents = latents + (quantized_latents - latents).detach()

        # (zalandoresearch's perplexity of the code assignments)
        avg_probs = torch.mean(encoding_one_hot, dim=0)
        self.perplexity = torch.exp(-torch.sum(avg_probs * torch.log(avg_probs + 1e-10)))

        return quantized_latents.permute(0, 3, 1, 2).contiguous(), vq_loss  # [B x D x H x W]


class ResidualLayer(nn.Module):

    def __init__(self,
                 in_channels: int,
                 out_channels: int):
        super(ResidualLayer, self).__init__()
        self.resblock = nn.Sequential(nn.Conv2d(in_channels, out_channels,
                                                kernel_size=3, padding=1, bias=False),
                                      nn.ReLU(True),
                                      nn.Conv2d(out_channels, out_channels,
                                                kernel_size=1, bias=False))

    def forward(self, input):
        return input + self.resblock(input)


class VQVAE(nn.Module):
    def __init__(self, in_channels=3, embedding_dim=8, num_embeddings=16, hidden_dims=(16, 32), beta=0.25):
        super(VQVAE, self).__init__()
        modules = []
        for h_dim in hidden_dims:
            modules.append(nn.Sequential(nn.Conv2d(in_channels, out_channels=h_dim, kernel_size=4, stride=2,
                                                   padding=1),
                                         nn.LeakyReLU()))
            in_channels = h_dim
        modules.append(nn.Sequential(nn.Conv2d(in_channels, in_channels, kernel_size=3, stride=1, padding=1),
                                     nn.LeakyReLU()))
        modules.append(ResidualLayer(in_channels, in_channels))
        modules.append(nn.LeakyReLU())
        modules.append(nn.Sequential(nn.Conv2d(in_channels, embedding_dim, kernel_size=1, stride=1),
                                     nn.LeakyReLU()))
        self.encoder = nn.Sequential(*modules)
        self.vq_layer = VectorQuantizer(num_embeddings, embedding_dim, beta)
        modules = [nn.Sequential(nn.Conv2d(embedding_dim, hidden_dims[-1], kernel_size=3, stride=1, padding=1),
                                 nn.LeakyReLU()),
                   ResidualLayer(hidden_dims[-1], hidden_dims[-1]), nn.LeakyReLU()]
        hidden_dims = list(reversed(hidden_dims))
        for i in range(len(hidden_dims) - 1):
            modules.append(nn.Sequential(nn.ConvTranspose2d(hidden_dims[i], hidden_dims[i + 1], kernel_size=4,
                                                            stride=2, padding=1),
                                         nn.LeakyReLU()))
        modules.append(nn.Sequential(nn.ConvTranspose2d(hidden_dims[-1], out_channels=3, kernel_size=4, stride=2,
                                                        padding=1),
                                     nn.Tanh()))
        self.decoder = nn.Sequential(*modules)

    def forward(self, input):
        encoding = self.encoder(input)
        quantized_inputs, vq_loss = self.vq_layer(encoding)
        return [self.decoder(quantized_inputs), input, vq_loss]

    def loss_function(self, *args):
        recons, input, vq_loss = args
        recons_loss = F.mse_loss(recons, input)
        loss = recons_loss + vq_loss
        return {'loss': loss, 'Reconstruction_Loss': recons_loss, 'VQ_Loss': vq_loss}


class Quantize(nn.Module):
    def __init__(self, dim, n_embed, decay=0.99, eps=1e-5):
        super().__init__()

        self.dim = dim
        self.n_embed = n_embed
        self.decay = decay
        self.eps = eps

        embed = torch.randn(dim, n_embed)
        self.register_buffer("embed", embed)
        self.register_buffer("cluster_size", torch.zeros(n_embed))
        self.register_buffer("embed_avg", embed.clone())

    def forward(self, input):
        flatten = input.reshape(-1, self.dim)
        dist = (
            flatten.pow(2).sum(1, keepdim=True)
            - 2 * flatten @ self.embed
            + self.embed.pow(2).sum(0, keepdim=True)
        )
        _, embed_ind = (-dist).max(1)
        embed_onehot = F.one_hot(embed_ind, self.n_embed).type(flatten.dtype)
        embed_ind = embed_ind.view(*input.shape[:-1])
        quantize = self.embed_code(embed_ind)

        if self.training:
            embed_onehot_sum = embed_onehot.sum(0)
            embed_sum = flatten.transpose(0, 1) @ embed_onehot

            self.cluster_size.data.mul_(self.decay).add_(
                embed_onehot_sum, alpha=1 - self.decay
            )
            self.embed_avg.data.mul_(self.decay).add_(embed_sum, alpha=1 - self.decay)
            n = self.cluster_size.sum()
            cluster_size = (
                (self.cluster_size + self.eps) / (n + self.n_embed * self.eps) * n
            )
            embed_normalized = self.embed_avg / cluster_size.unsqueeze(0)
            self.embed.data.copy_(embed_normalized)

        diff = (quantize.detach() - input).pow(2).mean()
        quantize = input + (quantize - input).detach()

        return quantize, diff, embed_ind

    def embed_code(self, embed_id):
        return F.embedding(embed_id, self.embed.transpose(0, 1))


def l2norm(t):
    return F.normalize(t, p = 2, dim = -1)


def sample_vectors(samples, num):
    num_samples, device = samples.shape[0], samples.device

    if num_samples >= num:
        indices = torch.randperm(num_samples, device = device)[:num]
    else:
        indices = torch.randint(0, num_samples, (num,), device = device)

    return samples[indices]


def kmeans(samples, num_clusters, num_iters = 10, use_cosine_sim = False):
    dim, dtype, device = samples.shape[-1], samples.dtype, samples.device

    means = sample_vectors(samples, num_clusters)

    for _ in range(num_iters):
        if use_cosine_sim:
            dists = samples @ means.t()
        else:
            diffs = samples[:, None, :] - means[None, :, :]  # rearrange 'n d -> n () d' and 'c d -> () c d'
            dists = -(diffs ** 2).sum(dim = -1)

        buckets = dists.max(dim = -1).indices
        bins = torch.bincount(buckets, minlength = num_clusters)
        zero_mask = bins == 0
        bins_min_clamped = bins.masked_fill(zero_mask, 1)

        new_means = buckets.new_zeros(num_clusters, dim, dtype = dtype)
        new_means.scatter_add_(0, buckets[:, None].expand(-1, dim), samples)  # repeat 'n -> n d'
        new_means = new_means / bins_min_clamped[..., None]

        if use_cosine_sim:
            new_means = l2norm(new_means)

        means = torch.where(zero_mask[..., None], means, new_means)

    return means, bins


torch.manual_seed(0)
images = torch.tanh(torch.randn(16, 3, 16, 16).cumsum(-1) * 0.3)
model = VQVAE()
print(model.vq_layer.embedding.weight.abs().max().item() <= 1 / 16)
optimizer = torch.optim.Adam(model.parameters(), lr=2e-3)
for step in range(8):
    results = model(images[step % 2 * 8:(step % 2 + 1) * 8])
    losses = model.loss_function(*results)
    optimizer.zero_grad()
    losses['loss'].backward()
    optimizer.step()
    print(f"step {step}: loss {losses['loss'].item():.5f} recon {losses['Reconstruction_Loss'].item():.5f} "
          f"vq {losses['VQ_Loss'].item():.6f} perplexity {model.vq_layer.perplexity.item():.4f}")
print(results[0].shape, model.vq_layer.embedding.weight.grad.abs().sum().item() > 0)

torch.manual_seed(1)
quantize = Quantize(dim=8, n_embed=12)
print(sorted(name for name, _ in quantize.named_buffers()), list(quantize.parameters()))
latents = torch.randn(4, 5, 5, 8, requires_grad=True)
for step in range(5):
    q, diff, ind = quantize(latents)
    print(f"ema step {step}: diff {diff.item():.5f} used {ind.unique().numel()} "
          f"cluster mass {quantize.cluster_size.sum().item():.4f}")
(q.sum() + diff).backward()
print(ind.shape, ind.dtype, f"{latents.grad.abs().sum().item():.4f}", q.grad_fn.name())
quantize.eval()
q2, diff2, ind2 = quantize(latents)
print(f"eval leaves the codebook: {torch.equal(quantize.embed_avg, quantize.embed_avg)} diff {diff2.item():.5f}")
state = quantize.state_dict()
print(list(state), state["embed"].shape)

torch.manual_seed(2)
centers = torch.randn(4, 2) * 4
samples = (centers[torch.randint(0, 4, (200,))] + torch.randn(200, 2) * 0.5)
means, bins = kmeans(samples, 4, num_iters=10)
order = means[:, 0].argsort()
print(means[order], bins[order])
means_cos, bins_cos = kmeans(l2norm(samples), 3, num_iters=5, use_cosine_sim=True)
print(means_cos.norm(dim=-1), bins_cos.sum().item())
means6, bins6 = kmeans(samples[:5], 6, num_iters=3)
print(bins6, (bins6 == 0).sum().item())
usage = torch.bincount(torch.cdist(samples, means).argmin(1), minlength=4)
print(usage.sort().values, torch.cdist(samples[:3], means[order]).round(decimals=3))
