"""The README's demo runs end to end and learns the curve."""
from pyfront.examples import demo


def test_demo_fits_the_curve(capsys):
    final = demo.main(["--steps", "300"])
    assert final < 0.05  # the noise floor is 0.01; an untrained network is above 1
    assert "final mean squared error" in capsys.readouterr().out
