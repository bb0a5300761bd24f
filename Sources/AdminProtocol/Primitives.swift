// The primitive types of the admin protocol (`docs/admin-protocol.md`, section 2), as
// ByteBuffer helpers. All integers are big-endian.
//
//   int8/16/32/64, uint8/16/32   1, 2, 4, 8 bytes
//   bool                         uint8: 0 or 1; any other value is malformed
//   float64                      the IEEE 754 bit pattern as a uint64
//   string                       uint16 length N, then N bytes of valid UTF-8
//   nullable_bytes               int32 length N (-1 = null), then N bytes
//   bytes                        uint32 length N, then N bytes
//   [T]                          uint32 count N, then N values of T
//   T?                           bool present, then T if present
//
// Readers check every length and count against the bytes left in the frame before they allocate,
// and report a malformed field as `"<field>: <what was wrong>"`; array and message decoders prefix
// the path (`records[3].key: …`).

import NIOCore

/// A value that can be an element of a wire array `[T]` (or the `T` of `T?`).
protocol WireElement {
    /// The fewest bytes one encoded value takes. An array count is refused before anything is
    /// allocated when `count × minimumWireSize` exceeds the bytes left in the frame.
    static var minimumWireSize: Int { get }
    /// Reads one value.
    init(from buffer: inout ByteBuffer) throws(AdminProtocolError)
    /// Writes one value.
    func encode(into buffer: inout ByteBuffer)
}

extension String: WireElement {
    static var minimumWireSize: Int { 2 }
    init(from buffer: inout ByteBuffer) throws(AdminProtocolError) {
        self = try buffer.readWireString("")
    }
    func encode(into buffer: inout ByteBuffer) {
        buffer.writeWireString(self)
    }
}

extension Int32: WireElement {
    static var minimumWireSize: Int { 4 }
    init(from buffer: inout ByteBuffer) throws(AdminProtocolError) {
        self = try buffer.readWireInteger("")
    }
    func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(self)
    }
}

/// The longest string the wire can carry, in UTF-8 bytes.
let maximumWireStringLength = Int(UInt16.max)

extension ByteBuffer {
    // MARK: Reading

    /// Reads a big-endian integer of type `T`.
    @inline(__always)
    mutating func readWireInteger<T: FixedWidthInteger>(
        _ field: StaticString, as _: T.Type = T.self
    ) throws(AdminProtocolError) -> T {
        guard let value = readInteger(endianness: .big, as: T.self) else {
            throw truncated(field, needed: MemoryLayout<T>.size)
        }
        return value
    }

    /// Reads a `bool`: one byte that must be 0 or 1.
    mutating func readWireBool(_ field: StaticString) throws(AdminProtocolError) -> Bool {
        switch try readWireInteger(field, as: UInt8.self) {
        case 0: return false
        case 1: return true
        case let other: throw .malformed(reason: "\(field): \(other) is not a bool (0 or 1)")
        }
    }

    /// Reads a `float64`: the IEEE 754 bit pattern as a big-endian `uint64`.
    mutating func readWireFloat64(_ field: StaticString) throws(AdminProtocolError) -> Double {
        Double(bitPattern: try readWireInteger(field, as: UInt64.self))
    }

    /// Reads a `string`: a `uint16` length, then that many bytes of valid UTF-8.
    mutating func readWireString(_ field: StaticString) throws(AdminProtocolError) -> String {
        let length = Int(try readWireInteger(field, as: UInt16.self))
        guard length <= readableBytes else { throw truncated(field, needed: length, what: "string") }
        if length == 0 { return "" }
        let string = withUnsafeReadableBytes { raw in
            UnsafeRawBufferPointer(rebasing: raw[..<length]).withMemoryRebound(to: UInt8.self) { utf8 in
                String(validating: utf8, as: UTF8.self)  // contiguous UInt8: the validating fast path
            }
        }
        guard let string else {
            throw .malformed(reason: "\(field): \(length) bytes that are not valid UTF-8")
        }
        moveReaderIndex(forwardBy: length)
        return string
    }

    /// Reads `nullable_bytes`: an `int32` length (-1 = null), then that many bytes.
    mutating func readWireNullableBytes(_ field: StaticString) throws(AdminProtocolError) -> [UInt8]? {
        let length = try readWireInteger(field, as: Int32.self)
        if length == -1 { return nil }
        guard length >= 0 else {
            throw .malformed(reason: "\(field): length \(length) is negative and not -1 (null)")
        }
        return try readWireRawBytes(field, length: Int(length))
    }

    /// Reads `bytes`: a `uint32` length, then that many bytes.
    mutating func readWireBytes(_ field: StaticString) throws(AdminProtocolError) -> [UInt8] {
        let length = try readWireInteger(field, as: UInt32.self)
        return try readWireRawBytes(field, length: Int(length))
    }

    private mutating func readWireRawBytes(_ field: StaticString, length: Int) throws(AdminProtocolError) -> [UInt8] {
        if length == 0 { return [] }
        guard let bytes = readBytes(length: length) else { throw truncated(field, needed: length, what: "bytes") }
        return bytes
    }

    /// Reads the `uint32` count of a `[T]` and checks it against the bytes left (at
    /// ``WireElement/minimumWireSize`` each), for readers that then read the elements themselves.
    mutating func readWireArrayCount<T: WireElement>(
        _ field: StaticString, of _: T.Type
    ) throws(AdminProtocolError) -> Int {
        let count = Int(try readWireInteger(field, as: UInt32.self))
        let (needed, overflow) = count.multipliedReportingOverflow(by: T.minimumWireSize)
        guard !overflow, needed <= readableBytes else {
            throw .malformed(
                reason: "\(field): a count of \(count) needs at least \(count) × \(T.minimumWireSize) bytes, "
                    + "only \(readableBytes) left in the frame"
            )
        }
        return count
    }

    /// Reads `[T]`: a `uint32` count, then that many values. The count is checked against the bytes
    /// left (at ``WireElement/minimumWireSize`` each) before the array is allocated.
    mutating func readWireArray<T: WireElement>(
        _ field: StaticString, of _: T.Type = T.self
    ) throws(AdminProtocolError) -> [T] {
        let count = try readWireArrayCount(field, of: T.self)
        if count == 0 { return [] }
        var result: [T] = []
        result.reserveCapacity(count)
        for index in 0..<count {
            do {
                result.append(try T(from: &self))
            } catch {
                throw error.nested(in: "\(field)[\(index)]")
            }
        }
        return result
    }

    /// Reads `T?`: a `bool` present, then the value if present.
    mutating func readWireOptional<T: WireElement>(
        _ field: StaticString, of _: T.Type = T.self
    ) throws(AdminProtocolError) -> T? {
        guard try readWireBool(field) else { return nil }
        do {
            return try T(from: &self)
        } catch {
            throw error.nested(in: "\(field)")
        }
    }

    /// Throws unless every byte has been read: a body with bytes after its last field is malformed.
    func checkFullyConsumed() throws(AdminProtocolError) {
        guard readableBytes == 0 else {
            throw .malformed(reason: ": \(byteCount(readableBytes)) left over after the last field")
        }
    }

    private func truncated(_ field: StaticString, needed: Int, what: String? = nil) -> AdminProtocolError {
        let noun = what.map { "the \($0) needs" } ?? "needs"
        return .malformed(reason: "\(field): \(noun) \(byteCount(needed)), only \(readableBytes) left in the frame")
    }

    // MARK: Writing

    /// Writes a `bool` as 0 or 1.
    @inline(__always)
    mutating func writeWireBool(_ value: Bool) {
        writeInteger(value ? 1 : 0, as: UInt8.self)
    }

    /// Writes a `float64` as its IEEE 754 bit pattern, big-endian.
    mutating func writeWireFloat64(_ value: Double) {
        writeInteger(value.bitPattern)
    }

    /// Writes a `string`. A string longer than 65,535 UTF-8 bytes is cut at the last whole
    /// Unicode scalar that fits, so the output is always valid (see the protocol document, section 2).
    mutating func writeWireString(_ value: String) {
        let utf8 = value.utf8
        let count = utf8.count
        if count <= maximumWireStringLength {
            writeInteger(UInt16(truncatingIfNeeded: count))
            writeString(value)
            return
        }
        var end = utf8.index(utf8.startIndex, offsetBy: maximumWireStringLength)
        while utf8[end] & 0xC0 == 0x80 {  // a UTF-8 continuation byte: back up to the scalar's start
            end = utf8.index(before: end)
        }
        writeInteger(UInt16(truncatingIfNeeded: utf8.distance(from: utf8.startIndex, to: end)))
        writeBytes(utf8[..<end])
    }

    /// Writes `nullable_bytes`: -1 for nil, else the length and the bytes.
    mutating func writeWireNullableBytes(_ value: [UInt8]?) {
        guard let value else {
            writeInteger(-1, as: Int32.self)
            return
        }
        precondition(value.count <= Int32.max, "nullable_bytes longer than Int32.max")
        writeInteger(Int32(truncatingIfNeeded: value.count))
        writeBytes(value)
    }

    /// Writes `bytes`: the `uint32` length and the bytes.
    mutating func writeWireBytes(_ value: [UInt8]) {
        precondition(value.count <= UInt32.max, "bytes longer than UInt32.max")
        writeInteger(UInt32(truncatingIfNeeded: value.count))
        writeBytes(value)
    }

    /// Writes `[T]`: the `uint32` count and each value.
    mutating func writeWireArray<T: WireElement>(_ values: [T]) {
        precondition(values.count <= UInt32.max, "an array longer than UInt32.max")
        writeInteger(UInt32(truncatingIfNeeded: values.count))
        for value in values {
            value.encode(into: &self)
        }
    }

    /// Writes `T?`: the `bool` present, then the value if present.
    mutating func writeWireOptional<T: WireElement>(_ value: T?) {
        writeWireBool(value != nil)
        value?.encode(into: &self)
    }
}

/// "1 byte", "2 bytes": for error messages.
func byteCount(_ count: Int) -> String { count == 1 ? "1 byte" : "\(count) bytes" }

/// The encoded size of a `string` (for capacity estimates; ignores the 65,535-byte cut).
@inline(__always)
func wireStringSize(_ string: String) -> Int { 2 + string.utf8.count }

/// The encoded size of `nullable_bytes`.
@inline(__always)
func wireNullableBytesSize(_ bytes: [UInt8]?) -> Int { 4 + (bytes?.count ?? 0) }
