"""``torch.stft`` and ``torch.istft``: short-time Fourier transforms, composed of ``unfold`` (the frames), a
window product, ``torch.fft``'s transforms and ``F.fold`` (the inverse's overlap-add), so autograd comes
from those ops. Arguments, defaults, warnings and errors as torch's."""
from __future__ import annotations

from ... import _warnings
from ... import dtypes as dt
from ...shape import normalize_dim
from ...tensor import Tensor

__all__ = ["stft", "istft"]
METHODS = "stft istft"
INPLACE = ""

_SUPPRESS = ("To suppress this warning and use a rectangular window, explicitly set "
             "`window=torch.ones(n_fft, device=<device>)`.")
_NO_WINDOW = ("A window was not provided. A rectangular window will be applied,which is known to cause "
              "spectral leakage. Other windows such as torch.hann_window or torch.hamming_window are "
              "recommended to reduce spectral leakage." + _SUPPRESS)
_NO_WINDOW_INVERSE = ("A window was not provided. A rectangular window will be applied.Please provide the "
                      "same window used by stft to make the inversion lossless." + _SUPPRESS)
_REAL_OUTPUT = ("stft with return_complex=False is deprecated. In a future pytorch release, stft will return "
                "complex tensors for all inputs, and return_complex=False will raise an error.\nNote: you "
                "can still call torch.view_as_real on the complex output to recover the old return format.")


def _window(window, n_fft, win_length, like, what, warning):
    """The window padded with zeros on both sides to ``n_fft`` (a rectangle of ``win_length`` when None)."""
    if window is None:
        _warnings.warn_once(warning)
        window = like.new_ones((win_length,), dtype=dt.to_real(like.dtype))
    elif window.dim() != 1 or window.shape[0] != win_length:
        raise RuntimeError(f"{what}: expected a 1D window tensor of size equal to win_length={win_length}, "
                           f"but got window with size {list(window.shape)}")
    left = (n_fft - win_length) // 2
    if left or n_fft - win_length - left:
        from ...nn.functional import pad
        window = pad(window, (left, n_fft - win_length - left))
    return window


def stft(input: Tensor, n_fft: int, hop_length=None, win_length=None, window=None, center: bool = True,
         pad_mode: str = "reflect", normalized: bool = False, onesided=None, return_complex=None,
         align_to_window=None) -> Tensor:
    """The short-time Fourier transform of a signal (``(L,)`` or ``(B, L)``): frequencies by frames, as
    ``torch.stft``."""
    from ... import fft
    complex_window = window is not None and window.dtype.is_complex
    if return_complex is None and not (input.dtype.is_complex or complex_window):
        raise RuntimeError("stft requires the return_complex parameter be given for real inputs, and will "
                           "further require that return_complex=True in a future PyTorch release.")
    hop = n_fft // 4 if hop_length is None else hop_length
    win_length = n_fft if win_length is None else win_length
    if center:  # as torch's Python side pads: the signal viewed as 3-d (when it has fewer dims) for pad
        from ...nn.functional import pad
        shape = input.shape
        input = pad(input.view(*[1] * (3 - len(shape)), *shape), (n_fft // 2, n_fft // 2),
                    mode=pad_mode).view(*shape[:-1], -1)
    call = _stft_call(input, n_fft, hop, win_length, window, normalized, onesided, return_complex)
    if not (input.dtype.is_floating_point or input.dtype.is_complex):
        raise RuntimeError(f"{call}: expected a tensor of floating point or complex values")
    if input.dim() not in (1, 2):
        raise RuntimeError(f"{call}: expected a 1D or 2D tensor")
    batched = input.dim() == 2
    if not batched:
        input = input.unsqueeze(0)
    length = input.shape[-1]
    if not 0 < n_fft <= length:
        raise RuntimeError(f"{call}: expected 0 < n_fft < {length}, but got n_fft={n_fft}")
    if hop <= 0:
        raise RuntimeError(f"{call}: expected hop_length > 0, but got hop_length={hop}")
    if not 0 < win_length <= n_fft:
        raise RuntimeError(f"{call}: expected 0 < win_length <= n_fft, but got win_length={win_length}")
    window = _window(window, n_fft, win_length, input, call, _NO_WINDOW)
    frames = input.unfold(-1, n_fft, hop) * window
    if frames.dtype in dt.HALVES:  # torch's transform (MKL's or pocketfft's) has no 16-bit floats
        raise RuntimeError(f"MKL FFT doesn't support tensors of type: {dt.scalar_name(frames.dtype)}")
    complex_in = frames.dtype.is_complex
    if onesided is None:
        onesided = not complex_in
    elif onesided and complex_in:
        raise RuntimeError("Cannot have onesided output if window or input is complex")
    norm = "ortho" if normalized else "backward"
    out = (fft.rfft(frames, norm=norm) if onesided else fft.fft(frames, norm=norm)).transpose(-1, -2)
    if not batched:
        out = out.squeeze(0)
    if not return_complex:
        from .complex_numbers import view_as_real
        _warnings.warn_once(_REAL_OUTPUT)
        return view_as_real(out.contiguous())
    return out


def _stft_call(input, n_fft, hop, win_length, window, normalized, onesided, return_complex):
    """How torch's stft error messages spell the call."""
    window_text = "None" if window is None else f"{_type(window)}{{{list(window.shape)}}}"
    return (f"stft({_type(input)}{list(input.shape)}, n_fft={n_fft}, hop_length={hop}, "
            f"win_length={win_length}, window={window_text}, normalized={int(normalized)}, "
            f"onesided={_opt(onesided)}, return_complex={_opt(return_complex)}, align_to_window=None) ")


def _type(t):
    return dt.type_name(t.dtype)


def _opt(v):
    return "None" if v is None else int(v)


def _istft_call(input, n_fft, hop, win_length, window, center, normalized, onesided, length,
                return_complex):
    """How torch's istft error messages spell the call (its input by its C++ type's name)."""
    window_text = "None" if window is None else f"{_type(window)}{{{list(window.shape)}}}"
    return (f"istft(CPU{dt.scalar_name(input.dtype)}Type{list(input.shape)}, n_fft={n_fft}, "
            f"hop_length={hop}, win_length={win_length}, window={window_text}, center={int(center)}, "
            f"normalized={int(normalized)}, onesided={_opt(onesided)}, length={_opt(length)}, "
            f"return_complex={int(return_complex)}) ")


def _check_istft(input, n_fft, hop, win_length, window, onesided, call) -> bool:
    """torch's checks of an istft call, in its order (it reads the input as its real view: a dim more);
    the ``onesided`` the spectrum's frequencies imply where not given."""
    frames_dim, freq_dim = (normalize_dim(d, input.dim() + 1) for d in (-2, -3))  # (its IndexError)
    if not input.numel():
        raise RuntimeError(f"{call}: input tensor cannot be empty.")
    if input.dim() + 1 not in (3, 4):
        raise RuntimeError(f"{call}: expected a tensor with 3 or 4 dimensions, but got {input.dim() + 1}")
    fft_size = input.shape[freq_dim]
    if onesided is None:
        onesided = fft_size != n_fft
    if onesided and n_fft // 2 + 1 != fft_size:
        raise RuntimeError(f"{call}: expected the frequency dimension (3rd to the last) of the input tensor "
                           f"to match n_fft / 2 + 1 when onesided=True, but got {fft_size}")
    if not onesided and n_fft != fft_size:
        raise RuntimeError(f"{call}: expected the frequency dimension (3rd to the last) of the input tensor "
                           f"to match n_fft when onesided=False, but got {fft_size}")
    if not 0 < hop <= win_length:
        raise RuntimeError(f"{call}: expected 0 < hop_length <= win_length")
    if not 0 < win_length <= n_fft:
        raise RuntimeError(f"{call}: expected 0 < win_length <= n_fft")
    if window is not None and (window.dim() != 1 or window.shape[0] != win_length):
        raise RuntimeError(f"{call}: Invalid window shape. window has to be 1D and length of `win_length`")
    return onesided


def istft(input: Tensor, n_fft: int, hop_length=None, win_length=None, window=None, center: bool = True,
          normalized: bool = False, onesided=None, length=None, return_complex: bool = False) -> Tensor:
    """The inverse of ``stft`` by overlap-add, each sample divided by the windows' summed squares, as
    ``torch.istft``."""
    from ... import fft
    from ...nn.functional import fold
    if not input.dtype.is_complex:
        raise RuntimeError("istft requires a complex-valued input tensor matching the output from stft with "
                           "return_complex=True.")
    hop = n_fft // 4 if hop_length is None else hop_length
    win_length = n_fft if win_length is None else win_length
    call = _istft_call(input, n_fft, hop, win_length, window, center, normalized, onesided, length,
                       return_complex)
    onesided = _check_istft(input, n_fft, hop, win_length, window, onesided, call)
    batched = input.dim() == 3
    if not batched:
        input = input.unsqueeze(0)
    n_frames = input.shape[-1]
    if onesided and return_complex:
        raise RuntimeError("Cannot have onesided output if window or input is complex")
    window = _window(window, n_fft, win_length, input, "istft", _NO_WINDOW_INVERSE)
    spectra = input.transpose(-1, -2)
    norm = "ortho" if normalized else "backward"
    if onesided:
        frames = fft.irfft(spectra, n=n_fft, norm=norm)
    else:
        frames = fft.ifft(spectra, n=n_fft, norm=norm)
        if not return_complex:
            frames = frames.real
    frames = frames * window
    total = n_fft + hop * (n_frames - 1)

    def overlap_add(cols):  # (B, n_frames, n_fft) -> (B, total): the frames summed where they overlap
        if cols.dtype.is_complex:
            from .complex_numbers import complex as make_complex
            return make_complex(overlap_add(cols.real.contiguous()), overlap_add(cols.imag.contiguous()))
        summed = fold(cols.transpose(1, 2), (1, total), (1, n_fft), stride=(1, hop))
        return summed.reshape(cols.shape[0], total)

    y = overlap_add(frames)
    envelope = overlap_add((window.abs() ** 2).expand(1, n_frames, n_fft))
    start = n_fft // 2 if center else 0
    end = total - n_fft // 2 if center else total
    if length is not None:
        end = start + length
    y = y[:, start:min(end, total)]
    envelope = envelope[:, start:min(end, total)]
    if bool((envelope.abs() < 1e-11).any()):  # (torch prints its test's result, a bool tensor)
        raise RuntimeError(f"{call}window overlap add min: 1\n[ CPUBoolType{{}} ]")
    y = y / envelope
    if length is not None and y.shape[-1] < length:
        from ...nn.functional import pad
        y = pad(y, (0, length - y.shape[-1]))
    return y if batched else y.squeeze(0)
