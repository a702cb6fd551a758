"""PyTorch's checkpoint container: an uncompressed zip whose records start on 64-byte boundaries.

The writer streams records to a binary file (ZIP64 where sizes or offsets need it), padding each
local header with an extra field tagged ``FB`` as PyTorch does, so storages can be memory-mapped.
The reader wraps ``zipfile`` and turns every way an archive can be broken into one clear error.
"""
from __future__ import annotations

import struct
import zipfile
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


class ZipReader:
    """The records of a PyTorch zip checkpoint: any one top-level folder holding ``data.pkl``."""

    def __init__(self, f, what: str):
        self.what = what
        try:
            f.seek(0, 2)
            self.size = f.tell()
            f.seek(0)
            self.zf = zipfile.ZipFile(f)
            infos = self.zf.infolist()
        except (zipfile.BadZipFile, EOFError, OSError, ValueError, struct.error, UnicodeDecodeError,
                IndexError, KeyError, OverflowError) as e:
            raise RuntimeError(f"{what} is not a valid checkpoint: its zip archive is truncated or corrupted "
                               f"({e})") from e
        self.records = {}
        for info in infos:
            if info.filename in self.records:
                raise RuntimeError(f"{what} is not a valid checkpoint: record {info.filename!r} "
                                   "appears twice")
            self.records[info.filename] = info
        roots = [n[:-len("data.pkl")] for n in self.records if n.endswith("/data.pkl") and n.count("/") == 1]
        if len(roots) != 1:
            raise RuntimeError(f"{what} is not a PyTorch checkpoint: expected one 'folder/data.pkl' "
                               f"record, found {len(roots)}")
        self.prefix = roots[0]

    def has(self, name: str) -> bool:
        return self.prefix + name in self.records

    def read(self, name: str, expected_size: int | None = None) -> bytes:
        """Record ``name``'s bytes, checked: stored (not compressed), inside the file, CRC intact."""
        info = self.records.get(self.prefix + name)
        if info is None:
            raise RuntimeError(f"{self.what} is not a valid checkpoint: record '{self.prefix}{name}' "
                               "is missing")
        if expected_size is not None and info.file_size != expected_size:
            raise RuntimeError(f"{self.what} is not a valid checkpoint: record '{self.prefix}{name}' holds "
                               f"{info.file_size} bytes where its storage needs {expected_size}")
        if info.compress_type != zipfile.ZIP_STORED or info.flag_bits & 1:
            raise RuntimeError(f"{self.what}: record '{info.filename}' is compressed or encrypted; PyTorch "
                               "checkpoints store records as they are")
        if not 0 <= info.header_offset <= self.size - 30 - len(info.filename) - info.file_size:
            raise RuntimeError(f"{self.what} is not a valid checkpoint: record '{info.filename}' runs "
                               "past the end of the file")
        try:
            with self.zf.open(info) as r:
                return r.read()
        except (zipfile.BadZipFile, EOFError, OSError, ValueError, OverflowError, struct.error) as e:
            raise RuntimeError(f"{self.what} is not a valid checkpoint: record '{info.filename}' is "
                               f"corrupted ({e})") from e
