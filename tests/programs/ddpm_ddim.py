# adapted from B-LED-LUE/DDPM_DDIM_MNIST-study (noise_schedule.py, Time_Embedding.py, ResBlock.py, Unet.py,
# forward_process.py, DDIM_with_diff_par.py): channels and image size shrunk, MNIST replaced by random images
import math
import sys
import torch
import torch.nn as nn
import torch.nn.functional as F

device = sys.argv[1] if len(sys.argv) > 1 else "cpu"
C = 8


class DDPM(nn.Module):
  def __init__(self, T=1000 ,beta_start=1e-4, beta_end=0.02, device=device):
    super().__init__()
    self.T = T
    self.betas = torch.linspace(beta_start, beta_end, T, device=device)
    self.alphas = 1 - self.betas
    self.alphas_bars = torch.cumprod(self.alphas, dim=0)
    self.sqrt_alphas_bars = torch.sqrt(self.alphas_bars)
    self.sqrt_one_minus_alphas_bars = torch.sqrt(1-self.alphas_bars)

  def forward(self, x0 ,t):
    noise = torch.randn_like(x0)
    sqrt_alphas_bars = self.sqrt_alphas_bars[t].view(-1,1,1,1)
    sqrt_one_minus_alphas_bars = self.sqrt_one_minus_alphas_bars[t].view(-1,1,1,1)
    return sqrt_alphas_bars * x0 + sqrt_one_minus_alphas_bars * noise, noise


class TimeEmbedding(nn.Module):
  def __init__(self, dim):
    super().__init__()
    self.dim = dim
    self.mlp = nn.Sequential(nn.Linear(dim, dim*4), nn.SiLU(), nn.Linear(dim*4, dim))

  def forward(self, t):
    device = t.device
    half_dim = self.dim // 2
    x = math.log(10000)/(half_dim - 1)
    x = torch.exp(torch.arange(half_dim, device = device)*-x)
    x = t[:,None]*x[None,:]
    x = torch.cat((x.sin(),x.cos()), dim = -1)
    return self.mlp(x)


class ResBlock(nn.Module):
  def __init__(self, in_ch, out_ch, time_dim):
    super().__init__()
    self.time_mlp = nn.Sequential(nn.SiLU(), nn.Linear(time_dim, out_ch))
    self.conv1 = nn.Sequential(nn.Conv2d(in_ch, out_ch, 3, padding = 1), nn.GroupNorm(8, out_ch), nn.SiLU())
    self.conv2 = nn.Sequential(nn.Conv2d(out_ch, out_ch, 3, padding = 1), nn.GroupNorm(8, out_ch), nn.SiLU())
    self.shortcut = nn.Conv2d(in_ch, out_ch, 1) if in_ch != out_ch else nn.Identity()

  def forward(self, x, t_emb):
    h = self.conv1(x)
    t_emb_refined = self.time_mlp(t_emb).view(-1, h.shape[1],1,1)
    h = h + t_emb_refined
    h = self.conv2(h)
    return h + self.shortcut(x)


class UNet(nn.Module):
  def __init__(self, in_ch = 1, time_dim = 16):
    super().__init__()
    self.time_mlp = TimeEmbedding(time_dim)
    self.init_conv = nn.Conv2d(in_ch, C, 3,padding=1)
    self.down1 = ResBlock(C, 2*C, time_dim)
    self.pool1 = nn.Conv2d(2*C, 2*C, 3, stride = 2, padding = 1)
    self.down2 = ResBlock(2*C, 4*C, time_dim)
    self.pool2 = nn.Conv2d(4*C,4*C,3, stride = 2, padding = 1)
    self.mid1 = ResBlock(4*C, 8*C, time_dim)
    self.mid2 = ResBlock(8*C, 4*C, time_dim)
    self.up1 = nn.Upsample(scale_factor = 2, mode = 'bilinear')
    self.up_res1 = ResBlock(4*C + 4*C, 2*C, time_dim)
    self.up2 = nn.Upsample(scale_factor = 2, mode = 'bilinear')
    self.up_res2 = ResBlock(2*C + 2*C, C, time_dim)
    self.out_conv = nn.Conv2d(C, in_ch, 1)

  def forward(self, x, t):
    t_emb = self.time_mlp(t)
    x1 = self.init_conv(x)
    x2 = self.down1(x1, t_emb)
    x3 = self.pool1(x2)
    x4 = self.down2(x3, t_emb)
    x5 = self.pool2(x4)
    x6 = self.mid1(x5, t_emb)
    x7 = self.mid2(x6, t_emb)
    x = self.up1(x7)
    x = torch.cat([x,x4],dim=1)
    x = self.up_res1(x,t_emb)
    x = self.up2(x)
    x = torch.cat([x,x2],dim=1)
    x = self.up_res2(x,t_emb)
    return self.out_conv(x)


def forward_process(model,data, noise, epochs=40,device= device):
  model.to(device)
  optimizer = torch.optim.AdamW(model.parameters(), lr = 1e-4)
  print("start")
  for epoch in range(epochs):
    model.train()
    epoch_loss = 0
    for x0,_ in data:
      x0 = x0.to(device)
      t = torch.randint(0, noise.T, (x0.shape[0],), device = device)
      xt, noise_t = noise(x0, t)
      pred = model(xt, t)
      loss = F.mse_loss(pred, noise_t)
      optimizer.zero_grad()
      loss.backward()
      optimizer.step()
      epoch_loss += loss.item()
    print(f"Epoch[{epoch+1}/{epochs}]| Loss: {loss.item():.6f}")


@torch.no_grad()
def reverse_process_DDIM(model, noise, device, n,steps = 5,eta=0.3):
  model.eval()
  batch_size = n
  xt = torch.randn(batch_size,1,8,8,device = device)
  t = torch.linspace(noise.T-1, 0, steps, device=device).long()
  t_section = list(zip(t[:-1],t[1:]))
  for t_start, t_end in t_section:
    eps = torch.randn_like(xt, device = device)
    t_batch = torch.full((batch_size,), t_start, device = device).long()
    pred_eps = model(xt, t_batch)
    alpha_bar_t = noise.alphas_bars[t_start]
    alpha_bar_t_minus_one = noise.alphas_bars[t_end]
    pred_x0 = (xt - torch.sqrt(1-alpha_bar_t) * pred_eps) / torch.sqrt(alpha_bar_t)
    sigma_t = eta*((1-alpha_bar_t_minus_one)/(1-alpha_bar_t))*((alpha_bar_t_minus_one-alpha_bar_t)/alpha_bar_t_minus_one)
    xt = (torch.sqrt(alpha_bar_t_minus_one)*pred_x0
    + torch.sqrt(1-alpha_bar_t_minus_one-sigma_t)*pred_eps
    + torch.sqrt(sigma_t)*eps)
  xt = (xt+1)/2
  xt = xt.clamp(0,1)
  print(xt.shape, xt.mean().item(), xt[0, 0, 0, :4].tolist())


torch.manual_seed(0)
images = torch.rand(8, 1, 8, 8) * 2 - 1
data = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(images, torch.zeros(8)), batch_size=4, shuffle=True)
model = UNet(in_ch = 1, time_dim = 16).to(device)
noise = DDPM(T=100, beta_start = 1e-4, beta_end=0.02, device = device)
forward_process(model, data, noise, epochs=2, device= device)
reverse_process_DDIM(model, noise, device, 2, steps=4, eta=0.3)
