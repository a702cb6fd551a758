"""torch.save / torch.load round trips a user writes: nested containers, weights_only errors for
custom classes, safe globals, state_dict surgery (strict=False, assign=True, non-persistent buffers)."""
import io
import os
import tempfile
import collections
import torch
import torch.nn as nn

torch.manual_seed(0)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(4, 8)
        self.bn = nn.BatchNorm1d(8)
        self.fc2 = nn.Linear(8, 2)
        self.register_buffer("scale", torch.tensor(2.0))
        self.register_buffer("cache", torch.zeros(3), persistent=False)

    def forward(self, x):
        return self.fc2(torch.relu(self.bn(self.fc1(x)))) * self.scale


net = Net()
sd = net.state_dict()
print(type(sd).__name__, list(sd.keys()))
print(sd["bn.num_batches_tracked"], sd["bn.num_batches_tracked"].dtype)
print(hasattr(sd, "_metadata"), sd._metadata[""] if hasattr(sd, "_metadata") else None)

obj = {"epoch": 3, "model": sd, "list": [torch.arange(3), (torch.ones(2, dtype=torch.float16), "s")],
       "od": collections.OrderedDict(a=torch.tensor([True, False])), "none": None, "f": 1.5,
       "shared": [sd["fc1.weight"], sd["fc1.weight"]], "view": sd["fc1.weight"][1:3],
       "dtype": torch.bfloat16, "size": torch.Size([2, 3]), "dev": torch.device("cpu"),
       "complex": torch.tensor([1 + 2j]), "int8": torch.tensor([-3, 4], dtype=torch.int8)}
buf = io.BytesIO()
torch.save(obj, buf)
buf.seek(0)
back = torch.load(buf)
print(sorted(back.keys()))
print(back["epoch"], back["list"], back["od"], back["none"], back["f"])
print(back["dtype"], back["size"], back["dev"], back["complex"], back["int8"])
print(back["shared"][0] is back["shared"][1], back["shared"][0].data_ptr() == back["model"]["fc1.weight"].data_ptr())
print(back["view"].shape, back["view"].storage_offset(), back["view"].untyped_storage().nbytes())
print(torch.equal(back["view"], sd["fc1.weight"][1:3]))
print(type(back["od"]).__name__, type(back["model"]).__name__)

with tempfile.TemporaryDirectory() as d:
    path = os.path.join(d, "ckpt.pt")
    torch.save({"model": net.state_dict(), "opt": torch.optim.Adam(net.parameters()).state_dict()}, path)
    ck = torch.load(path, weights_only=True)
    print(ck["opt"])
    ck2 = torch.load(path, map_location="cpu", mmap=True)
    print(ck2["model"]["scale"])


class Config:
    def __init__(self, lr):
        self.lr = lr


buf = io.BytesIO()
torch.save({"cfg": Config(0.1), "w": torch.ones(1)}, buf)
buf.seek(0)
try:
    torch.load(buf)
except Exception as e:
    print(type(e).__name__, str(e).splitlines()[0])
    print([line for line in str(e).splitlines() if "Unsupported global" in line])
buf.seek(0)
print(torch.load(buf, weights_only=False)["cfg"].lr)
buf.seek(0)
with torch.serialization.safe_globals([Config]):
    print(torch.load(buf)["cfg"].lr)
print(torch.serialization.get_unsafe_globals_in_checkpoint(io.BytesIO(buf.getvalue())))

# state_dict surgery
new = Net()
sd = net.state_dict()
sd["extra.weight"] = torch.zeros(1)
del sd["fc2.bias"]
res = new.load_state_dict(sd, strict=False)
print(res)
print(res.missing_keys, res.unexpected_keys)
try:
    new.load_state_dict(sd)
except RuntimeError as e:
    print(e)
bad = net.state_dict()
bad["fc1.weight"] = torch.zeros(3, 3)
try:
    new.load_state_dict(bad)
except RuntimeError as e:
    print(e)
try:
    new.load_state_dict(bad, strict=False)
except RuntimeError as e:
    print(e)
with torch.device("meta"):
    meta = Net()
print(meta.fc1.weight.device, meta.fc1.weight)
meta.load_state_dict(net.state_dict(), assign=True)
print(meta.fc1.weight.device, meta.fc1.weight.requires_grad, type(meta.fc1.weight).__name__)
print(torch.equal(meta.fc1.weight, net.fc1.weight), meta.cache.device)
m2 = Net()
m2.load_state_dict(net.state_dict())
print(m2.fc1.weight.data_ptr() == net.fc1.weight.data_ptr())
# prefix stripping as users do for DataParallel checkpoints
dp = {"module." + k: v for k, v in net.state_dict().items()}
torch.nn.modules.utils.consume_prefix_in_state_dict_if_present(dp, "module.")
print(list(dp)[:3], Net().load_state_dict(dp))
print(net.fc1.weight.dtype, net.half().fc1.weight.dtype, net.fc1.weight.dtype)
net.float()
for name, b in net.named_buffers():
    print(name, b.dtype, b.shape)
print(net.get_buffer("bn.running_mean").shape, net.get_parameter("fc2.bias").shape, net.get_submodule("bn"))
# module save
buf = io.BytesIO()
torch.save(net, buf)
buf.seek(0)
try:
    torch.load(buf)
except Exception as e:
    print(type(e).__name__, str(e).splitlines()[0])
buf.seek(0)
whole = torch.load(buf, weights_only=False)
print(type(whole).__name__, whole.cache, torch.equal(whole(torch.ones(2, 4)), net(torch.ones(2, 4))))
