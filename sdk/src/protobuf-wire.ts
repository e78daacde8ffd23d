// Just enough of the protobuf wire format for the DDSketch message: sketches-js's own toProto()
// needs protobufjs, which it does not declare as a dependency, and the SDK should not load it.

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LENGTH = 2;
export const WIRE_FIXED32 = 5;

export function varintSize(value: number): number {
  let size = 1;
  while (value >= 0x80) {
    value = Math.floor(value / 0x80);
    size += 1;
  }
  return size;
}

export function zigzag32(value: number): number {
  return ((value << 1) ^ (value >> 31)) >>> 0;
}

/** Writes into a buffer sized up front: callers know every length before they write. */
export class ProtoWriter {
  private readonly bytes: Uint8Array;
  private readonly view: DataView;
  private position = 0;

  constructor(size: number) {
    this.bytes = new Uint8Array(size);
    this.view = new DataView(this.bytes.buffer);
  }

  tag(field: number, wireType: number): this {
    return this.varint((field << 3) | wireType);
  }

  /** Non-negative integers below 2^53 (lengths, tags, zigzagged sint32). */
  varint(value: number): this {
    while (value >= 0x80) {
      this.bytes[this.position++] = (value & 0x7f) | 0x80;
      value = Math.floor(value / 0x80);
    }
    this.bytes[this.position++] = value;
    return this;
  }

  double(value: number): this {
    this.view.setFloat64(this.position, value, true);
    this.position += 8;
    return this;
  }

  raw(bytes: Uint8Array): this {
    this.bytes.set(bytes, this.position);
    this.position += bytes.length;
    return this;
  }

  finish(): Uint8Array {
    if (this.position !== this.bytes.length) throw new Error(`protobuf size mismatch: wrote ${this.position} of ${this.bytes.length}`);
    return this.bytes;
  }
}

export class ProtoReader {
  private readonly view: DataView;
  position = 0;

  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get done(): boolean {
    return this.position >= this.bytes.length;
  }

  /** The low 32 bits, unsigned: enough for tags, lengths, int32 and sint32 fields. */
  varint(): number {
    let result = 0;
    for (let shift = 0; shift < 70; shift += 7) {
      if (this.position >= this.bytes.length) throw new Error("truncated protobuf varint");
      const byte = this.bytes[this.position++]!;
      if (shift < 32) result |= (byte & 0x7f) << shift;
      if (byte < 0x80) return result >>> 0;
    }
    throw new Error("malformed protobuf varint");
  }

  sint32(): number {
    const value = this.varint();
    return (value >>> 1) ^ -(value & 1);
  }

  double(): number {
    this.need(8);
    const value = this.view.getFloat64(this.position, true);
    this.position += 8;
    return value;
  }

  /** A length-delimited field's bytes, as a reader of their own. */
  message(): ProtoReader {
    const length = this.varint();
    this.need(length);
    const start = this.bytes.byteOffset + this.position;
    this.position += length;
    return new ProtoReader(new Uint8Array(this.bytes.buffer, start, length));
  }

  skip(wireType: number): void {
    if (wireType === WIRE_VARINT) this.varint();
    else if (wireType === WIRE_FIXED64) this.advance(8);
    else if (wireType === WIRE_LENGTH) this.advance(this.varint());
    else if (wireType === WIRE_FIXED32) this.advance(4);
    else throw new Error(`unsupported protobuf wire type ${wireType}`);
  }

  private advance(length: number): void {
    this.need(length);
    this.position += length;
  }

  private need(length: number): void {
    if (this.position + length > this.bytes.length) throw new Error("truncated protobuf message");
  }
}
