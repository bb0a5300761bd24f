// One-pass readers and writers for the arrays on the hot paths (Produce records and offsets, Fetch
// and subscription records). Every ByteBuffer call checks bounds and, in release builds, memory
// exclusivity; for a 1,000-record message that was a quarter of the broker's time. These work on
// the buffer's raw bytes in one closure per array and write exactly the bytes of the field-by-field
// codec (tested in RawCodecTests). Readers decline anything unusual
// (headers, a bad length, missing bytes) so the field-by-field reader reports it with its usual
// error.

import NIOCore

/// Reads big-endian fields from raw bytes; every read checks the bytes left and returns nil
/// rather than reading past the end.
struct RawReader {
    let raw: UnsafeRawBufferPointer
    var offset = 0

    init(_ raw: UnsafeRawBufferPointer) {
        self.raw = raw
    }

    /// A big-endian integer, or nil when too few bytes are left.
    mutating func integer<T: FixedWidthInteger>(_: T.Type = T.self) -> T? {
        let size = MemoryLayout<T>.size
        guard raw.count - offset >= size else { return nil }
        defer { offset += size }
        return T(bigEndian: raw.loadUnaligned(fromByteOffset: offset, as: T.self))
    }

    /// `nullable_bytes`: `.some(nil)` for Kafka's null; nil when the length is bad or bytes are missing.
    mutating func nullableBytes() -> [UInt8]?? {
        let start = offset
        guard let length = integer(Int32.self) else { return nil }
        if length == -1 { return .some(nil) }
        guard length >= 0, raw.count - offset >= Int(length) else {
            offset = start
            return nil
        }
        defer { offset += Int(length) }
        return .some([UInt8](UnsafeRawBufferPointer(rebasing: raw[offset..<(offset + Int(length))])))
    }

    /// The array count of an empty `[T]`: true when the next `uint32` is 0.
    mutating func emptyArray() -> Bool {
        integer(UInt32.self) == 0
    }
}

/// Writes big-endian fields into raw bytes the caller sized exactly.
struct RawWriter {
    let raw: UnsafeMutableRawBufferPointer
    var offset = 0

    init(_ raw: UnsafeMutableRawBufferPointer) {
        self.raw = raw
    }

    /// A big-endian integer.
    mutating func integer<T: FixedWidthInteger>(_ value: T) {
        raw.storeBytes(of: value.bigEndian, toByteOffset: offset, as: T.self)
        offset += MemoryLayout<T>.size
    }

    /// `nullable_bytes`: the `int32` length (-1 = null) and the bytes.
    mutating func nullableBytes(_ bytes: [UInt8]?) {
        guard let bytes else {
            integer(Int32(-1))
            return
        }
        precondition(bytes.count <= Int32.max, "nullable_bytes longer than Int32.max")
        integer(Int32(truncatingIfNeeded: bytes.count))
        bytes.withUnsafeBytes { source in
            UnsafeMutableRawBufferPointer(rebasing: raw[offset..<(offset + source.count)]).copyMemory(from: source)
        }
        offset += bytes.count
    }
}

extension ByteBuffer {
    /// Reads `[T]` like ``readWireArray(_:of:)``, taking as many elements as `fast` accepts in one
    /// pass over the raw bytes and reading any element it declines field by field (which throws
    /// the precise error for a bad one).
    mutating func readWireArray<T: WireElement>(
        _ field: StaticString, fast: (inout RawReader) -> T?
    ) throws(AdminProtocolError) -> [T] {
        let count = try readWireArrayCount(field, of: T.self)
        var result: [T] = []
        result.reserveCapacity(count)
        while result.count < count {
            let consumed = withUnsafeReadableBytes { raw in
                var reader = RawReader(raw)
                while result.count < count {
                    let start = reader.offset
                    guard let value = fast(&reader) else {
                        reader.offset = start
                        break
                    }
                    result.append(value)
                }
                return reader.offset
            }
            moveReaderIndex(forwardBy: consumed)
            guard result.count < count else { break }
            do {
                result.append(try T(from: &self))
            } catch {
                throw error.nested(in: "\(field)[\(result.count)]")
            }
        }
        return result
    }

    /// Writes `[T]` like ``writeWireArray(_:)``: the count, then every element with `fast` in one
    /// pass. `size` is the exact size of all elements, without the count.
    mutating func writeWireArray<T>(_ values: [T], size: Int, fast: (inout RawWriter, T) -> Void) {
        precondition(values.count <= UInt32.max, "an array longer than UInt32.max")
        reserveCapacity(minimumWritableBytes: 4 + size)
        writeInteger(UInt32(truncatingIfNeeded: values.count))
        writeWithUnsafeMutableBytes(minimumWritableBytes: size) { raw in
            var writer = RawWriter(raw)
            for value in values { fast(&writer, value) }
            precondition(writer.offset == size, "the fast writer wrote \(writer.offset) bytes, not \(size)")
            return writer.offset
        }
    }
}
