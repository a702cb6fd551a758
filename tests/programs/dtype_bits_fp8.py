"""Bit-level tensor code as low-precision training and graphics scripts write it: Quake's fast inverse square
root through .view(torch.int32), bfloat16 rounding by integer ops (round-to-nearest-even on the float32
bits, as emulation code does), float8 casts as FP8 training simulators use them (float8_e4m3fn and
float8_e5m2: per-tensor amax scaling, saturation, their finfo), the unsigned types torch 2.3 added (uint16,
uint32, uint64: arithmetic, shifts, sums, promotion), bit tricks (popcount by shifts and masks, bitwise_left/
right_shift, xor hashing as in a hash embedding), iinfo/finfo tables, and image-style uint8 code (to float /255,
clamp, round back, wrap-around)."""
import torch

x = torch.tensor([0.25, 1.0, 2.0, 10.0, 1e-3, 12345.678])


def fast_inv_sqrt(number):
    threehalfs = 1.5
    x2 = number * 0.5
    i = number.view(torch.int32)
    i = 0x5F3759DF - (i >> 1)
    y = i.view(torch.float32)
    y = y * (threehalfs - (x2 * y * y))
    return y


print("fast inv sqrt", fast_inv_sqrt(x).tolist())
print("true", x.rsqrt().tolist())


def to_bf16_bits(f32):
    bits = f32.view(torch.int32)
    lsb = (bits >> 16) & 1
    rounded = bits + 0x7FFF + lsb
    return (rounded >> 16).to(torch.int16)


def bf16_bits_to_f32(b16):
    return (b16.to(torch.int32) << 16).view(torch.float32)


vals = torch.tensor([1.0, 1.00390625, 1.01171875, -3.14159, 65504.0, 1e-30, 3.3895e38])
emulated = bf16_bits_to_f32(to_bf16_bits(vals))
print("bf16 emulated", emulated.tolist())
print("bf16 torch   ", vals.bfloat16().float().tolist())
print("bf16 bits", vals.bfloat16().view(torch.int16).tolist(), to_bf16_bits(vals).tolist())
print("float16 bits", vals.half().view(torch.int16).tolist())
print("float64 bits", torch.tensor([1.0, -2.5], dtype=torch.float64).view(torch.int64).tolist())
print("bytes", torch.tensor([1.0]).view(torch.uint8).tolist(), torch.tensor([1, 2], dtype=torch.int16).view(torch.uint8).tolist())
print("view shape", torch.zeros(2, 4).view(torch.float16).shape, torch.zeros(2, 4, dtype=torch.int8).view(torch.int32).shape)

# FP8 (per-tensor scaling as in Transformer Engine / torchao's float8 recipes)
for f8 in (torch.float8_e4m3fn, torch.float8_e5m2):
    fi = torch.finfo(f8)
    print(f8, fi.max, fi.min, fi.eps, fi.tiny, fi.bits, fi.resolution)
    w = torch.linspace(-600, 600, 13)
    print("  cast", w.to(f8).float().tolist())
    amax = w.abs().max()
    scale = fi.max / amax
    q = (w * scale).clamp(-fi.max, fi.max).to(f8)
    print("  scaled", (q.float() / scale).tolist())
    small = torch.tensor([1e-3, 2e-3, 0.013, 0.1, 0.33, 1.0 / 3, 448.0, 449.0, 464.0, 57344.0])
    print("  small", small.to(f8).float().tolist())
    print("  bits", small.to(f8).view(torch.uint8).tolist())
print("e4m3 nan", torch.tensor([float("inf"), float("nan"), -0.0]).to(torch.float8_e4m3fn).float().tolist())
print("e5m2 inf", torch.tensor([float("inf"), 1e6, -0.0]).to(torch.float8_e5m2).float().tolist())

# unsigned integer types: torch 2.13 has some ops for them (bitwise and, sum, products, casts, sorting), others
# raise NotImplementedError; a script probing them prints which


def attempt(fn):
    try:
        out = fn()
        return out.tolist() if isinstance(out, torch.Tensor) else [t.tolist() for t in out]
    except Exception as e:
        return f"{type(e).__name__}: {e}"


for dt in (torch.uint16, torch.uint32, torch.uint64):
    info = torch.iinfo(dt)
    a = torch.tensor([0, 1, 1000, info.max], dtype=dt)
    print(dt, info.min, info.max, info.bits, a.tolist(), a.dtype.itemsize, a.dtype.is_signed)
    for name, fn in [("and", lambda: a & 0xFF), ("or", lambda: a | 1), ("sum", lambda: a[:3].sum()),
                     ("mul", lambda: a[:3] * 3), ("max", lambda: a.max()), ("float", lambda: a[:3].float()),
                     ("add", lambda: a + 1), ("eq", lambda: a == 1), ("cumsum", lambda: a[:3].cumsum(0)),
                     ("sort", lambda: a.sort()), ("floordiv", lambda: a // 3), ("rem", lambda: a % 3),
                     ("int64", lambda: a[:3].to(torch.int64)), ("cat", lambda: torch.cat([a, a])),
                     ("index", lambda: a[[0, 2]]), ("where", lambda: torch.where(a > 0, a, a)),
                     ("shift", lambda: a >> 1), ("neg", lambda: -a), ("prod", lambda: a[1:3].prod()),
                     ("from float", lambda: torch.tensor([3.7, 1e10]).to(dt)), ("argmax", lambda: a.argmax()),
                     ("unique", lambda: a.unique()), ("abs", lambda: a.abs()), ("fill", lambda: a.clone().fill_(7)),
                     ("zeros", lambda: torch.zeros(2, dtype=dt)), ("arange", lambda: torch.arange(3, dtype=dt))]:
        print(f"  {name:10s} {attempt(fn)}")
print("promote", attempt(lambda: torch.tensor([1], dtype=torch.uint16) + torch.tensor([1], dtype=torch.int16)),
      torch.promote_types(torch.uint8, torch.int8), (torch.tensor([250], dtype=torch.uint8) + 10).tolist(),
      (torch.tensor([5], dtype=torch.uint8) - 10).tolist())
for dt in (torch.int8, torch.uint8, torch.int16, torch.int32, torch.int64):
    print(dt, torch.iinfo(dt).min, torch.iinfo(dt).max)
for dt in (torch.float16, torch.bfloat16, torch.float32, torch.float64):
    fi = torch.finfo(dt)
    print(dt, fi.eps, fi.max, fi.tiny, fi.smallest_normal, fi.resolution, fi.bits)


def popcount32(v):
    v = v - ((v >> 1) & 0x55555555)
    v = (v & 0x33333333) + ((v >> 2) & 0x33333333)
    v = (v + (v >> 4)) & 0x0F0F0F0F
    return (v * 0x01010101 & 0xFFFFFFFF) >> 24


ints = torch.tensor([0, 1, 255, 1023, 2 ** 31 - 1, 12345], dtype=torch.int64)
print("popcount", popcount32(ints).tolist())
print("shifts", torch.bitwise_left_shift(ints, 3).tolist(), torch.bitwise_right_shift(ints, 2).tolist(),
      (ints << torch.tensor([1, 2, 3, 4, 5, 6])).tolist())
print("int32 shift wrap", (torch.tensor([2 ** 30], dtype=torch.int32) << 1).tolist(),
      (torch.tensor([-8], dtype=torch.int32) >> 1).tolist())


def hash_ids(ids, num_buckets, seed):
    h = ids * 0x9E3779B1 + seed
    h = h ^ (h >> 15)
    h = (h * 0x85EBCA77) & 0xFFFFFFFF
    return h % num_buckets


tokens = torch.tensor([3, 17, 99, 1024, 65535])
print("hash buckets", hash_ids(tokens, 1000, 1).tolist(), hash_ids(tokens, 1000, 2).tolist())
print("xor/not", (tokens ^ 0xFF).tolist(), (~tokens).tolist(), torch.bitwise_not(torch.tensor([True, False])).tolist())

img = torch.tensor([[0, 17, 128], [200, 254, 255]], dtype=torch.uint8)
f = img.float() / 255
brighter = (f * 1.3).clamp(0, 1)
back = (brighter * 255).round().to(torch.uint8)
print("uint8 image", back.tolist(), (img + 10).tolist(), img.to(torch.int8).tolist(), (img // 3).tolist())
print("mean", img.float().mean().item(), img.sum().item(), img.sum().dtype, img.max().item(), img.double().std().item())
print("uint8 from float", torch.tensor([-1.0, 255.6, 256.0, 300.0]).to(torch.uint8).tolist())
