"""LoRA fine-tuning of a small MLP, the way the popular from-scratch write-ups do it (Sebastian Raschka's
"Code LoRA from Scratch" LinearWithLoRA / LoRALayer, and the torch.nn.utils.parametrize variant of the
"LoRA from scratch" YouTube/blog code by Umar Jamil): pretrain, freeze, wrap the Linear layers, train only A
and B, count trainable parameters, merge the update into the weights, save/load only the LoRA state."""
import io
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.nn.utils.parametrize as parametrize

torch.manual_seed(123)


class LoRALayer(torch.nn.Module):
    def __init__(self, in_dim, out_dim, rank, alpha):
        super().__init__()
        std_dev = 1 / torch.sqrt(torch.tensor(rank).float())
        self.A = torch.nn.Parameter(torch.randn(in_dim, rank) * std_dev)
        self.B = torch.nn.Parameter(torch.zeros(rank, out_dim))
        self.alpha = alpha

    def forward(self, x):
        x = self.alpha * (x @ self.A @ self.B)
        return x


class LinearWithLoRA(torch.nn.Module):
    def __init__(self, linear, rank, alpha):
        super().__init__()
        self.linear = linear
        self.lora = LoRALayer(
            linear.in_features, linear.out_features, rank, alpha
        )

    def forward(self, x):
        return self.linear(x) + self.lora(x)


class LinearWithLoRAMerged(torch.nn.Module):
    def __init__(self, linear, rank, alpha):
        super().__init__()
        self.linear = linear
        self.lora = LoRALayer(
            linear.in_features, linear.out_features, rank, alpha
        )

    def forward(self, x):
        lora = self.lora.A @ self.lora.B  # Combine LoRA matrices
        # Then combine LoRA with orig. weights
        combined_weight = self.linear.weight + self.lora.alpha * lora.T
        return F.linear(x, combined_weight, self.linear.bias)


class MultilayerPerceptron(nn.Module):
    def __init__(self, num_features, num_hidden_1, num_hidden_2, num_classes):
        super().__init__()
        self.layers = nn.Sequential(
            nn.Linear(num_features, num_hidden_1),
            nn.ReLU(),
            nn.Linear(num_hidden_1, num_hidden_2),
            nn.ReLU(),
            nn.Linear(num_hidden_2, num_classes)
        )

    def forward(self, x):
        x = self.layers(x)
        return x


def make_task(shift):
    g = torch.Generator().manual_seed(10 + shift)
    x = torch.randn(256, 20, generator=g)
    w = torch.randn(20, 4, generator=g)
    return x, (x @ w + shift * x[:, :4]).argmax(1)


def train(model, x, y, epochs, lr, name):
    optimizer = torch.optim.Adam(filter(lambda p: p.requires_grad, model.parameters()), lr=lr)
    for epoch in range(epochs):
        for i in range(0, len(x), 64):
            logits = model(x[i:i + 64])
            loss = F.cross_entropy(logits, y[i:i + 64])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        with torch.no_grad():
            acc = (model(x).argmax(1) == y).float().mean()
        print(f"{name} epoch {epoch + 1:02d} loss {loss:.4f} acc {acc * 100:.2f}%")


def count_parameters(model):
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


model = MultilayerPerceptron(20, 32, 16, 4)
x0, y0 = make_task(0)
train(model, x0, y0, 3, 5e-3, "pretrain")
x1, y1 = make_task(3)
print(f"Total number of trainable parameters: {count_parameters(model):,}")

layer = nn.Linear(10, 2)
x = torch.randn((1, 10))
print("Original output:", layer(x))
layer_lora_1 = LinearWithLoRA(layer, rank=2, alpha=4)
print("LoRA output:", layer_lora_1(x))
layer_lora_2 = LinearWithLoRAMerged(layer, rank=2, alpha=4)
print("LoRA output:", layer_lora_2(x))

model.layers[0] = LinearWithLoRAMerged(model.layers[0], rank=4, alpha=8)
model.layers[2] = LinearWithLoRAMerged(model.layers[2], rank=4, alpha=8)
model.layers[4] = LinearWithLoRAMerged(model.layers[4], rank=4, alpha=8)
print(model)


def freeze_linear_layers(model):
    for child in model.children():
        if isinstance(child, nn.Linear):
            for param in child.parameters():
                param.requires_grad = False
        else:
            # Recursively freeze linear layers in children modules
            freeze_linear_layers(child)


freeze_linear_layers(model)
for name, param in model.named_parameters():
    print(f"{name}: {param.requires_grad}")
print(f"Total number of trainable parameters: {count_parameters(model):,}")
train(model, x1, y1, 4, 1e-2, "lora")

lora_state = {k: v for k, v in model.state_dict().items() if "lora" in k}
buf = io.BytesIO()
torch.save(lora_state, buf)
buf.seek(0)
print(sorted(torch.load(buf, weights_only=True)))


# the parametrize variant: W + (B @ A) * scale as a parametrization of the frozen weight
class LoRAParametrization(nn.Module):
    def __init__(self, features_in, features_out, rank=1, alpha=1, device='cpu'):
        super().__init__()
        self.lora_A = nn.Parameter(torch.zeros((rank, features_out)).to(device))
        self.lora_B = nn.Parameter(torch.zeros((features_in, rank)).to(device))
        nn.init.normal_(self.lora_A, mean=0, std=1)
        self.scale = alpha / rank
        self.enabled = True

    def forward(self, original_weights):
        if self.enabled:
            return original_weights + torch.matmul(self.lora_B, self.lora_A).view(original_weights.shape) * self.scale
        else:
            return original_weights


def linear_layer_parameterization(layer, device, rank=1, lora_alpha=1):
    features_in, features_out = layer.weight.shape
    return LoRAParametrization(features_in, features_out, rank=rank, alpha=lora_alpha, device=device)


net = MultilayerPerceptron(20, 32, 16, 4)
train(net, x0, y0, 2, 5e-3, "pretrain2")
original_weights = {name: param.clone().detach() for name, param in net.named_parameters()}
for lin in (net.layers[0], net.layers[2], net.layers[4]):
    parametrize.register_parametrization(lin, "weight", linear_layer_parameterization(lin, "cpu"))


def enable_disable_lora(enabled=True):
    for lin in (net.layers[0], net.layers[2], net.layers[4]):
        lin.parametrizations["weight"][0].enabled = enabled


total_parameters_lora = 0
total_parameters_non_lora = 0
for index, layer in enumerate([net.layers[0], net.layers[2], net.layers[4]]):
    total_parameters_lora += layer.parametrizations["weight"][0].lora_A.nelement() + \
        layer.parametrizations["weight"][0].lora_B.nelement()
    total_parameters_non_lora += layer.weight.nelement() + layer.bias.nelement()
    print(f'Layer {index + 1}: W: {layer.weight.shape} + B: {layer.bias.shape} + '
          f'Lora_A: {layer.parametrizations["weight"][0].lora_A.shape} + '
          f'Lora_B: {layer.parametrizations["weight"][0].lora_B.shape}')
print(f'Total number of parameters (original): {total_parameters_non_lora:,}')
print(f'Total number of parameters (original + LoRA): {total_parameters_lora + total_parameters_non_lora:,}')
print(f'Parameters introduced by LoRA: {total_parameters_lora:,}')
parameters_introduction = (total_parameters_lora / total_parameters_non_lora) * 100
print(f'Parameters incremment: {parameters_introduction:.3f}%')

for name, param in net.named_parameters():
    if 'lora' not in name:
        print(f'Freezing non-LoRA parameter {name}')
        param.requires_grad = False
train(net, x1, y1, 3, 1e-2, "lora2")
print(torch.all(net.layers[0].parametrizations.weight.original == original_weights['layers.0.weight']))
enable_disable_lora(enabled=True)
print(torch.equal(net.layers[0].weight, net.layers[0].parametrizations.weight.original + (
    net.layers[0].parametrizations.weight[0].lora_B @ net.layers[0].parametrizations.weight[0].lora_A) *
    net.layers[0].parametrizations.weight[0].scale))
enable_disable_lora(enabled=False)
print(torch.equal(net.layers[0].weight, original_weights['layers.0.weight']))
enable_disable_lora(enabled=True)
for lin in (net.layers[0], net.layers[2], net.layers[4]):
    parametrize.remove_parametrizations(lin, "weight", leave_parametrized=True)
print(net.layers[0], type(net.layers[0].weight).__name__, net.layers[0].weight.requires_grad)
print(sorted(net.state_dict()))
print("merged acc", (net(x1).argmax(1) == y1).float().mean().item() > 0.25, math.isfinite(net(x1).sum().item()))
