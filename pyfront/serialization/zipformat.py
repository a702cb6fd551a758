"""PyTorch's checkpoint container: an uncompressed zip whose records start on 64-byte boundaries.

The writer streams records to a binary file (ZIP64 where sizes or offsets need it), padding each
local header with an extra field tagged ``FB`` as PyTorch does, so storages can be memory-mapped.
The reader finds records as PyTorch's own reader does and turns every way an archive can be broken
into PyTorch's exception: a RuntimeError, or the file's own seek error where PyTorch's search for the
end record seeks before the file's start.
"""
from __future__ import annotations

import struct
import zlib

ALIGN = 64
ZIP64_LIMIT = 0xFFFFFFFF  # sizes and offsets from here on need ZIP64 fields


class ZipWriter:
    """Writes stored records ``{prefix}/{name}`` to ``f``; ``close()`` writes the central directory."""

    def __init__(self, f, prefix: str):
        self.f, self.prefix, self.pos, self.entries = f, prefix, 0, []

    def _emit(self, data) -> None:
        self.f.write(data)
        self.pos += len(data)

    def write(self, name: str, data) -> None:
        data = memoryview(data).cast("B")
        path = f"{self.prefix}/{name}".encode("utf-8")
        size, crc, offset = len(data), zlib.crc32(data), self.pos
        zip64 = size >= ZIP64_LIMIT or offset >= ZIP64_LIMIT
        extra = struct.pack("<HHQQ", 1, 16, size, size) if zip64 else b""
        pad = -(offset + 30 + len(path) + len(extra) + 4) % ALIGN
        extra += b"FB" + struct.pack("<H", pad) + b"\0" * pad
        stored = 0xFFFFFFFF if zip64 else size
        self._emit(struct.pack("<IHHHHHIIIHH", 0x04034B50, 45 if zip64 else 20, 0x800, 0, 0, 0x21, crc,
                               stored, stored, len(path), len(extra)) + path + extra)
        self._emit(data)
        self.entries.append((path, size, crc, offset))

    def close(self) -> None:
        start = self.pos
        for path, size, crc, offset in self.entries:
            big = [v for v in (size, size, offset) if v >= ZIP64_LIMIT]
            extra = struct.pack("<HH", 1, 8 * len(big)) + struct.pack(f"<{len(big)}Q", *big) if big else b""
            small = [0xFFFFFFFF if v >= ZIP64_LIMIT else v for v in (size, size, offset)]
            version = 45 if big else 20
            self._emit(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, version, version, 0x800, 0, 0, 0x21, crc,
                                   small[0], small[1], len(path), len(extra), 0, 0, 0, 0, small[2])
                       + path + extra)
        count, cd_size = len(self.entries), self.pos - start
        if count >= 0xFFFF or start >= ZIP64_LIMIT or cd_size >= ZIP64_LIMIT:
            eocd64 = self.pos
            self._emit(struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, count, count, cd_size, start))
            self._emit(struct.pack("<IIQI", 0x07064B50, 0, eocd64, 1))
            count, cd_size, start = min(count, 0xFFFF), min(cd_size, 0xFFFFFFFF), min(start, 0xFFFFFFFF)
        self._emit(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, cd_size, start, 0))


class _Entry:
    __slots__ = ("name", "flags", "method", "crc", "csize", "size", "offset")

    def __init__(self, name, flags, method, crc, csize, size, offset):
        self.name, self.flags, self.method, self.crc = name, flags, method, crc
        self.csize, self.size, self.offset = csize, size, offset


# general-purpose flag bits no stored record may have, as PyTorch's reader (miniz) refuses them:
# encrypted (0), compressed patch data (5), strong encryption (6), masked local header (13)
_REFUSED_FLAGS = 1 | 1 << 5 | 1 << 6 | 1 << 13


class ZipReader:
    """The records of a PyTorch zip checkpoint: any one top-level folder holding ``data.pkl``.

    It reads the zip structures itself, as PyTorch's reader (miniz) does, rather than through
    ``zipfile``, which refuses what PyTorch reads (any "version needed to extract" above 6.3) and
    raises its own exception types. Only what locating stored records needs is checked, and every
    failure is PyTorch's (a RuntimeError, save the seek error described at ``_no_end_record``): the end
    records and the central directory (ZIP64 where marked) with miniz's checks, and per record its local
    header and its bounds; not its CRC, as PyTorch's. The local
    header's version and flags are not read, as miniz does not read them.
    """

    def __init__(self, f, what: str):
        self.f, self.what = f, what
        f.seek(0, 2)
        self.size = f.tell()
        self.records = {}
        count, cd_size, cd_offset, disk = self._end_records()
        cd = self._read(cd_offset, cd_size, "the central directory")
        pos = 0
        for _ in range(count):
            if pos + 46 > len(cd) or cd[pos:pos + 4] != b"PK\x01\x02":
                self._fail("its central directory is truncated or corrupted")
            (flags, method, crc, csize, size, n_name, n_extra, n_comment, start_disk, offset) = \
                struct.unpack_from("<4x4xHH4xIIIHHHH6xI", cd, pos)
            self._check_entry(method, csize, size, start_disk, disk, offset, flags)
            name = cd[pos + 46:pos + 46 + n_name].decode("utf-8", "surrogateescape")
            extra = cd[pos + 46 + n_name:pos + 46 + n_name + n_extra]
            pos += 46 + n_name + n_extra + n_comment
            if pos > len(cd):
                self._fail("its central directory is truncated or corrupted")
            size, csize, offset = self._zip64(extra, [size, csize, offset])
            if name in self.records:
                self._fail(f"record {name!r} appears twice")
            self.records[name] = _Entry(name, flags, method, crc, csize, size, offset)
        roots = [n[:-len("data.pkl")] for n in self.records if n.endswith("/data.pkl") and n.count("/") == 1]
        if len(roots) != 1:
            raise RuntimeError(f"{what} is not a PyTorch checkpoint: expected one 'folder/data.pkl' "
                               f"record, found {len(roots)}")
        self.prefix = roots[0]

    def _fail(self, why: str):
        raise RuntimeError(f"{self.what} is not a valid checkpoint: {why}")

    def _read(self, offset: int, n: int, what: str) -> bytes:
        if not 0 <= offset <= self.size - n:
            self._fail(f"{what} runs past the end of the file (truncated?)")
        self.f.seek(offset)
        return self.f.read(n)

    def _end_records(self) -> tuple:
        """(record count, central directory size, its offset) from the end of central directory."""
        tail_start = max(0, self.size - 22 - 0xFFFF)  # the end record, then at most a 64 KiB comment
        tail = self._read(tail_start, self.size - tail_start, "the end of central directory")
        i = tail.rfind(b"PK\x05\x06", 0, max(0, len(tail) - 18))  # with its 22 bytes whole
        if i < 0:
            self._no_end_record()
        disk, cd_disk, on_disk, count, cd_size, cd_offset = struct.unpack_from("<4xHHHHII", tail, i)
        eocd = tail_start + i
        locator = eocd - 20
        if locator >= 0 and self._read(locator, 4, "the ZIP64 locator") == b"PK\x06\x07":
            eocd64, disks = struct.unpack("<8xQI", self._read(locator, 20, "the ZIP64 locator"))
            record = self._read(eocd64, 56, "the ZIP64 end of central directory")
            if record[:4] != b"PK\x06\x06":
                self._fail("its ZIP64 end of central directory record is corrupted")
            record_size, disk, cd_disk, on_disk, count, cd_size, cd_offset = struct.unpack_from(
                "<4xQ4xIIQQQQ", record)
            if record_size < 44:
                self._corrupted()
            if disks != 1:
                self._multidisk()
        # miniz's checks of the end records (PyTorch's reader refuses the archive)
        if count != on_disk or (disk | cd_disk) and (disk != 1 or cd_disk != 1):
            self._multidisk()
        if cd_size < count * 46 or cd_offset + cd_size > min(self.size, eocd):
            self._corrupted()
        return count, cd_size, cd_offset, disk

    def _no_end_record(self):
        """No end of central directory record (a truncated file, mostly), refused as PyTorch's reader
        refuses it. miniz looks for the record from the end in 4 KiB windows, each starting 4093 bytes
        before the last, for 64 KiB at most; it steps in unsigned arithmetic, so in a file of 4 to about
        68 KiB its step from below 4093 wraps to a negative offset, which PyTorch's reader asks the Python
        file to seek to: what that seek raises (OSError on a file on disk, ValueError on a BytesIO) is
        torch's error here."""
        if self.size < 22:  # shorter than the record itself: miniz does not look
            raise RuntimeError("PytorchStreamReader failed reading zip archive: not a ZIP archive "
                               f"({self.what} is {self.size} bytes long)")
        cur = max(self.size - 4096, 0)
        while cur and self.size - cur < 0xFFFF + 22:
            cur -= 4093
            if cur < 0:
                self.f.seek(cur)
        raise RuntimeError("PytorchStreamReader failed reading zip archive: failed finding central directory "
                           f"({self.what} is truncated or corrupted: it has no end of central directory "
                           "record)")

    def _check_entry(self, method, csize, size, start_disk, disk, offset, flags) -> None:
        """miniz's checks of each central directory entry, made when PyTorch opens the archive."""
        whole = csize != 0xFFFFFFFF and size != 0xFFFFFFFF  # (not ZIP64's saturated sizes)
        if whole and (method == 0 and size != csize or size and not csize):
            self._corrupted()
        if start_disk == 0xFFFF or start_disk not in (disk, 1):
            self._multidisk()
        if csize != 0xFFFFFFFF and offset + 30 + csize > self.size:
            self._corrupted()
        if flags & 1 << 13:  # (the other refused flags only where the record is read, as miniz)
            raise RuntimeError(f"{self.what}: a record is compressed, encrypted or patched (zip flags "
                               f"{flags:#06x}: a masked local header); PyTorch checkpoints store records as "
                               "they are")

    def _corrupted(self):
        raise RuntimeError("PytorchStreamReader failed reading zip archive: invalid header or archive is "
                           f"corrupted ({self.what}: its central directory or end records do not fit the "
                           "file)")

    def _multidisk(self):
        raise RuntimeError("PytorchStreamReader failed reading zip archive: unsupported multidisk archive "
                           f"({self.what} says it spans several disks)")

    def _zip64(self, extra: bytes, values: list) -> list:
        """Replace the saturated (0xFFFFFFFF) sizes and offset by the ZIP64 extra field's values."""
        pos = 0
        while pos + 4 <= len(extra):
            tag, n = struct.unpack_from("<HH", extra, pos)
            if tag == 1:
                field = extra[pos + 4:pos + 4 + n]
                for i, v in enumerate(values):
                    if v == 0xFFFFFFFF:  # saturated: the real value is in the extra field
                        if len(field) < 8:
                            self._fail("a ZIP64 extra field is truncated")
                        values[i], field = struct.unpack_from("<Q", field)[0], field[8:]
                break
            pos += 4 + n
        return values

    def has(self, name: str) -> bool:
        return self.prefix + name in self.records

    def read(self, name: str, expected_size: int | None = None) -> bytes:
        """Record ``name``'s bytes, checked: stored (not compressed), inside the file, CRC intact."""
        info = self.records.get(self.prefix + name)
        if info is None:
            self._fail(f"record '{self.prefix}{name}' is missing")
        if expected_size is not None and info.size != expected_size:
            self._fail(f"record '{info.name}' holds {info.size} bytes where its storage needs "
                       f"{expected_size}")
        if info.method != 0 or info.flags & _REFUSED_FLAGS or info.csize != info.size:
            raise RuntimeError(f"{self.what}: record '{info.name}' is compressed, encrypted or patched (zip "
                               f"method {info.method}, flags {info.flags:#06x}); PyTorch checkpoints store "
                               "records as they are")
        header = self._read(info.offset, 30, f"the local header of record '{info.name}'")
        if header[:4] != b"PK\x03\x04":
            self._fail(f"the local header of record '{info.name}' is corrupted")
        n_name, n_extra = struct.unpack_from("<HH", header, 26)
        # the CRC is not compared: PyTorch's reader (miniz built without its CRC checks) does not either,
        # so a changed byte loads (a value) or fails as the pickle it is in fails
        return self._read(info.offset + 30 + n_name + n_extra, info.size, f"record '{info.name}'")
