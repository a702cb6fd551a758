"""Audio by hand as librosa-free notebooks write it, on the corners audio_by_hand.py leaves: torch.stft /
torch.istft round trips with every window function torch has (hann, hamming, blackman, bartlett, kaiser,
periodic and symmetric), center True and False, pad modes, win_length shorter than n_fft, normalized,
onesided and two-sided (a complex signal), the length argument, return_complex=False's deprecated real view;
an STFT-domain Wiener filter with its gradient; fftshift/rfftfreq bookkeeping; resampling by a polyphase
conv1d with groups and by conv_transpose1d upsampling, and F.interpolate's linear resample for comparison;
the errors torch gives for a bad window, a missing return_complex and hop_length 0."""
import math

import torch
import torch.nn.functional as F

torch.manual_seed(0)


def r(t, k=6):
    return [round(v, 5) for v in t.detach().reshape(-1)[:k].tolist()]


sr = 800
t = torch.arange(0, 0.5, 1 / sr)
clean = torch.sin(2 * math.pi * 60 * t) + 0.5 * torch.sin(2 * math.pi * 170 * t + 0.3)
wave = torch.stack([clean, clean.flip(0) * 0.7]) + 0.05 * torch.randn(2, t.numel())
print("signal", tuple(wave.shape), r(wave))

windows = {
    "hann": torch.hann_window(64), "hann_sym": torch.hann_window(64, periodic=False),
    "hamming": torch.hamming_window(64), "hamming_ab": torch.hamming_window(64, True, 0.5, 0.5),
    "blackman": torch.blackman_window(64), "bartlett": torch.bartlett_window(64),
    "kaiser": torch.kaiser_window(64, True, 8.0), "kaiser_sym": torch.kaiser_window(64, periodic=False),
    "signal.gaussian": torch.signal.windows.gaussian(64, std=10.0),
    "signal.cosine": torch.signal.windows.cosine(64), "signal.nuttall": torch.signal.windows.nuttall(64),
}
for name, win in windows.items():
    print(f"window {name}", r(win, 4), round(win.sum().item(), 5))
    for center, pad_mode in ((True, "reflect"), (True, "constant"), (False, "reflect")):
        spec = torch.stft(wave, 64, hop_length=16, window=win, center=center, pad_mode=pad_mode,
                          return_complex=True)
        try:
            back = torch.istft(spec, 64, hop_length=16, window=win, center=center, length=wave.shape[-1])
            err = (back - wave).abs().max().item() if center else (back[:, 64:-64] - wave[:, 64:-64]).abs().max().item()
            print(f"   center={center} {pad_mode}: spec {tuple(spec.shape)} |S|={spec.abs().sum().item():.4f} "
                  f"roundtrip<1e-4 {err < 1e-4}")
        except RuntimeError as e:
            print(f"   center={center} {pad_mode}: spec {tuple(spec.shape)} istft RuntimeError {str(e)[:90]}")

win = torch.hann_window(48)
spec = torch.stft(wave, n_fft=64, hop_length=12, win_length=48, window=win, normalized=True,
                  return_complex=True)
print("win_length<n_fft normalized", tuple(spec.shape), r(spec.abs()), r(spec.angle()))
back = torch.istft(spec, n_fft=64, hop_length=12, win_length=48, window=win, normalized=True,
                   length=wave.shape[-1])
print("   roundtrip", (back - wave).abs().max().item() < 1e-4)
z = torch.complex(wave[0], wave[1])
spec2 = torch.stft(z, 32, hop_length=8, window=torch.hann_window(32), return_complex=True)
print("two-sided complex", tuple(spec2.shape), r(spec2.abs()))
back2 = torch.istft(spec2, 32, hop_length=8, window=torch.hann_window(32), onesided=False,
                    return_complex=True, length=z.numel())
print("   roundtrip complex", back2.dtype, (back2 - z).abs().max().item() < 1e-4)
real_view = torch.stft(wave[0], 32, hop_length=8, window=torch.hann_window(32), return_complex=False)
print("real view", tuple(real_view.shape), r(real_view))
print("no window", r(torch.stft(wave[0], 32, return_complex=True).abs()))

# -- a Wiener filter in the STFT domain, its gain learned by gradient ------------------------------------
noisy = wave[0] + 0.3 * torch.randn(t.numel())
Sn = torch.stft(noisy, 64, 16, window=torch.hann_window(64), return_complex=True)
Sc = torch.stft(wave[0], 64, 16, window=torch.hann_window(64), return_complex=True)
logit = torch.zeros(Sn.shape, requires_grad=True)
opt = torch.optim.Adam([logit], lr=0.3)
for step in range(25):
    mask = torch.sigmoid(logit)
    est = torch.istft(Sn * mask, 64, 16, window=torch.hann_window(64), length=t.numel())
    loss = F.mse_loss(est, wave[0])
    opt.zero_grad()
    loss.backward()
    opt.step()
    if step % 6 == 0:
        print(f"wiener step {step} loss {loss.item():.6f} grad {logit.grad.abs().sum().item():.5f}")
oracle = (Sc.abs() ** 2 / (Sc.abs() ** 2 + (Sn - Sc).abs() ** 2 + 1e-8))
print("oracle mask mean", round(oracle.mean().item(), 5))

freqs = torch.fft.rfftfreq(64, d=1 / sr)
peak = Sc.abs().mean(-1).argmax()
print("peak bin", peak.item(), "freq", freqs[peak].item(), "shifted", r(torch.fft.fftshift(torch.fft.fftfreq(8, 0.5))),
      r(torch.fft.ifftshift(torch.arange(7.0)), 7))

# -- resampling --------------------------------------------------------------------------------------------
def sinc_kernel(up, down, width=8):
    cutoff = min(up, down) / max(up, down) * 0.95
    idx = torch.arange(-width * up, width * up + 1, dtype=torch.float64) / up
    window = torch.cos(idx / width * math.pi / 2).pow(2)
    return (cutoff * torch.sinc(cutoff * idx) * window).float()


up, down = 3, 2
x = wave.unsqueeze(1)  # (batch, 1, time)
kern = sinc_kernel(up, down)
upsampled = torch.zeros(2, 1, x.shape[-1] * up)
upsampled[..., ::up] = x
y = F.conv1d(upsampled, kern.view(1, 1, -1) * up, padding=kern.numel() // 2)[..., ::down]
print("polyphase 3/2", tuple(y.shape), r(y))
ct = F.conv_transpose1d(x, kern.view(1, 1, -1) * up, stride=up, padding=kern.numel() // 2)
print("conv_transpose up x3", tuple(ct.shape), r(ct))
grouped = F.conv1d(x.expand(2, 3, -1).contiguous().view(1, 6, -1), torch.stack([kern] * 6).unsqueeze(1),
                   groups=6, stride=2)
print("grouped filterbank", tuple(grouped.shape), r(grouped))
print("linear resample", r(F.interpolate(x, scale_factor=1.5, mode="linear", align_corners=False)))
print("energy kept", round((y.pow(2).mean() / x.pow(2).mean()).item(), 4))

for bad in (lambda: torch.stft(wave, 64, window=torch.hann_window(32), return_complex=True),
            lambda: torch.stft(wave, 64),
            lambda: torch.stft(wave, 64, hop_length=0, return_complex=True),
            lambda: torch.stft(wave, 1000, return_complex=True, center=False),
            lambda: torch.istft(Sn, 64, 16, window=torch.ones(64), center=False),
            lambda: torch.istft(Sn.abs(), 64, 16),
            lambda: torch.stft(wave.unsqueeze(0).unsqueeze(0), 64, return_complex=True),
            lambda: torch.kaiser_window(-1),
            lambda: torch.hann_window(4, dtype=torch.int64)):
    try:
        out = bad()
        print("no error", tuple(out.shape))
    except Exception as e:  # noqa: BLE001
        print(type(e).__name__, (str(e).splitlines() or [""])[0][:200])
