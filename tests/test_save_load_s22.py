"""Whole objects in torch's legacy (pre-1.6) checkpoint format, loaded with weights_only=False: a model,
an optimizer and views, written by pyfront and by torch, each read by the other (torch's legacy files name
each Module class with its source as a persistent id, which the zip format does not)."""
import io

import pytest
import torch

import pyfront


def _model(lib):
    lib.manual_seed(0)
    return lib.nn.Sequential(lib.nn.Linear(2, 3), lib.nn.ReLU(), lib.nn.Linear(3, 1))


def _save(lib, obj):
    buf = io.BytesIO()
    lib.save(obj, buf, _use_new_zipfile_serialization=False)
    return buf.getvalue()


@pytest.mark.parametrize("writer", ["pyfront", "torch"])
@pytest.mark.parametrize("reader", ["pyfront", "torch"])
def test_a_whole_model_in_the_legacy_format_loads_in_both(writer, reader):
    w, r = {"pyfront": pyfront, "torch": torch}[writer], {"pyfront": pyfront, "torch": torch}[reader]
    m = _model(w)
    obj = {"model": m, "t": w.arange(6.0).reshape(2, 3)[:, 1:], "n": 5}
    back = r.load(io.BytesIO(_save(w, obj)), weights_only=False)
    expected = m(w.ones(1, 2)).reshape(-1).tolist()  # the writer's own model (the two seed differently)
    assert back["model"](r.ones(1, 2)).reshape(-1).tolist() == pytest.approx(expected, abs=1e-6)
    assert back["t"].tolist() == [[1.0, 2.0], [4.0, 5.0]] and back["n"] == 5
    with pytest.raises(Exception) as theirs:
        torch.load(io.BytesIO(_save(w, obj)))
    with pytest.raises(Exception) as ours:
        pyfront.load(io.BytesIO(_save(w, obj)))
    assert type(ours.value) is type(theirs.value)  # weights-only refuses the model in both


def test_an_optimizer_saved_whole_in_the_legacy_format_loads_and_steps():
    m = _model(pyfront)
    opt = pyfront.optim.Adam(m.parameters(), lr=0.1)
    m(pyfront.ones(1, 2)).sum().backward()
    opt.step()
    m2, opt2 = pyfront.load(io.BytesIO(_save(pyfront, (m, opt))), weights_only=False)
    assert opt2.state_dict()["param_groups"][0]["lr"] == 0.1
    assert [p.tolist() for p in m2.parameters()] == [p.tolist() for p in m.parameters()]


@pytest.mark.parametrize("kw", [dict(pickle_protocol=4), dict(pickle_protocol=-1),
                                dict(pickle_protocol=99), dict(_disable_byteorder_record=True),
                                dict(pickle_module=io)])
def test_save_takes_torchs_keywords(kw):
    """torch.save's pickle_module/pickle_protocol/_disable_byteorder_record; pyfront always writes protocol
    2 (torch cannot load its own protocol-0 files: left out)."""
    def run(lib):
        buf = io.BytesIO()
        try:
            lib.save(lib.arange(4.0), buf, **kw)
        except Exception as e:
            return type(e), str(e)
        buf.seek(0)
        return lib.load(buf, weights_only=False).tolist()
    theirs, ours = run(torch), run(pyfront)
    if kw.get("pickle_module") is io:  # torch fails on io.Pickler's absence; pyfront refuses by name
        assert theirs[0] is AttributeError and ours[0] is ValueError and "pickle_module" in ours[1]
    else:
        assert ours == theirs
