// Committed offsets as records of the internal topic `__consumer_offsets`, in the layout of
// Kafka's own `OffsetCommitKey` (version 1) and `OffsetCommitValue` (version 3). All integers
// are big-endian; a string is an int16 byte length followed by that many UTF-8 bytes.
//
// Key (record key):
//   version          int16   1 (0 is read too: same layout)
//   group            string  the group id
//   topic            string
//   partition        int32
//
// Value (record value; a null value is a tombstone that deletes the key):
//   version          int16   3
//   offset           int64   the next offset the group will consume
//   leaderEpoch      int32   -1 when unknown
//   metadata         string  the client's free-form commit metadata
//   commitTimestamp  int64   milliseconds since the epoch
//
// Decoding checks every length against the bytes present and rejects trailing bytes, unknown
// versions, negative string lengths and invalid UTF-8 with BrokerError.corruptRecord: it never
// traps on malformed input.

/// The key of a committed-offset record: which group's offset of which partition.
public struct OffsetCommitKey: Hashable, Sendable {
    /// The key version written by ``encode()``.
    public static let version: Int16 = 1

    /// The group id.
    public var group: String
    /// The topic and partition.
    public var topicPartition: TopicPartition

    /// Creates a key.
    public init(group: String, topicPartition: TopicPartition) {
        self.group = group
        self.topicPartition = topicPartition
    }

    /// The key's bytes (see the format at the top of this file).
    /// - Throws: ``BrokerError/invalidRequest(_:)`` when a string is longer than 32767 bytes.
    public func encode() throws(BrokerError) -> [UInt8] {
        var writer = OffsetCommitByteWriter()
        writer.write(Self.version)
        try writer.write(group, field: "group id")
        try writer.write(topicPartition.topic, field: "topic")
        writer.write(topicPartition.partition)
        return writer.bytes
    }

    /// Decodes a key.
    /// - Throws: ``BrokerError/corruptRecord(_:)`` when `bytes` are not a version 0 or 1 key.
    public static func decode(_ bytes: [UInt8]) throws(BrokerError) -> OffsetCommitKey {
        var reader = OffsetCommitByteReader(bytes, what: "offset commit key")
        let version = try reader.readInt16()
        guard version == 0 || version == 1 else {
            throw .corruptRecord("offset commit key has unsupported version \(version)")
        }
        let group = try reader.readString()
        let topic = try reader.readString()
        let partition = try reader.readInt32()
        try reader.expectEnd()
        return OffsetCommitKey(group: group, topicPartition: TopicPartition(topic: topic, partition: partition))
    }
}

/// The value of a committed-offset record.
public struct OffsetCommitValue: Hashable, Sendable {
    /// The value version written and read by this codec.
    public static let version: Int16 = 3

    /// The committed offset: the next offset the group will consume.
    public var offset: Int64
    /// The leader epoch the client saw, or -1.
    public var leaderEpoch: Int32
    /// The client's commit metadata.
    public var metadata: String
    /// When the offset was committed, in milliseconds since the epoch.
    public var commitTimestamp: Int64

    /// Creates a value.
    public init(offset: Int64, leaderEpoch: Int32 = -1, metadata: String = "", commitTimestamp: Int64) {
        self.offset = offset
        self.leaderEpoch = leaderEpoch
        self.metadata = metadata
        self.commitTimestamp = commitTimestamp
    }

    /// The value's bytes (see the format at the top of this file).
    /// - Throws: ``BrokerError/invalidRequest(_:)`` when the metadata is longer than 32767 bytes.
    public func encode() throws(BrokerError) -> [UInt8] {
        var writer = OffsetCommitByteWriter()
        writer.write(Self.version)
        writer.write(offset)
        writer.write(leaderEpoch)
        try writer.write(metadata, field: "offset metadata")
        writer.write(commitTimestamp)
        return writer.bytes
    }

    /// Decodes a value.
    /// - Throws: ``BrokerError/corruptRecord(_:)`` when `bytes` are not a version 3 value.
    public static func decode(_ bytes: [UInt8]) throws(BrokerError) -> OffsetCommitValue {
        var reader = OffsetCommitByteReader(bytes, what: "offset commit value")
        let version = try reader.readInt16()
        guard version == Self.version else {
            throw .corruptRecord("offset commit value has unsupported version \(version)")
        }
        let offset = try reader.readInt64()
        let leaderEpoch = try reader.readInt32()
        let metadata = try reader.readString()
        let commitTimestamp = try reader.readInt64()
        try reader.expectEnd()
        return OffsetCommitValue(
            offset: offset, leaderEpoch: leaderEpoch, metadata: metadata, commitTimestamp: commitTimestamp)
    }
}

/// One entry of the ``OffsetStore``: a committed offset, or a tombstone that deletes one.
public struct OffsetCommitEntry: Hashable, Sendable {
    /// Which group's offset of which partition.
    public var key: OffsetCommitKey
    /// The committed offset, or `nil` for a tombstone.
    public var value: OffsetCommitValue?

    /// Creates an entry; a `nil` value makes a tombstone.
    public init(key: OffsetCommitKey, value: OffsetCommitValue?) {
        self.key = key
        self.value = value
    }

    /// Whether this entry deletes its key.
    public var isTombstone: Bool { value == nil }

    /// The record key and value bytes to store; the value is `nil` for a tombstone.
    /// - Throws: ``BrokerError/invalidRequest(_:)`` when a string is too long to encode.
    public func encode() throws(BrokerError) -> (key: [UInt8], value: [UInt8]?) {
        (try key.encode(), try value?.encode())
    }

    /// Decodes a stored record; a `nil` value is a tombstone.
    /// - Throws: ``BrokerError/corruptRecord(_:)`` when the bytes are malformed.
    public static func decode(key: [UInt8], value: [UInt8]?) throws(BrokerError) -> OffsetCommitEntry {
        OffsetCommitEntry(key: try OffsetCommitKey.decode(key), value: try value.map(OffsetCommitValue.decode))
    }
}

/// Appends big-endian integers and int16-length-prefixed strings.
private struct OffsetCommitByteWriter {
    var bytes: [UInt8] = []

    mutating func write<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func write(_ string: String, field: String) throws(BrokerError) {
        let utf8 = Array(string.utf8)
        guard utf8.count <= Int(Int16.max) else {
            throw .invalidRequest("\(field) is \(utf8.count) bytes long; at most \(Int16.max) can be stored")
        }
        write(Int16(utf8.count))
        bytes.append(contentsOf: utf8)
    }
}

/// Reads big-endian integers and int16-length-prefixed strings, checking every bound.
private struct OffsetCommitByteReader {
    private let bytes: [UInt8]
    private let what: String
    private var position = 0

    init(_ bytes: [UInt8], what: String) {
        self.bytes = bytes
        self.what = what
    }

    private mutating func take(_ count: Int) throws(BrokerError) -> ArraySlice<UInt8> {
        guard count >= 0, bytes.count - position >= count else {
            throw .corruptRecord("\(what) is truncated: needs \(count) bytes at byte \(position) of \(bytes.count)")
        }
        defer { position += count }
        return bytes[position..<(position + count)]
    }

    private mutating func readInteger<T: FixedWidthInteger>(_: T.Type) throws(BrokerError) -> T {
        var value: T = 0
        for byte in try take(MemoryLayout<T>.size) {
            value = (value << 8) | T(truncatingIfNeeded: byte)
        }
        return value
    }

    mutating func readInt16() throws(BrokerError) -> Int16 { try readInteger(Int16.self) }
    mutating func readInt32() throws(BrokerError) -> Int32 { try readInteger(Int32.self) }
    mutating func readInt64() throws(BrokerError) -> Int64 { try readInteger(Int64.self) }

    mutating func readString() throws(BrokerError) -> String {
        let length = try readInt16()
        guard length >= 0 else {
            throw .corruptRecord("\(what) has a string of negative length \(length)")
        }
        let utf8 = try take(Int(length))
        guard let string = String(validating: utf8, as: UTF8.self) else {
            throw .corruptRecord("\(what) has a string that is not valid UTF-8")
        }
        return string
    }

    func expectEnd() throws(BrokerError) {
        guard position == bytes.count else {
            throw .corruptRecord("\(what) has \(bytes.count - position) unexpected trailing bytes")
        }
    }
}
