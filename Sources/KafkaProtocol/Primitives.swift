import NIOCore

/// Why a Kafka message could not be read or written.
public struct KafkaCodecError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong, naming the message and field.
    public var message: String

    /// Creates an error with its text.
    public init(_ message: String) { self.message = message }

    /// The text.
    public var description: String { message }

    @usableFromInline
    static func truncated(_ what: String) -> KafkaCodecError {
        KafkaCodecError("truncated: the frame ends inside \(what)")
    }
}

/// A Kafka UUID (topic ids, directory ids): 16 bytes, all zero meaning "none".
public struct KafkaUUID: Hashable, Sendable, CustomStringConvertible {
    /// The most significant 8 bytes, big-endian, as Java's `Uuid` holds them.
    public var high: UInt64
    /// The least significant 8 bytes.
    public var low: UInt64

    /// The zero UUID (Kafka's `Uuid.ZERO_UUID`): no id.
    public static let zero = KafkaUUID(high: 0, low: 0)

    /// Creates a UUID from its two halves.
    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// Creates a UUID from 16 bytes; nil unless there are exactly 16.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 16 else { return nil }
        var h: UInt64 = 0
        var l: UInt64 = 0
        for (i, b) in bytes.enumerated() {
            if i < 8 { h = h << 8 | UInt64(b) } else { l = l << 8 | UInt64(b) }
        }
        self.init(high: h, low: l)
    }

    /// The 16 bytes, big-endian.
    public var bytes: [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: high >> (56 - 8 * UInt64($0))) }
            + (0..<8).map { UInt8(truncatingIfNeeded: low >> (56 - 8 * UInt64($0))) }
    }

    /// Kafka's text form: URL-safe base64 without padding (22 characters), as `Uuid.toString()`.
    public var description: String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        let b = bytes
        var out = ""
        var i = 0
        while i < b.count {
            let n = min(3, b.count - i)
            var chunk: UInt32 = 0
            for j in 0..<3 { chunk = chunk << 8 | UInt32(j < n ? b[i + j] : 0) }
            for j in 0..<(n + 1) { out.append(alphabet[Int((chunk >> (18 - 6 * UInt32(j))) & 63)]) }
            i += 3
        }
        return out
    }
}

/// A tagged field of a flexible version that this codec does not know: kept as its raw bytes
/// so that re-encoding the message writes it back unchanged.
public struct KafkaTaggedField: Hashable, Sendable {
    /// The tag.
    public var tag: UInt32
    /// The field's bytes (without the tag and size prefix).
    public var data: [UInt8]

    /// Creates a field.
    public init(tag: UInt32, data: [UInt8]) {
        self.tag = tag
        self.data = data
    }
}

/// A Kafka protocol message (request, response, header or data structure), generated from
/// Kafka's JSON message definitions by `scripts/kafka-codegen`.
public protocol KafkaMessage: Hashable, Sendable {
    /// The versions this message has.
    static var validVersions: ClosedRange<Int16> { get }
    /// The first flexible version (compact encodings and tagged fields), or nil if none is.
    static var firstFlexibleVersion: Int16? { get }
    /// A message with every field at its default.
    init()
    /// Reads the message in `version` from `buffer`, advancing it.
    init(from buffer: inout ByteBuffer, version: Int16) throws(KafkaCodecError)
    /// Writes the message in `version`; a non-default value in a field `version` lacks is an
    /// error unless the field is ignorable.
    func write(into buffer: inout ByteBuffer, version: Int16) throws(KafkaCodecError)
}

extension KafkaMessage {
    /// Whether `version` uses the flexible encodings.
    public static func isFlexible(_ version: Int16) -> Bool {
        firstFlexibleVersion.map { version >= $0 } ?? false
    }
}

/// A request of one API; its response type is ``Response``.
public protocol KafkaRequest: KafkaMessage {
    /// The response to this request.
    associatedtype Response: KafkaResponse
    /// The API key.
    static var apiKey: Int16 { get }
}

/// A response of one API.
public protocol KafkaResponse: KafkaMessage {
    /// The API key.
    static var apiKey: Int16 { get }
}

// MARK: - Reading

extension ByteBuffer {
    @inlinable
    mutating func kafkaReadInteger<T: FixedWidthInteger>(
        _ what: String, as: T.Type = T.self
    ) throws(KafkaCodecError)
        -> T
    {
        guard let v = readInteger(endianness: .big, as: T.self) else { throw .truncated(what) }
        return v
    }

    mutating func kafkaReadBool(_ what: String) throws(KafkaCodecError) -> Bool {
        try kafkaReadInteger(what, as: UInt8.self) != 0
    }

    mutating func kafkaReadFloat64(_ what: String) throws(KafkaCodecError) -> Double {
        Double(bitPattern: try kafkaReadInteger(what, as: UInt64.self))
    }

    /// An unsigned varint of at most 5 bytes (Kafka's `readUnsignedVarint`).
    @inlinable
    mutating func kafkaReadUVarint(_ what: String) throws(KafkaCodecError) -> UInt32 {
        var value: UInt32 = 0
        var shift: UInt32 = 0
        while true {
            guard let byte = readInteger(as: UInt8.self) else { throw .truncated(what) }
            if shift == 28 && byte > 0x0F { throw KafkaCodecError("\(what): varint longer than 5 bytes") }
            value |= UInt32(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
        }
    }

    /// A length or count: int16/int32 in classic versions, unsigned varint minus one in compact
    /// ones; -1 means null. Lengths longer than what is left in the frame are refused here, so a
    /// hostile length never allocates.
    @inlinable
    mutating func kafkaReadLength(
        _ what: String, compact: Bool, wide: Bool, elementMinimum: Int = 1
    )
        throws(KafkaCodecError) -> Int
    {
        let n: Int
        if compact {
            n = Int(try kafkaReadUVarint(what)) - 1
        } else if wide {
            n = Int(try kafkaReadInteger(what, as: Int32.self))
        } else {
            n = Int(try kafkaReadInteger(what, as: Int16.self))
        }
        if n < -1 { throw KafkaCodecError("\(what): negative length \(n)") }
        if n > 0 && n * elementMinimum > readableBytes {
            throw KafkaCodecError("\(what): length \(n) is more than the \(readableBytes) bytes left")
        }
        return n
    }

    mutating func kafkaReadString(_ what: String, compact: Bool) throws(KafkaCodecError) -> String {
        guard let s = try kafkaReadNullableString(what, compact: compact) else {
            throw KafkaCodecError("\(what): null where a string is required")
        }
        return s
    }

    mutating func kafkaReadNullableString(_ what: String, compact: Bool) throws(KafkaCodecError) -> String? {
        let n = try kafkaReadLength(what, compact: compact, wide: false)
        if n < 0 { return nil }
        return readString(length: n)!
    }

    mutating func kafkaReadBytes(_ what: String, compact: Bool) throws(KafkaCodecError) -> [UInt8] {
        guard let b = try kafkaReadNullableBytes(what, compact: compact) else {
            throw KafkaCodecError("\(what): null where bytes are required")
        }
        return b
    }

    mutating func kafkaReadNullableBytes(_ what: String, compact: Bool) throws(KafkaCodecError) -> [UInt8]? {
        let n = try kafkaReadLength(what, compact: compact, wide: true)
        if n < 0 { return nil }
        return readBytes(length: n)!
    }

    /// Records: nullable bytes, kept as a slice of the frame (no copy).
    mutating func kafkaReadRecords(_ what: String, compact: Bool) throws(KafkaCodecError) -> ByteBuffer? {
        let n = try kafkaReadLength(what, compact: compact, wide: true)
        if n < 0 { return nil }
        return readSlice(length: n)!
    }

    mutating func kafkaReadUUID(_ what: String) throws(KafkaCodecError) -> KafkaUUID {
        let h = try kafkaReadInteger(what, as: UInt64.self)
        let l = try kafkaReadInteger(what, as: UInt64.self)
        return KafkaUUID(high: h, low: l)
    }

    /// The size-prefixed bytes of one tagged field.
    mutating func kafkaReadTaggedFieldData(_ what: String) throws(KafkaCodecError) -> ByteBuffer {
        let size = Int(try kafkaReadUVarint(what))
        guard let slice = readSlice(length: size) else { throw .truncated(what) }
        return slice
    }
}

// MARK: - Writing

extension ByteBuffer {
    @inlinable
    mutating func kafkaWriteUVarint(_ value: UInt32) {
        var v = value
        while v >= 0x80 {
            writeInteger(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        writeInteger(UInt8(v))
    }

    @inlinable
    mutating func kafkaWriteLength(_ n: Int, compact: Bool, wide: Bool, _ what: String) throws(KafkaCodecError) {
        if compact {
            kafkaWriteUVarint(UInt32(n + 1))
        } else if wide {
            writeInteger(Int32(n))
        } else {
            guard n <= Int(Int16.max) else { throw KafkaCodecError("\(what): \(n) bytes is too long for a string") }
            writeInteger(Int16(n))
        }
    }

    mutating func kafkaWriteBool(_ v: Bool) { writeInteger(UInt8(v ? 1 : 0)) }

    mutating func kafkaWriteFloat64(_ v: Double) { writeInteger(v.bitPattern) }

    mutating func kafkaWriteString(_ s: String?, compact: Bool, _ what: String) throws(KafkaCodecError) {
        guard let s else { return try kafkaWriteLength(-1, compact: compact, wide: false, what) }
        try kafkaWriteLength(s.utf8.count, compact: compact, wide: false, what)
        writeString(s)
    }

    mutating func kafkaWriteBytes(_ b: [UInt8]?, compact: Bool, _ what: String) throws(KafkaCodecError) {
        guard let b else { return try kafkaWriteLength(-1, compact: compact, wide: true, what) }
        try kafkaWriteLength(b.count, compact: compact, wide: true, what)
        writeBytes(b)
    }

    mutating func kafkaWriteRecords(_ r: ByteBuffer?, compact: Bool, _ what: String) throws(KafkaCodecError) {
        guard let r else { return try kafkaWriteLength(-1, compact: compact, wide: true, what) }
        try kafkaWriteLength(r.readableBytes, compact: compact, wide: true, what)
        writeImmutableBuffer(r)
    }

    mutating func kafkaWriteUUID(_ u: KafkaUUID) {
        writeInteger(u.high)
        writeInteger(u.low)
    }

    /// Writes a flexible version's tagged-field section: the known fields the message has at a
    /// non-default value and the unknown ones it kept, in ascending tag order.
    mutating func kafkaWriteTaggedFields(_ known: [KafkaTaggedField], unknown: [KafkaTaggedField]) {
        let all = (known + unknown).sorted { $0.tag < $1.tag }
        kafkaWriteUVarint(UInt32(all.count))
        for field in all {
            kafkaWriteUVarint(field.tag)
            kafkaWriteUVarint(UInt32(field.data.count))
            writeBytes(field.data)
        }
    }
}

/// Encodes one tagged field's value on its own, to learn its size.
@inlinable
func kafkaTagged(
    _ tag: UInt32, _ body: (inout ByteBuffer) throws(KafkaCodecError) -> Void
) throws(KafkaCodecError)
    -> KafkaTaggedField
{
    var scratch = ByteBuffer()
    try body(&scratch)
    return KafkaTaggedField(tag: tag, data: scratch.readBytes(length: scratch.readableBytes) ?? [])
}
