"""Just enough of the protobuf wire format for the DDSketch message (as sdk/src/protobuf-wire.ts)."""

from __future__ import annotations

import struct

WIRE_VARINT = 0
WIRE_FIXED64 = 1
WIRE_LENGTH = 2
WIRE_FIXED32 = 5

_DOUBLE = struct.Struct("<d")


def varint(value: int) -> bytes:
    """A non-negative integer as a base-128 varint."""
    out = bytearray()
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def tag(field: int, wire_type: int) -> bytes:
    return varint((field << 3) | wire_type)


def zigzag32(value: int) -> int:
    return ((value << 1) ^ (value >> 31)) & 0xFFFFFFFF


def double(value: float) -> bytes:
    return _DOUBLE.pack(value)


def length_delimited(field: int, payload: bytes) -> bytes:
    return tag(field, WIRE_LENGTH) + varint(len(payload)) + payload


class ProtoReader:
    """Reads fields from a message; raises ValueError on anything truncated or malformed."""

    def __init__(self, data: bytes) -> None:
        self._data = memoryview(data)
        self.position = 0

    @property
    def done(self) -> bool:
        return self.position >= len(self._data)

    def varint(self) -> int:
        """The low 32 bits, unsigned: enough for tags, lengths, int32 and sint32 fields."""
        result = 0
        for shift in range(0, 70, 7):
            if self.position >= len(self._data):
                raise ValueError("truncated protobuf varint")
            byte = self._data[self.position]
            self.position += 1
            if shift < 32:
                result |= (byte & 0x7F) << shift
            if byte < 0x80:
                return result & 0xFFFFFFFF
        raise ValueError("malformed protobuf varint")

    def sint32(self) -> int:
        value = self.varint()
        return (value >> 1) ^ -(value & 1)

    def double(self) -> float:
        self._need(8)
        (value,) = _DOUBLE.unpack_from(self._data, self.position)
        self.position += 8
        return float(value)

    def message(self) -> "ProtoReader":
        """A length-delimited field's bytes, as a reader of their own."""
        length = self.varint()
        self._need(length)
        start = self.position
        self.position += length
        return ProtoReader(bytes(self._data[start : self.position]))

    def skip(self, wire_type: int) -> None:
        if wire_type == WIRE_VARINT:
            self.varint()
        elif wire_type == WIRE_FIXED64:
            self._advance(8)
        elif wire_type == WIRE_LENGTH:
            self._advance(self.varint())
        elif wire_type == WIRE_FIXED32:
            self._advance(4)
        else:
            raise ValueError("unsupported protobuf wire type %d" % wire_type)

    def _advance(self, length: int) -> None:
        self._need(length)
        self.position += length

    def _need(self, length: int) -> None:
        if self.position + length > len(self._data):
            raise ValueError("truncated protobuf message")
