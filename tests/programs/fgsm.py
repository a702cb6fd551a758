"""pytorch/tutorials beginner_source/fgsm_tutorial.py as written (LeNet with dropout, fgsm_attack,
denorm, the test loop over epsilons with one sample per batch), with a LeNet trained a few steps on
random MNIST-shaped data in place of the downloaded lenet_mnist_model.pth and the MNIST test set;
plus the adversarial-training (PGD) loop that follows such tutorials."""
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim

epsilons = [0, .05, .1, .15, .2, .25, .3]
use_cuda = True
torch.manual_seed(42)


class Net(nn.Module):
    def __init__(self):
        super(Net, self).__init__()
        self.conv1 = nn.Conv2d(1, 32, 3, 1)
        self.conv2 = nn.Conv2d(32, 64, 3, 1)
        self.dropout1 = nn.Dropout(0.25)
        self.dropout2 = nn.Dropout(0.5)
        self.fc1 = nn.Linear(9216, 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        x = self.conv1(x)
        x = F.relu(x)
        x = self.conv2(x)
        x = F.relu(x)
        x = F.max_pool2d(x, 2)
        x = self.dropout1(x)
        x = torch.flatten(x, 1)
        x = self.fc1(x)
        x = F.relu(x)
        x = self.dropout2(x)
        x = self.fc2(x)
        output = F.log_softmax(x, dim=1)
        return output


class RandomMNIST(torch.utils.data.Dataset):
    """MNIST-shaped images whose label is which quadrant is brightest (learnable in a few steps)."""

    def __init__(self, n):
        g = torch.Generator().manual_seed(7)
        self.x = torch.rand(n, 1, 28, 28, generator=g) * 0.5
        self.y = torch.randint(0, 4, (n,), generator=g)
        for i, y in enumerate(self.y.tolist()):
            r, c = divmod(y, 2)
            self.x[i, 0, r * 14:(r + 1) * 14, c * 14:(c + 1) * 14] += 0.5
        self.x = (self.x - 0.1307) / 0.3081

    def __len__(self):
        return len(self.y)

    def __getitem__(self, i):
        return self.x[i], self.y[i]


device = torch.device("cuda" if use_cuda and torch.cuda.is_available() else "cpu")
print("CUDA Available: ", torch.cuda.is_available())
test_loader = torch.utils.data.DataLoader(RandomMNIST(24), batch_size=1, shuffle=True)
train_loader = torch.utils.data.DataLoader(RandomMNIST(64), batch_size=16, shuffle=True)

model = Net().to(device)
opt = optim.Adadelta(model.parameters(), lr=1.0)
for epoch in range(2):
    model.train()
    for data, target in train_loader:
        opt.zero_grad()
        loss = F.nll_loss(model(data), target)
        loss.backward()
        opt.step()
    print(f"epoch {epoch} loss {loss.item():.4f}")
model.eval()


def fgsm_attack(image, epsilon, data_grad):
    # Collect the element-wise sign of the data gradient
    sign_data_grad = data_grad.sign()
    # Create the perturbed image by adjusting each pixel of the input image
    perturbed_image = image + epsilon * sign_data_grad
    # Adding clipping to maintain [0,1] range
    perturbed_image = torch.clamp(perturbed_image, 0, 1)
    # Return the perturbed image
    return perturbed_image


def denorm(batch, mean=[0.1307], std=[0.3081]):
    if isinstance(mean, list):
        mean = torch.tensor(mean).to(device)
    if isinstance(std, list):
        std = torch.tensor(std).to(device)

    return batch * std.view(1, -1, 1, 1) + mean.view(1, -1, 1, 1)


def test(model, device, test_loader, epsilon):
    # Accuracy counter
    correct = 0
    adv_examples = []

    # Loop over all examples in test set
    for data, target in test_loader:
        data, target = data.to(device), target.to(device)
        data.requires_grad = True
        output = model(data)
        init_pred = output.max(1, keepdim=True)[1]
        if init_pred.item() != target.item():
            continue
        loss = F.nll_loss(output, target)
        model.zero_grad()
        loss.backward()
        data_grad = data.grad.data
        data_denorm = denorm(data)
        perturbed_data = fgsm_attack(data_denorm, epsilon, data_grad)
        perturbed_data_normalized = transforms_normalize(perturbed_data)
        output = model(perturbed_data_normalized)
        final_pred = output.max(1, keepdim=True)[1]
        if final_pred.item() == target.item():
            correct += 1
            if epsilon == 0 and len(adv_examples) < 5:
                adv_ex = perturbed_data.squeeze().detach().cpu().numpy()
                adv_examples.append((init_pred.item(), final_pred.item(), adv_ex))
        else:
            if len(adv_examples) < 5:
                adv_ex = perturbed_data.squeeze().detach().cpu().numpy()
                adv_examples.append((init_pred.item(), final_pred.item(), adv_ex))

    final_acc = correct / float(len(test_loader))
    print(f"Epsilon: {epsilon}\tTest Accuracy = {correct} / {len(test_loader)} = {final_acc}")
    return final_acc, adv_examples


def transforms_normalize(x):
    # transforms.Normalize((0.1307,), (0.3081,)) on a batch
    return (x - 0.1307) / 0.3081


accuracies = []
examples = []
for eps in epsilons:
    acc, ex = test(model, device, test_loader, eps)
    accuracies.append(acc)
    examples.append(ex)
print("accuracy falls:", accuracies[-1] <= accuracies[0])
print([(len(e), e[0][2].shape, e[0][2].dtype) if e else 0 for e in examples])


def pgd(model, x, y, eps=0.3, alpha=0.05, steps=5):
    x_adv = x.clone().detach() + torch.empty_like(x).uniform_(-eps, eps)
    x_adv = torch.clamp(x_adv, 0, 1)
    for _ in range(steps):
        x_adv.requires_grad_(True)
        loss = F.nll_loss(model(transforms_normalize(x_adv)), y)
        grad, = torch.autograd.grad(loss, [x_adv])
        x_adv = x_adv.detach() + alpha * grad.sign()
        x_adv = torch.min(torch.max(x_adv, x - eps), x + eps).clamp(0, 1)
    return x_adv.detach()


model.train()
for data, target in train_loader:
    x = denorm(data)
    model.eval()
    x_adv = pgd(model, x, target)
    model.train()
    opt.zero_grad()
    loss = F.nll_loss(model(transforms_normalize(x_adv)), target)
    loss.backward()
    opt.step()
    print(f"adv loss {loss.item():.4f} linf {(x_adv - x).abs().max().item():.4f}")
