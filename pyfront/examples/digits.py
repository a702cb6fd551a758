"""The demo: a small CNN learns the 8x8 handwritten digits, written exactly as one would with PyTorch.

Run with ``bash dev.sh demo`` (or ``python -m pyfront.examples.digits``). It trains on the fixed
training split of the digits that ship with pyfront, shows a progress bar (epoch, loss, accuracy,
samples/s), reports the accuracy on the held-out split, saves the model's state_dict with
``pyfront.save`` and, when matplotlib is installed, a PNG of the loss and accuracy curves.

The same module runs in the browser: ``train`` writes nothing, prints nothing and starts no process;
it reports through callbacks, and the data is loaded in the main thread (``num_workers=0``).
"""

from __future__ import annotations

import argparse
import copy
import os
import sys
import time
from collections.abc import Callable

import pyfront as torch
from pyfront import nn
from pyfront.datasets import load_digits
from pyfront.utils.data import BatchSampler, DataLoader, RandomSampler, SequentialSampler, TensorDataset


class DigitsCNN(nn.Module):
    """Two 3x3 convolutions with max pooling (8x8 -> 4x4 -> 2x2), then a two-layer classifier."""

    def __init__(self, num_classes: int = 10):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 16, kernel_size=3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Conv2d(16, 32, kernel_size=3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),
        )
        self.classifier = nn.Sequential(
            nn.Flatten(), nn.Linear(32 * 2 * 2, 64), nn.ReLU(), nn.Linear(64, num_classes)
        )

    def forward(self, x):
        return self.classifier(self.features(x))


def pick_device(model: nn.Module) -> tuple[torch.device, str]:
    """The GPU when there is one (``torch.accelerator``, as in PyTorch 2.6+) and it can run ``model``,
    else the cpu; with the reason for the choice."""
    accelerator = torch.accelerator.current_accelerator()
    if accelerator is None:  # none, or only a CPU renderer: adapter_info says which
        return torch.device("cpu"), torch.webgpu.adapter_info()["reason"]
    try:  # one tiny training step: every kernel the model needs must exist on that device
        probe = copy.deepcopy(model).to(accelerator)
        x = torch.zeros(2, 1, 8, 8, device=accelerator)
        nn.functional.cross_entropy(probe(x), torch.zeros(2, dtype=torch.long, device=accelerator)).backward()
    except RuntimeError as e:
        return torch.device("cpu"), f"{accelerator} cannot run this model: {e}"
    return accelerator, torch.webgpu.get_device_name()


def make_loader(images, labels, batch_size: int, shuffle: bool, generator=None) -> DataLoader:
    """Batches of ``(images, labels)``, fetched with one indexing op per batch.

    A ``BatchSampler`` as the sampler with automatic batching off hands the dataset a whole list of
    indices at once: one gather per tensor instead of one op per sample and a stack, which matters
    when the tensors live on the GPU.
    """
    dataset = TensorDataset(images, labels)
    order = RandomSampler(dataset, generator=generator) if shuffle else SequentialSampler(dataset)
    return DataLoader(dataset, sampler=BatchSampler(order, batch_size, drop_last=False), batch_size=None)


def evaluate(model: nn.Module, loader: DataLoader) -> tuple[float, float]:
    """Mean cross-entropy loss and accuracy of ``model`` over ``loader``."""
    model.eval()
    total_loss, correct, count = 0.0, 0, 0
    with torch.no_grad():
        for images, labels in loader:
            logits = model(images)
            total_loss += nn.functional.cross_entropy(logits, labels, reduction="sum").item()
            correct += (logits.argmax(1) == labels).sum().item()
            count += len(labels)
    return total_loss / count, correct / count


def train(
    model: nn.Module,
    train_loader: DataLoader,
    test_loader: DataLoader,
    *,
    epochs: int,
    lr: float,
    on_batch: Callable | None = None,
    on_epoch: Callable | None = None,
) -> dict[str, list[float]]:
    """Train with Adam and a cosine learning-rate schedule; returns the per-epoch history.

    Args:
        on_batch: called after every batch as ``on_batch(epoch, batch, num_batches, stats)`` with the
            running ``stats`` of the epoch: ``loss``, ``accuracy`` and ``samples_per_s``, and the
            batch's own ``batch_loss`` and ``batch_accuracy``.
        on_epoch: called after every epoch as ``on_epoch(epoch, record)`` with the epoch's ``train_loss``,
            ``train_accuracy``, ``test_loss`` and ``test_accuracy``.
    """
    keys = ("train_loss", "train_accuracy", "test_loss", "test_accuracy")
    history: dict[str, list[float]] = {key: [] for key in keys}
    for event in train_steps(model, train_loader, test_loader, epochs=epochs, lr=lr):
        if event[0] == "batch" and on_batch is not None:
            on_batch(*event[1:])
        elif event[0] == "epoch":
            for key, value in event[2].items():
                history[key].append(value)
            if on_epoch is not None:
                on_epoch(*event[1:])
    return history


def train_steps(
    model: nn.Module, train_loader: DataLoader, test_loader: DataLoader, *, epochs: int, lr: float
):
    """``train``'s loop as a generator, for a caller that pauses or stops between batches (the web page):
    yields ``("batch", epoch, batch, num_batches, stats)`` after every batch and ``("epoch", epoch,
    record)`` after every epoch (see ``train``). Closing it early keeps what the model learned so far."""
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs)
    for epoch in range(1, epochs + 1):
        model.train()
        total_loss, correct, count = 0.0, 0, 0
        start = time.perf_counter()
        for batch, (images, labels) in enumerate(train_loader, 1):
            logits = model(images)
            loss = nn.functional.cross_entropy(logits, labels)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            batch_loss, batch_correct = loss.item(), (logits.argmax(1) == labels).sum().item()
            total_loss += batch_loss * len(labels)
            correct += batch_correct
            count += len(labels)
            stats = {
                "loss": total_loss / count,
                "accuracy": correct / count,
                "samples_per_s": count / max(time.perf_counter() - start, 1e-9),
                "batch_loss": batch_loss,
                "batch_accuracy": batch_correct / len(labels),
            }
            yield "batch", epoch, batch, len(train_loader), stats
        scheduler.step()
        test_loss, test_accuracy = evaluate(model, test_loader)
        yield "epoch", epoch, {
            "train_loss": total_loss / count,
            "train_accuracy": correct / count,
            "test_loss": test_loss,
            "test_accuracy": test_accuracy,
        }


class ProgressBar:
    """A one-line terminal progress bar, redrawn in place, one line kept per epoch."""

    def __init__(self, epochs: int, stream=None, width: int = 24):
        self.epochs, self.stream, self.width = epochs, stream or sys.stdout, width
        self.interactive = self.stream.isatty()

    def on_batch(self, epoch: int, batch: int, num_batches: int, stats: dict) -> None:
        if not self.interactive and batch < num_batches:  # a log file gets one line per epoch
            return
        filled = round(self.width * batch / num_batches)
        bar = "#" * filled + "." * (self.width - filled)
        self.stream.write(
            f"\repoch {epoch:{len(str(self.epochs))}d}/{self.epochs} [{bar}] "
            f"loss {stats['loss']:.4f}  acc {stats['accuracy']:6.2%}  "
            f"{stats['samples_per_s']:6.0f} samples/s"
        )
        self.stream.flush()

    def on_epoch(self, epoch: int, record: dict) -> None:
        self.stream.write(f"  test acc {record['test_accuracy']:6.2%}\n")
        self.stream.flush()


def plot_curves(history: dict[str, list[float]], path: str) -> bool:
    """Write the loss and accuracy curves to ``path`` (PNG); False when matplotlib is not installed."""
    try:
        import matplotlib
    except ImportError:
        return False
    matplotlib.use("Agg")  # files only: no display needed
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    epochs = range(1, len(history["train_loss"]) + 1)
    fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(10, 4))
    for split in ("train", "test"):
        ax_loss.plot(epochs, history[f"{split}_loss"], marker="o", label=split)
        ax_acc.plot(epochs, [100 * a for a in history[f"{split}_accuracy"]], marker="o", label=split)
    ax_loss.set(title="cross-entropy loss", xlabel="epoch")
    ax_acc.set(title="accuracy (%)", xlabel="epoch")
    for ax in (ax_loss, ax_acc):
        ax.grid(alpha=0.3)
        ax.legend()
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return True


def main(argv: list[str] | None = None) -> dict[str, list[float]]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=12)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--lr", type=float, default=3e-3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--device", default=None, help="cpu or webgpu (default: the best available)")
    parser.add_argument(
        "--save",
        default=os.path.join("runs", "digits", "digits_cnn.pt"),
        help="where to save the state_dict ('' to skip)",
    )
    parser.add_argument(
        "--plot",
        default=os.path.join("runs", "digits", "curves.png"),
        help="where to write the PNG of the curves ('' to skip)",
    )
    args = parser.parse_args(argv)

    torch.manual_seed(args.seed)
    model = DigitsCNN()
    device, why = (torch.device(args.device), "asked for") if args.device else pick_device(model)
    print(f"training on {device} ({why})")
    model = model.to(device)
    train_x, train_y = load_digits("train", device=device)
    test_x, test_y = load_digits("test", device=device)
    train_loader = make_loader(train_x, train_y, args.batch_size, shuffle=True)
    test_loader = make_loader(test_x, test_y, 256, shuffle=False)
    print(
        f"{len(train_y)} training and {len(test_y)} held-out 8x8 digits; "
        f"{sum(p.numel() for p in model.parameters()):,} parameters"
    )
    print(model)

    bar = ProgressBar(args.epochs)
    start = time.perf_counter()
    history = train(
        model,
        train_loader,
        test_loader,
        epochs=args.epochs,
        lr=args.lr,
        on_batch=bar.on_batch,
        on_epoch=bar.on_epoch,
    )
    accuracy = history["test_accuracy"][-1]
    print(
        f"done in {time.perf_counter() - start:.1f} s: held-out accuracy {accuracy:.2%} "
        f"({round(accuracy * len(test_y))}/{len(test_y)})"
    )

    for path in (args.save, args.plot):
        if path and os.path.dirname(path):
            os.makedirs(os.path.dirname(path), exist_ok=True)
    if args.save:
        torch.save(model.state_dict(), args.save)
        print(f"saved the state_dict to {args.save}")
    if args.plot:
        if plot_curves(history, args.plot):
            print(f"wrote the loss and accuracy curves to {args.plot}")
        else:
            print("matplotlib is not installed, so no plot was made (optional: pip install matplotlib)")
    return history


if __name__ == "__main__":
    main()
