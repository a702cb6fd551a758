"""torch.hub with a local hubconf.py (tests/programs/hubrepo/) (as pytorch/vision's hubconf, loaded with source='local' the way a
cloned repo is used offline): entry points with arguments, a pretrained checkpoint it reads, the
errors of a missing entry point, a bad source, a missing dependency; then a short fine-tune of the model."""
import os
import sys
import tempfile

import torch
import torch.nn.functional as F

here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "hubrepo")
torch.manual_seed(0)
model = torch.hub.load(here, "tiny_cnn", source="local", channels=6)
print(model)
checkpoint = os.path.join(tempfile.mkdtemp(), "tiny_cnn.pt")
torch.save(model.state_dict(), checkpoint)
again = torch.hub.load(here, "tiny_cnn", checkpoint=checkpoint, channels=6, source="local")
x = torch.randn(5, 1, 8, 8)
print(torch.equal(model(x), again(x)), here in sys.path)
print(torch.hub.load(here, "mlp", (3, 5, 5, 1), source="Local"))
for bad in [lambda: torch.hub.load(here, "nothing", source="local"),
            lambda: torch.hub.load(here, "_helper2", source="local"),
            lambda: torch.hub.load(here, 3, source="local"),
            lambda: torch.hub.load(here, "mlp", source="gitlab")]:
    try:
        bad()
    except (RuntimeError, ValueError) as e:
        print(type(e).__name__, e)

with tempfile.TemporaryDirectory() as d:
    with open(os.path.join(d, "hubconf.py"), "w") as f:
        f.write("dependencies = ['torch', 'surely_not_installed_pkg']\ndef m():\n    return 1\n")
    try:
        torch.hub.load(d, "m", source="local")
    except RuntimeError as e:
        print(type(e).__name__, e)

opt = torch.optim.SGD(again.parameters(), lr=0.1, momentum=0.9)
y = torch.randint(0, 3, (5,))
for step in range(6):
    loss = F.cross_entropy(again(x), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(step, round(loss.item(), 4))
os.remove(checkpoint)
