"""The marker for tests that need a WebGPU adapter.

The README's test command sets PYFRONT_REQUIRE_WEBGPU=1 and installs Mesa's lavapipe, so there a
missing adapter fails loudly instead of skipping the GPU tests.
"""

import os
import traceback

import pytest

import pyfront

if os.environ.get("PYFRONT_REQUIRE_WEBGPU") == "1" and not pyfront.webgpu.is_available():
    raise RuntimeError(
        f"PYFRONT_REQUIRE_WEBGPU=1 but no WebGPU adapter: {pyfront.webgpu.unavailable_reason()}"
    )

requires_webgpu = pytest.mark.skipif(
    not pyfront.webgpu.is_available(), reason=f"no WebGPU adapter: {pyfront.webgpu.unavailable_reason()}"
)


def assert_lost_error(error):
    """torch's builtin type and the shape of its sticky CUDA error (DESIGN.md: no pyfront class name in a
    traceback), wrapped once (its cause is the driver's error, not another of its own)."""
    assert type(error) is RuntimeError
    first_line = traceback.format_exception_only(error)[0]
    assert first_line.startswith("RuntimeError: WebGPU error: the WebGPU device was lost (")
    assert "might be asynchronously reported at some other API call" in str(error)
    assert "WebGPU device was lost" not in str(error.__cause__)
