# adapted from christiancosgrove/pytorch-spectral-normalization-gan: spectral_normalization.py (the
# SpectralNorm wrapper: power iteration on <name>_u/_v/_bar Parameters), model.py (the DCGAN-like
# generator and discriminator) and main.py's train() as written, with: CIFAR-10 replaced by random 16x16
# images in a TensorDataset (so w_g 4 -> 2), channels shrunk (64..512 -> 8..16), 2 epochs of 3 batches of 8,
# .cuda() dropped (DataParallel kept: on a cpu-only build it runs the module itself), disc_loss.data[0]
# read as .item() and matplotlib's evaluate() replaced by printing the samples' statistics. Then the same
# discriminator built with torch.nn.utils.spectral_norm and with parametrizations.spectral_norm, run
# with the README's hinge loss, in train and eval mode, and their state_dicts' keys.
import argparse
import torch
import torch.nn as nn
from torch.autograd import Variable
import torch.optim as optim
from torch.nn import Parameter


def l2normalize(v, eps=1e-12):
    return v / (v.norm() + eps)


class SpectralNorm(nn.Module):
    def __init__(self, module, name='weight', power_iterations=1):
        super(SpectralNorm, self).__init__()
        self.module = module
        self.name = name
        self.power_iterations = power_iterations
        if not self._made_params():
            self._make_params()

    def _update_u_v(self):
        u = getattr(self.module, self.name + "_u")
        v = getattr(self.module, self.name + "_v")
        w = getattr(self.module, self.name + "_bar")

        height = w.data.shape[0]
        for _ in range(self.power_iterations):
            v.data = l2normalize(torch.mv(torch.t(w.view(height,-1).data), u.data))
            u.data = l2normalize(torch.mv(w.view(height,-1).data, v.data))

        # sigma = torch.dot(u.data, torch.mv(w.view(height,-1).data, v.data))
        sigma = u.dot(w.view(height, -1).mv(v))
        setattr(self.module, self.name, w / sigma.expand_as(w))

    def _made_params(self):
        try:
            u = getattr(self.module, self.name + "_u")
            v = getattr(self.module, self.name + "_v")
            w = getattr(self.module, self.name + "_bar")
            return True
        except AttributeError:
            return False


    def _make_params(self):
        w = getattr(self.module, self.name)

        height = w.data.shape[0]
        width = w.view(height, -1).data.shape[1]

        u = Parameter(w.data.new(height).normal_(0, 1), requires_grad=False)
        v = Parameter(w.data.new(width).normal_(0, 1), requires_grad=False)
        u.data = l2normalize(u.data)
        v.data = l2normalize(v.data)
        w_bar = Parameter(w.data)

        del self.module._parameters[self.name]

        self.module.register_parameter(self.name + "_u", u)
        self.module.register_parameter(self.name + "_v", v)
        self.module.register_parameter(self.name + "_bar", w_bar)


    def forward(self, *args):
        self._update_u_v()
        return self.module.forward(*args)


channels = 3
leak = 0.1
w_g = 2

class Generator(nn.Module):
    def __init__(self, z_dim):
        super(Generator, self).__init__()
        self.z_dim = z_dim

        self.model = nn.Sequential(
            nn.ConvTranspose2d(z_dim, 16, 4, stride=1),
            nn.BatchNorm2d(16),
            nn.ReLU(),
            nn.ConvTranspose2d(16, 16, 4, stride=2, padding=(1,1)),
            nn.BatchNorm2d(16),
            nn.ReLU(),
            nn.ConvTranspose2d(16, 8, 4, stride=2, padding=(1,1)),
            nn.BatchNorm2d(8),
            nn.ReLU(),
            nn.ConvTranspose2d(8, channels, 3, stride=1, padding=(1,1)),
            nn.Tanh())

    def forward(self, z):
        return self.model(z.view(-1, self.z_dim, 1, 1))

class Discriminator(nn.Module):
    def __init__(self, SpectralNorm=SpectralNorm):
        super(Discriminator, self).__init__()

        self.conv1 = SpectralNorm(nn.Conv2d(channels, 8, 3, stride=1, padding=(1,1)))

        self.conv2 = SpectralNorm(nn.Conv2d(8, 8, 4, stride=2, padding=(1,1)))
        self.conv3 = SpectralNorm(nn.Conv2d(8, 16, 3, stride=1, padding=(1,1)))
        self.conv4 = SpectralNorm(nn.Conv2d(16, 16, 4, stride=2, padding=(1,1)))
        self.conv5 = SpectralNorm(nn.Conv2d(16, 16, 3, stride=1, padding=(1,1)))
        self.conv6 = SpectralNorm(nn.Conv2d(16, 16, 4, stride=2, padding=(1,1)))
        self.conv7 = SpectralNorm(nn.Conv2d(16, 16, 3, stride=1, padding=(1,1)))


        self.fc = SpectralNorm(nn.Linear(w_g * w_g * 16, 1))

    def forward(self, x):
        m = x
        m = nn.LeakyReLU(leak)(self.conv1(m))
        m = nn.LeakyReLU(leak)(self.conv2(m))
        m = nn.LeakyReLU(leak)(self.conv3(m))
        m = nn.LeakyReLU(leak)(self.conv4(m))
        m = nn.LeakyReLU(leak)(self.conv5(m))
        m = nn.LeakyReLU(leak)(self.conv6(m))
        m = nn.LeakyReLU(leak)(self.conv7(m))

        return self.fc(m.view(-1,w_g * w_g * 16))


parser = argparse.ArgumentParser()
parser.add_argument('--batch_size', type=int, default=8)
parser.add_argument('--lr', type=float, default=2e-4)
parser.add_argument('--momentum', type=float, default=0.5)
args = parser.parse_args()
torch.manual_seed(0)

images = torch.rand(3 * args.batch_size, 3, 16, 16) * 2 - 1
loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(images, torch.zeros(len(images))),
                                     batch_size=args.batch_size, shuffle=True, num_workers=0)

Z_dim = 16

discriminator = torch.nn.DataParallel(Discriminator())
generator = Generator(Z_dim)

optim_disc = optim.Adam(filter(lambda p: p.requires_grad, discriminator.parameters()), lr=args.lr, betas=(0.5,0.999))
optim_gen  = optim.Adam(generator.parameters(), lr=args.lr, betas=(0.5,0.999))
print(len(optim_disc.param_groups[0]['params']), len(list(discriminator.parameters())))


def train(epoch):
    discriminator.train()
    for batch_idx, (data, target) in enumerate(loader):
        if data.size()[0] != args.batch_size:
            continue
        data, target = Variable(data), Variable(target)
        z = Variable(torch.randn(args.batch_size, Z_dim))
        disc_loss = nn.BCEWithLogitsLoss()(discriminator(data), Variable(torch.ones(args.batch_size, 1))) + \
            nn.BCEWithLogitsLoss()(discriminator(generator(z)), Variable(torch.zeros(args.batch_size, 1)))
        disc_loss.backward()
        optim_disc.step()

        optim_disc.zero_grad()
        optim_gen.zero_grad()
        gen_loss = nn.BCEWithLogitsLoss()(discriminator(generator(z)), Variable(torch.ones(args.batch_size, 1)))
        gen_loss.backward()
        optim_gen.step()

        print('disc loss', '%.6f' % disc_loss.item(), 'gen loss', '%.6f' % gen_loss.item())


fixed_z = Variable(torch.randn(args.batch_size, Z_dim))
def evaluate(epoch):
    samples = generator(fixed_z).cpu().data.numpy()[:64]
    print(epoch, samples.shape, '%.5f %.5f' % (samples.mean(), samples.std()))


for epoch in range(2):
    train(epoch)
    evaluate(epoch)
print(discriminator.module.conv1.module.weight_u[:4])

# torch's own two spectral norms, on the same discriminator, trained two steps with the hinge loss
for name, sn in [('utils', torch.nn.utils.spectral_norm), ('parametrizations',
                                                           torch.nn.utils.parametrizations.spectral_norm)]:
    torch.manual_seed(1)
    D = Discriminator(SpectralNorm=sn)
    opt = optim.Adam(D.parameters(), lr=args.lr, betas=(0.0, 0.9))
    print(name, sorted(D.conv1.state_dict().keys()))
    for step in range(2):
        z = torch.randn(args.batch_size, Z_dim)
        d_loss = nn.ReLU()(1.0 - D(images[:8])).mean() + nn.ReLU()(1.0 + D(generator(z).detach())).mean()
        opt.zero_grad()
        d_loss.backward()
        opt.step()
        print(name, step, '%.6f' % d_loss.item())
    D.eval()
    with torch.no_grad():
        out = D(images[8:12])
    print(name, 'eval', out.view(-1))
    sd = D.state_dict()
    D2 = Discriminator(SpectralNorm=sn)
    D2.load_state_dict(sd)
    D2.eval()
    with torch.no_grad():
        print(name, 'reloaded', torch.allclose(D2(images[8:12]), out))
    sigma = torch.linalg.matrix_norm(D.fc.weight.detach(), ord=2)
    print(name, 'sigma of fc', '%.4f' % sigma.item())
