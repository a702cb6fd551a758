import numpy as np
import pytest
import torch

import pyfront


@pytest.fixture(autouse=True)
def _seed():
    np.random.seed(0)
    # the CPU generator, the only one this torch has: torch.manual_seed also queues a lazy seed for each
    # accelerator (CUDA, XPU, MTIA), each with the caller's formatted stack, about 0.4 ms a test here
    torch.default_generator.manual_seed(0)
    pyfront.manual_seed(0)
