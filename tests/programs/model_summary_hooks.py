"""What pytorch-summary / torchinfo / fvcore-style scripts do to inspect a model, written as their users
copy them: a summary table from forward hooks (output shapes, parameter counts, trainable or not), a FLOP
count of Conv2d/Linear from hook inputs and outputs, activation statistics collected by hooks and removed
by their handles, a feature extractor by forward hooks on named_modules, parameters_to_vector and back,
freezing a backbone by requires_grad_, per-parameter-group learning rates, and the size of a state_dict
in bytes (element_size * nelement)."""
from collections import OrderedDict

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils import parameters_to_vector, vector_to_parameters

torch.manual_seed(0)


class SmallNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(inplace=True), nn.MaxPool2d(2),
            nn.Conv2d(8, 16, 3, padding=1, groups=2), nn.BatchNorm2d(16), nn.ReLU(inplace=True),
            nn.AdaptiveAvgPool2d((2, 2)))
        self.classifier = nn.Sequential(nn.Flatten(), nn.Dropout(0.2), nn.Linear(64, 32), nn.ReLU(),
                                        nn.Linear(32, 10))

    def forward(self, x):
        return self.classifier(self.features(x))


def summary(model, input_size, batch_size=-1):
    result = OrderedDict()
    hooks = []

    def register_hook(module):
        def hook(module, input, output):
            class_name = str(module.__class__).split(".")[-1].split("'")[0]
            module_idx = len(result)
            m_key = "%s-%i" % (class_name, module_idx + 1)
            result[m_key] = OrderedDict()
            result[m_key]["input_shape"] = list(input[0].size())
            result[m_key]["input_shape"][0] = batch_size
            result[m_key]["output_shape"] = list(output.size())
            result[m_key]["output_shape"][0] = batch_size
            params = 0
            if hasattr(module, "weight") and hasattr(module.weight, "size"):
                params += torch.prod(torch.LongTensor(list(module.weight.size())))
                result[m_key]["trainable"] = module.weight.requires_grad
            if hasattr(module, "bias") and hasattr(module.bias, "size"):
                params += torch.prod(torch.LongTensor(list(module.bias.size())))
            result[m_key]["nb_params"] = params

        if not isinstance(module, nn.Sequential) and not isinstance(module, nn.ModuleList) and not (module == model):
            hooks.append(module.register_forward_hook(hook))

    x = torch.rand(2, *input_size).type(torch.FloatTensor)
    model.apply(register_hook)
    model(x)
    for h in hooks:
        h.remove()
    print("----------------------------------------------------------------")
    line_new = "{:>20}  {:>25} {:>15}".format("Layer (type)", "Output Shape", "Param #")
    print(line_new)
    print("================================================================")
    total_params = 0
    total_output = 0
    trainable_params = 0
    for layer in result:
        line_new = "{:>20}  {:>25} {:>15}".format(
            layer, str(result[layer]["output_shape"]), "{0:,}".format(int(result[layer]["nb_params"])))
        total_params += result[layer]["nb_params"]
        total_output += torch.prod(torch.tensor(result[layer]["output_shape"][1:])).item()
        if "trainable" in result[layer]:
            if result[layer]["trainable"]:
                trainable_params += result[layer]["nb_params"]
        print(line_new)
    print("================================================================")
    print("Total params: {0:,}".format(int(total_params)))
    print("Trainable params: {0:,}".format(int(trainable_params)))
    print("Non-trainable params: {0:,}".format(int(total_params - trainable_params)))
    print("Forward/backward pass size (MB): %0.4f" % abs(2. * total_output * 4. / (1024 ** 2.)))
    return total_params


model = SmallNet()
summary(model, (3, 16, 16))

# FLOPs of convolutions and linears, counted by hooks
flops = {}


def conv_flops(m, inp, out):
    k = m.kernel_size[0] * m.kernel_size[1] * (m.in_channels // m.groups)
    flops[m] = out.numel() * k * 2


def linear_flops(m, inp, out):
    flops[m] = inp[0].numel() * m.out_features * 2


handles = []
for name, m in model.named_modules():
    if isinstance(m, nn.Conv2d):
        handles.append(m.register_forward_hook(conv_flops))
    elif isinstance(m, nn.Linear):
        handles.append(m.register_forward_hook(linear_flops))
model.eval()
with torch.no_grad():
    model(torch.randn(1, 3, 16, 16))
for h in handles:
    h.remove()
print("MFLOPs", sum(flops.values()) / 1e6, [type(m).__name__ for m in flops])

# a feature extractor: the named activations, with their statistics
feats = {}


def save_to(name):
    def hook(module, inp, out):
        feats[name] = out.detach()
    return hook


wanted = {"features.2": "relu1", "features.7": "pooled", "classifier.3": "hidden"}
handles = [dict(model.named_modules())[n].register_forward_hook(save_to(v)) for n, v in wanted.items()]
logits = model(torch.randn(4, 3, 16, 16))
for h in handles:
    h.remove()
for name, f in feats.items():
    print(name, tuple(f.shape), f"{f.mean().item():.5f}", f"{(f == 0).float().mean().item():.4f}")
model(torch.randn(1, 3, 16, 16))
print(len(feats), model.features[2]._forward_hooks == OrderedDict())

# parameters as one vector, and back
vec = parameters_to_vector(model.parameters())
print(vec.shape, vec.norm().round(decimals=4))
vector_to_parameters(torch.zeros_like(vec), model.parameters())
print(sum(p.abs().sum().item() for p in model.parameters()))
vector_to_parameters(vec, model.parameters())

# freeze the backbone, train the head with its own learning rate
model.train()
for p in model.features.parameters():
    p.requires_grad_(False)
opt = torch.optim.SGD([{"params": [p for p in model.parameters() if p.requires_grad], "lr": 0.1},
                       {"params": model.features.parameters(), "lr": 0.0}], momentum=0.9)
x, y = torch.randn(32, 3, 16, 16), torch.randint(0, 10, (32,))
before = model.features[0].weight.clone()
for step in range(5):
    loss = F.cross_entropy(model(x), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(step, round(loss.item(), 5))
print(torch.equal(before, model.features[0].weight), model.features[0].weight.grad is None,
      [g["lr"] for g in opt.param_groups])
summary(model, (3, 16, 16))
size = sum(t.element_size() * t.nelement() for t in model.state_dict().values())
print("state_dict bytes", size, len(model.state_dict()), model.features[1].num_batches_tracked.dtype)
