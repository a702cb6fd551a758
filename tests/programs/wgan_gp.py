"""WGAN-GP as in caogang/wgan-gp and the improved-WGAN reference code, on 2-D toy data (8 gaussians): a
gradient penalty from autograd.grad(create_graph=True) on interpolates, n_critic steps per generator step,
Adam(betas=(0.5, 0.9)), mone/one backward(grad) calls, requires_grad toggling; then the original WGAN's
weight clipping with RMSprop (p.data.clamp_), and a small DCGAN-style ConvTranspose2d generator's shapes."""
import math

import torch
import torch.autograd as autograd
import torch.nn as nn
import torch.optim as optim

torch.manual_seed(1)
DIM, LAMBDA, CRITIC_ITERS, BATCH_SIZE, ITERS = 64, 0.1, 5, 64, 12


class Generator(nn.Module):
    def __init__(self):
        super(Generator, self).__init__()
        main = nn.Sequential(nn.Linear(2, DIM), nn.ReLU(True), nn.Linear(DIM, DIM), nn.ReLU(True),
                             nn.Linear(DIM, DIM), nn.ReLU(True), nn.Linear(DIM, 2))
        self.main = main

    def forward(self, noise, real_data):
        return self.main(noise)


class Discriminator(nn.Module):
    def __init__(self):
        super(Discriminator, self).__init__()
        self.main = nn.Sequential(nn.Linear(2, DIM), nn.ReLU(True), nn.Linear(DIM, DIM), nn.ReLU(True),
                                  nn.Linear(DIM, DIM), nn.ReLU(True), nn.Linear(DIM, 1))

    def forward(self, inputs):
        output = self.main(inputs)
        return output.view(-1)


def weights_init(m):
    classname = m.__class__.__name__
    if classname.find("Linear") != -1:
        m.weight.data.normal_(0.0, 0.02)
        m.bias.data.fill_(0)
    elif classname.find("BatchNorm") != -1:
        m.weight.data.normal_(1.0, 0.02)
        m.bias.data.fill_(0)


def inf_train_gen():
    scale = 2.0
    centers = [(1, 0), (-1, 0), (0, 1), (0, -1), (1.0 / math.sqrt(2), 1.0 / math.sqrt(2)),
               (1.0 / math.sqrt(2), -1.0 / math.sqrt(2)), (-1.0 / math.sqrt(2), 1.0 / math.sqrt(2)),
               (-1.0 / math.sqrt(2), -1.0 / math.sqrt(2))]
    centers = torch.tensor([(scale * x, scale * y) for x, y in centers])
    while True:
        idx = torch.randint(0, 8, (BATCH_SIZE,))
        dataset = centers[idx] + 0.02 * torch.randn(BATCH_SIZE, 2)
        yield dataset / 1.414


def calc_gradient_penalty(netD, real_data, fake_data):
    alpha = torch.rand(BATCH_SIZE, 1)
    alpha = alpha.expand(real_data.size())
    interpolates = alpha * real_data + ((1 - alpha) * fake_data)
    interpolates = autograd.Variable(interpolates, requires_grad=True)
    disc_interpolates = netD(interpolates)
    gradients = autograd.grad(outputs=disc_interpolates, inputs=interpolates,
                              grad_outputs=torch.ones(disc_interpolates.size()),
                              create_graph=True, retain_graph=True, only_inputs=True)[0]
    gradient_penalty = ((gradients.norm(2, dim=1) - 1) ** 2).mean() * LAMBDA
    return gradient_penalty


netG = Generator()
netD = Discriminator()
netD.apply(weights_init)
netG.apply(weights_init)
print(netG)
optimizerD = optim.Adam(netD.parameters(), lr=1e-4, betas=(0.5, 0.9))
optimizerG = optim.Adam(netG.parameters(), lr=1e-4, betas=(0.5, 0.9))
one = torch.tensor(1, dtype=torch.float)
mone = one * -1
data = inf_train_gen()
for iteration in range(ITERS):
    for p in netD.parameters():
        p.requires_grad = True
    for iter_d in range(CRITIC_ITERS):
        real_data_v = autograd.Variable(next(data))
        netD.zero_grad()
        D_real = netD(real_data_v)
        D_real = D_real.mean()
        D_real.backward(mone)
        noise = torch.randn(BATCH_SIZE, 2)
        with torch.no_grad():
            noisev = autograd.Variable(noise)
        fake = autograd.Variable(netG(noisev, real_data_v).data)
        inputv = fake
        D_fake = netD(inputv)
        D_fake = D_fake.mean()
        D_fake.backward(one)
        gradient_penalty = calc_gradient_penalty(netD, real_data_v.data, fake.data)
        gradient_penalty.backward()
        D_cost = D_fake - D_real + gradient_penalty
        Wasserstein_D = D_real - D_fake
        optimizerD.step()
    for p in netD.parameters():
        p.requires_grad = False
    netG.zero_grad()
    real_data_v = autograd.Variable(next(data))
    noise = torch.randn(BATCH_SIZE, 2)
    noisev = autograd.Variable(noise)
    fake = netG(noisev, real_data_v)
    G = netD(fake)
    G = G.mean()
    G.backward(mone)
    G_cost = -G
    optimizerG.step()
    if iteration % 3 == 0 or iteration == ITERS - 1:
        print(iteration, f"disc_cost {D_cost.cpu().data.numpy():.6f} gen_cost {G_cost.cpu().data.numpy():.6f}"
              f" wasserstein {Wasserstein_D.cpu().data.numpy():.6f} gp {gradient_penalty.item():.6f}")

# the original WGAN: weight clipping and RMSprop
critic = Discriminator()
opt = optim.RMSprop(critic.parameters(), lr=5e-5)
for it in range(5):
    for p in critic.parameters():
        p.data.clamp_(-0.01, 0.01)
    real = next(data)
    fake = netG(torch.randn(BATCH_SIZE, 2), real).detach()
    loss = -(critic(real).mean() - critic(fake).mean())
    opt.zero_grad()
    loss.backward()
    opt.step()
    print("clip", it, f"{loss.item():.8f}", f"{max(p.abs().max().item() for p in critic.parameters()):.6f}")

# DCGAN-style generator shapes with ConvTranspose2d
g = nn.Sequential(nn.ConvTranspose2d(16, 32, 4, 1, 0, bias=False), nn.BatchNorm2d(32), nn.ReLU(True),
                  nn.ConvTranspose2d(32, 16, 4, 2, 1, bias=False), nn.BatchNorm2d(16), nn.ReLU(True),
                  nn.ConvTranspose2d(16, 3, 4, 2, 1, bias=False), nn.Tanh())
z = torch.randn(2, 16, 1, 1)
out = g(z)
print(out.shape, f"{out.abs().max().item():.5f}", nn.ConvTranspose2d(3, 3, 3, stride=2, padding=1, output_padding=1)(out).shape)
d_out = nn.Conv2d(3, 1, 16)(out)
bce = nn.BCEWithLogitsLoss()(d_out.view(-1), torch.full((2,), 0.9))
bce.backward()
print(f"{bce.item():.6f}", g[0].weight.grad.shape, f"{g[0].weight.grad.norm().item():.6f}")
