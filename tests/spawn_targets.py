"""What processes spawned by the tests run: a spawned child imports this module (and not torch, which
takes seconds to import) to find its function or dataset."""
import sys

import pyfront
import pyfront.nn.functional as F


def put_square(i, queue, base):
    queue.put((i, (base + i) ** 2))


def raise_in_one(i):
    if i == 1:
        raise ValueError(f"boom in process {i}")


def exit_with(i, code):
    sys.exit(code)


class Squashed(pyfront.utils.data.Dataset):
    """A dataset holding a public function, as user datasets hold transforms."""

    def __init__(self, n):
        self.x, self.act = pyfront.linspace(-3, 3, n), F.gelu

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return self.act(self.x[i])
