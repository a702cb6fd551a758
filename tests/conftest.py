import numpy as np
import pytest
import torch

import pyfront


@pytest.fixture(autouse=True)
def _seed():
    np.random.seed(0)
    torch.manual_seed(0)
    pyfront.manual_seed(0)
