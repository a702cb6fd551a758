"""The marker for tests that need a WebGPU adapter.

The README's test command sets PYFRONT_REQUIRE_WEBGPU=1 and installs Mesa's lavapipe, so there a
missing adapter fails loudly instead of skipping the GPU tests.
"""

import os

import pytest

import pyfront

if os.environ.get("PYFRONT_REQUIRE_WEBGPU") == "1" and not pyfront.webgpu.is_available():
    raise RuntimeError(
        f"PYFRONT_REQUIRE_WEBGPU=1 but no WebGPU adapter: {pyfront.webgpu.unavailable_reason()}"
    )

requires_webgpu = pytest.mark.skipif(
    not pyfront.webgpu.is_available(), reason=f"no WebGPU adapter: {pyfront.webgpu.unavailable_reason()}"
)
