/// Zig-zag variable-length integers, as in Kafka's record format and protobuf's `sint32`/`sint64`.
///
/// Zig-zag maps signed to unsigned so that small magnitudes stay short (0 → 0, -1 → 1, 1 → 2,
/// -2 → 3, …); the result is written seven bits per byte, least significant group first, with the
/// high bit of each byte set when more bytes follow. A varint (32-bit) takes at most 5 bytes, a
/// varlong (64-bit) at most 10.
///
/// Decoding never traps: truncated or over-long input throws ``BrokerError/corruptRecord(_:)``.
public enum Varint {
    /// The most bytes a 32-bit varint takes.
    public static let maxVarintSize = 5
    /// The most bytes a 64-bit varlong takes.
    public static let maxVarlongSize = 10

    /// Zig-zag encodes a 32-bit value.
    @inline(__always)
    public static func zigZag(_ value: Int32) -> UInt32 {
        UInt32(bitPattern: (value << 1) ^ (value >> 31))
    }

    /// Zig-zag encodes a 64-bit value.
    @inline(__always)
    public static func zigZag(_ value: Int64) -> UInt64 {
        UInt64(bitPattern: (value << 1) ^ (value >> 63))
    }

    /// Reverses ``zigZag(_:)-(Int32)``.
    @inline(__always)
    public static func unZigZag(_ value: UInt32) -> Int32 {
        Int32(bitPattern: value >> 1) ^ -Int32(bitPattern: value & 1)
    }

    /// Reverses ``zigZag(_:)-(Int64)``.
    @inline(__always)
    public static func unZigZag(_ value: UInt64) -> Int64 {
        Int64(bitPattern: value >> 1) ^ -Int64(bitPattern: value & 1)
    }

    /// The number of bytes ``writeVarint(_:to:)`` uses for `value`.
    @inline(__always)
    public static func size(ofVarint value: Int32) -> Int {
        unsignedSize(UInt64(zigZag(value)))
    }

    /// The number of bytes ``writeVarlong(_:to:)`` uses for `value`.
    @inline(__always)
    public static func size(ofVarlong value: Int64) -> Int {
        unsignedSize(zigZag(value))
    }

    @inline(__always)
    static func unsignedSize(_ value: UInt64) -> Int {
        // Bits needed, rounded up to groups of seven; zero still takes one byte.
        let bits = 64 - (value | 1).leadingZeroBitCount
        return (bits + 6) / 7
    }

    /// Writes `value` as a zig-zag varint at `pointer`, which must have room for
    /// ``maxVarintSize`` bytes; returns the number of bytes written.
    @inline(__always)
    public static func writeVarint(_ value: Int32, to pointer: UnsafeMutableRawPointer) -> Int {
        writeUnsigned(UInt64(zigZag(value)), to: pointer)
    }

    /// Writes `value` as a zig-zag varlong at `pointer`, which must have room for
    /// ``maxVarlongSize`` bytes; returns the number of bytes written.
    @inline(__always)
    public static func writeVarlong(_ value: Int64, to pointer: UnsafeMutableRawPointer) -> Int {
        writeUnsigned(zigZag(value), to: pointer)
    }

    @inline(__always)
    static func writeUnsigned(_ value: UInt64, to pointer: UnsafeMutableRawPointer) -> Int {
        var value = value
        var count = 0
        while value >= 0x80 {
            pointer.storeBytes(of: UInt8(truncatingIfNeeded: value) | 0x80, toByteOffset: count, as: UInt8.self)
            value >>= 7
            count += 1
        }
        pointer.storeBytes(of: UInt8(truncatingIfNeeded: value), toByteOffset: count, as: UInt8.self)
        return count + 1
    }

    /// Appends `value` as a zig-zag varint.
    public static func appendVarint(_ value: Int32, to bytes: inout [UInt8]) {
        appendUnsigned(UInt64(zigZag(value)), to: &bytes)
    }

    /// Appends `value` as a zig-zag varlong.
    public static func appendVarlong(_ value: Int64, to bytes: inout [UInt8]) {
        appendUnsigned(zigZag(value), to: &bytes)
    }

    static func appendUnsigned(_ value: UInt64, to bytes: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(truncatingIfNeeded: value))
    }

    /// Reads a zig-zag varint starting at `index` and moves `index` past it.
    ///
    /// Like Kafka, a fifth byte contributes only its low four bits.
    /// - Throws: ``BrokerError/corruptRecord(_:)`` when the bytes end first or a fifth byte
    ///   still has its continuation bit set.
    @inline(__always)
    public static func readVarint(from bytes: UnsafeRawBufferPointer, at index: inout Int) throws(BrokerError) -> Int32
    {
        // Fast path: one byte.
        if index >= 0 && index < bytes.count {
            let first = bytes[index]
            if first < 0x80 {
                index += 1
                return unZigZag(UInt32(first))
            }
        }
        return unZigZag(UInt32(truncatingIfNeeded: try readUnsigned(from: bytes, at: &index, maxBytes: maxVarintSize)))
    }

    /// Reads a zig-zag varlong starting at `index` and moves `index` past it.
    /// - Throws: ``BrokerError/corruptRecord(_:)`` when the bytes end first or a tenth byte
    ///   still has its continuation bit set.
    @inline(__always)
    public static func readVarlong(from bytes: UnsafeRawBufferPointer, at index: inout Int) throws(BrokerError) -> Int64
    {
        if index >= 0 && index < bytes.count {
            let first = bytes[index]
            if first < 0x80 {
                index += 1
                return unZigZag(UInt64(first))
            }
        }
        return unZigZag(try readUnsigned(from: bytes, at: &index, maxBytes: maxVarlongSize))
    }

    static func readUnsigned(
        from bytes: UnsafeRawBufferPointer, at index: inout Int, maxBytes: Int
    ) throws(BrokerError) -> UInt64 {
        guard index >= 0 else { throw .corruptRecord("varint at negative position \(index)") }
        var result: UInt64 = 0
        var shift: UInt64 = 0
        var position = index
        for _ in 0..<maxBytes {
            guard position < bytes.count else {
                throw .corruptRecord("varint at position \(index) runs past the end of the data")
            }
            let byte = bytes[position]
            position += 1
            result |= UInt64(byte & 0x7f) << shift
            if byte < 0x80 {
                index = position
                return result
            }
            shift += 7
        }
        throw .corruptRecord("varint at position \(index) is longer than \(maxBytes) bytes")
    }

    /// Reads a zig-zag varint from an array; see ``readVarint(from:at:)-(UnsafeRawBufferPointer,_)``.
    public static func readVarint(from bytes: [UInt8], at index: inout Int) throws(BrokerError) -> Int32 {
        var position = index
        let value = try bytes.withBytes { (raw) throws(BrokerError) -> Int32 in
            try readVarint(from: raw, at: &position)
        }
        index = position
        return value
    }

    /// Reads a zig-zag varlong from an array; see ``readVarlong(from:at:)-(UnsafeRawBufferPointer,_)``.
    public static func readVarlong(from bytes: [UInt8], at index: inout Int) throws(BrokerError) -> Int64 {
        var position = index
        let value = try bytes.withBytes { (raw) throws(BrokerError) -> Int64 in
            try readVarlong(from: raw, at: &position)
        }
        index = position
        return value
    }
}
