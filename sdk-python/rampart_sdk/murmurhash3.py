"""MurmurHash3 x86 32-bit over UTF-8, as sdk/src/murmurhash3.ts computes it.

sdk/test-vectors.json pins it down. A flag hashes `salt + ":" + value` for every context, so the
salt's whole blocks are mixed once per flag (`prefixed_hash`) and each call mixes the rest.
"""

from __future__ import annotations

import struct
from typing import Callable, List, Tuple

_MASK = 0xFFFFFFFF
_C1 = 0xCC9E2D51
_C2 = 0x1B873593
# x * 0x100000001 puts two copies of a 32-bit x side by side, so shifted right by 32 - r its low
# 32 bits are x rotated left by r: one multiply and one shift where the textbook form takes three.
_TWICE = 0x100000001

_BLOCK_READERS: List[Callable[[bytes], Tuple[int, ...]]] = [struct.Struct("<%dI" % n).unpack_from for n in range(64)]


def utf8(text: str) -> bytes:
    """UTF-8 as JavaScript's TextEncoder writes it: surrogate pairs joined, a lone surrogate as U+FFFD."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        # Python keeps a pair that JSON did not join as two code points; a JavaScript string joins them.
        return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace").encode("utf-8")


def _blocks(data: bytes, count: int) -> Tuple[int, ...]:
    return _BLOCK_READERS[count](data) if count < 64 else struct.unpack_from("<%dI" % count, data)


def prefixed_hash(prefix: str, seed: int = 0) -> Callable[[str], int]:
    """`text → murmurhash3_x86_32(prefix + text, seed)`, unsigned, with the prefix's blocks mixed once."""
    head = utf8(prefix)
    whole = len(head) >> 2
    state = seed & _MASK
    for k in _blocks(head, whole):
        k = (k * _C1) & _MASK
        state ^= (((k * _TWICE) >> 17) * _C2) & _MASK
        state = ((((state * _TWICE) >> 19) * 5) + 0xE6546B64) & _MASK
    pending = head[whole << 2 :]
    # The final length mix counts the prefix's bytes mixed here; the pending ones are hashed per call.
    mixed = len(head) - len(pending)
    readers = _BLOCK_READERS

    def hash_after_prefix(text: str) -> int:
        try:
            data = pending + text.encode()
        except UnicodeEncodeError:
            data = pending + utf8(text)
        length = len(data)
        whole = length >> 2
        h = state
        for k in readers[whole](data) if whole < 64 else _blocks(data, whole):
            k = (k * 0xCC9E2D51) & 0xFFFFFFFF
            h ^= (((k * 0x100000001) >> 17) * 0x1B873593) & 0xFFFFFFFF
            h = ((((h * 0x100000001) >> 19) * 5) + 0xE6546B64) & 0xFFFFFFFF
        if length & 3:
            k = (int.from_bytes(data[whole << 2 :], "little") * 0xCC9E2D51) & 0xFFFFFFFF
            h ^= (((k * 0x100000001) >> 17) * 0x1B873593) & 0xFFFFFFFF
        h ^= mixed + length
        h ^= h >> 16
        h = (h * 0x85EBCA6B) & 0xFFFFFFFF
        h ^= h >> 13
        h = (h * 0xC2B2AE35) & 0xFFFFFFFF
        return h ^ (h >> 16)

    return hash_after_prefix


def murmurhash3_x86_32(text: str, seed: int = 0) -> int:
    """MurmurHash3 x86 32-bit of the UTF-8 bytes of `text`, unsigned."""
    return prefixed_hash("", seed)(text)
