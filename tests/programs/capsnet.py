# adapted from gram-ai/capsule-networks capsule_network.py (Kenta Iwasaki): CapsuleLayer with dynamic
# routing, CapsuleNet, CapsuleLoss and its processor() as written; torchnet's Engine/meters, visdom and
# MNIST replaced by a plain loop over random 28x28 images with random labels; channels shrunk (conv1 256
# -> 16, primary capsules' 32 -> 4, decoder 512/1024 -> 32/64) and 3 batches of 8; .cuda() dropped and
# index.data[0] (an IndexError on a 0-d tensor since torch 0.4) read as index.item()
import torch
import torch.nn.functional as F
from torch import nn

BATCH_SIZE = 8
NUM_CLASSES = 10
NUM_EPOCHS = 2
NUM_ROUTING_ITERATIONS = 3


def softmax(input, dim=1):
    transposed_input = input.transpose(dim, len(input.size()) - 1)
    softmaxed_output = F.softmax(transposed_input.contiguous().view(-1, transposed_input.size(-1)))
    return softmaxed_output.view(*transposed_input.size()).transpose(dim, len(input.size()) - 1)


class CapsuleLayer(nn.Module):
    def __init__(self, num_capsules, num_route_nodes, in_channels, out_channels, kernel_size=None, stride=None,
                 num_iterations=NUM_ROUTING_ITERATIONS):
        super(CapsuleLayer, self).__init__()

        self.num_route_nodes = num_route_nodes
        self.num_iterations = num_iterations

        self.num_capsules = num_capsules

        if num_route_nodes != -1:
            self.route_logits = nn.Parameter(torch.zeros(num_capsules, 1, num_route_nodes, 1, 1))
            self.route_weights = nn.Parameter(torch.randn(num_capsules, num_route_nodes, in_channels, out_channels))
        else:
            self.capsules = nn.ModuleList(
                [nn.Conv2d(in_channels, out_channels, kernel_size=kernel_size, stride=stride, padding=0) for _ in
                 range(num_capsules)])

    def squash(self, tensor, dim=-1):
        squared_norm = (tensor ** 2).sum(dim=dim, keepdim=True)
        scale = squared_norm / (1 + squared_norm)
        return scale * tensor / torch.sqrt(squared_norm)

    def forward(self, x):
        if self.num_route_nodes != -1:
            priors = x[None, :, :, None, :] @ self.route_weights[:, None, :, :, :]

            logits = self.route_logits
            for i in range(self.num_iterations):
                probs = softmax(logits, dim=2)
                outputs = self.squash((probs * priors).sum(dim=2, keepdim=True))

                if i != self.num_iterations - 1:
                    delta_logits = (priors * outputs).sum(dim=-1, keepdim=True)
                    logits = logits + delta_logits
        else:
            outputs = [capsule(x).view(x.size(0), -1, 1) for capsule in self.capsules]
            outputs = torch.cat(outputs, dim=-1)
            outputs = self.squash(outputs)

        return outputs


class CapsuleNet(nn.Module):
    def __init__(self):
        super(CapsuleNet, self).__init__()

        self.conv1 = nn.Conv2d(in_channels=1, out_channels=16, kernel_size=9, stride=1)
        self.primary_capsules = CapsuleLayer(num_capsules=8, num_route_nodes=-1, in_channels=16, out_channels=4,
                                             kernel_size=9, stride=2)
        self.digit_capsules = CapsuleLayer(num_capsules=NUM_CLASSES, num_route_nodes=4 * 6 * 6, in_channels=8,
                                           out_channels=16)

        self.decoder = nn.Sequential(
            nn.Linear(16, 32),
            nn.ReLU(inplace=True),
            nn.Linear(32, 64),
            nn.ReLU(inplace=True),
            nn.Linear(64, 784),
            nn.Sigmoid()
        )

    def forward(self, x, y=None):
        x = F.relu(self.conv1(x), inplace=True)
        x = self.primary_capsules(x)
        x = self.digit_capsules(x).squeeze().transpose(0, 1)

        classes = (x ** 2).sum(dim=-1) ** 0.5
        classes = F.softmax(classes)

        if y is None:
            # In all batches, get the most active capsule.
            _, max_length_indices = classes.max(dim=1)
        else:
            # If labels are provided, get the capsule which should have been activated.
            _, max_length_indices = y.max(dim=1)

        vectors = []
        for batch, index in enumerate(max_length_indices):
            vectors.append(x[batch, index.item(), :])
        reconstructions = self.decoder(torch.stack(vectors, dim=0))

        return classes, reconstructions


class CapsuleLoss(nn.Module):
    def __init__(self):
        super(CapsuleLoss, self).__init__()
        self.reconstruction_loss = nn.MSELoss(size_average=True)

    def forward(self, images, labels, classes, reconstructions):
        left = torch.clamp(0.9 - classes, min=0) ** 2
        right = torch.clamp(classes - 0.1, min=0) ** 2

        margin_loss = labels * left + 0.5 * (1 - labels) * right
        margin_loss = margin_loss.sum(dim=1).mean()

        reconstruction_loss = self.reconstruction_loss(reconstructions, images.view(images.size(0), -1))
        return margin_loss + 0.0005 * reconstruction_loss


if __name__ == "__main__":
    from torch.optim import Adam
    from torch.optim.lr_scheduler import ReduceLROnPlateau
    torch.manual_seed(0)

    model = CapsuleNet()
    optimizer = Adam(model.parameters())
    scheduler = ReduceLROnPlateau(optimizer, 'max', patience=0)
    capsule_loss = CapsuleLoss()
    images = torch.randint(0, 256, (3 * BATCH_SIZE, 28, 28), dtype=torch.uint8)
    targets = torch.randint(0, NUM_CLASSES, (3 * BATCH_SIZE,))

    def processor(sample):
        data = sample[0].unsqueeze(1).float() / 255.0
        labels = torch.LongTensor(sample[1])

        labels = torch.sparse.torch.eye(NUM_CLASSES).index_select(dim=0, index=labels)

        classes, reconstructions = model(data, labels)

        loss = capsule_loss(data, labels, classes, reconstructions)

        return loss, classes

    for epoch in range(NUM_EPOCHS):
        correct = 0
        for b in range(3):
            sample = (images[b * BATCH_SIZE:(b + 1) * BATCH_SIZE], targets[b * BATCH_SIZE:(b + 1) * BATCH_SIZE])
            loss, classes = processor(sample)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            correct += (classes.argmax(1) == sample[1]).sum().item()
            print('[Epoch %d] batch %d loss %.6f' % (epoch, b, loss.item()))
        scheduler.step(correct / 24.0)
        print('[Epoch %d] accuracy %.4f lr %g' % (epoch, correct / 24.0, optimizer.param_groups[0]['lr']))
    with torch.no_grad():
        classes, reconstructions = model(images[:4].unsqueeze(1).float() / 255.0)
    print(classes.argmax(1), reconstructions.shape, '%.5f' % reconstructions.mean().item())
