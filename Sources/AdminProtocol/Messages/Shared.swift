// Structures shared by several APIs (`docs/admin-protocol.md`, section 4, "Shared structures").

import NIOCore

/// A record header: a string key and a nullable value.
public struct HeaderData: Hashable, Sendable {
    /// The header's key.
    public var key: String
    /// The header's value; nil is Kafka's null header value.
    public var value: [UInt8]?

    /// Creates a header.
    public init(key: String, value: [UInt8]?) {
        self.key = key
        self.value = value
    }
}

extension HeaderData: WireElement {
    static var minimumWireSize: Int { 2 + 4 }

    init(from buffer: inout ByteBuffer) throws(AdminProtocolError) {
        key = try buffer.readWireString("key")
        value = try buffer.readWireNullableBytes("value")
    }

    func encode(into buffer: inout ByteBuffer) {
        buffer.writeWireString(key)
        buffer.writeWireNullableBytes(value)
    }

    /// The encoded size, for reserving capacity.
    var wireSize: Int { wireStringSize(key) + wireNullableBytesSize(value) }
}

/// One partition of one topic.
public struct TopicPartitionRef: Hashable, Sendable {
    /// The topic name.
    public var topic: String
    /// The partition number.
    public var partition: Int32

    /// Creates a reference to `topic`'s partition `partition`.
    public init(topic: String, partition: Int32) {
        self.topic = topic
        self.partition = partition
    }
}

extension TopicPartitionRef: WireElement {
    static var minimumWireSize: Int { 2 + 4 }

    init(from buffer: inout ByteBuffer) throws(AdminProtocolError) {
        topic = try buffer.readWireString("topic")
        partition = try buffer.readWireInteger("partition")
    }

    func encode(into buffer: inout ByteBuffer) {
        buffer.writeWireString(topic)
        buffer.writeInteger(partition)
    }
}

/// A topic config key and value, as sent by a client (CreateTopic, AlterTopicConfig).
public struct ConfigPair: Hashable, Sendable {
    /// The config key, in Kafka's spelling (`retention.ms`).
    public var key: String
    /// The value as text.
    public var value: String

    /// Creates a config pair.
    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}

extension ConfigPair: WireElement {
    static var minimumWireSize: Int { 2 + 2 }

    init(from buffer: inout ByteBuffer) throws(AdminProtocolError) {
        key = try buffer.readWireString("key")
        value = try buffer.readWireString("value")
    }

    func encode(into buffer: inout ByteBuffer) {
        buffer.writeWireString(key)
        buffer.writeWireString(value)
    }
}

/// What a record's timestamp is (Kafka's timestamp type, a batch's attributes bit 3).
public enum RecordTimestampType: UInt8, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// The producer's create time (`timestampType` 0).
    case createTime = 0
    /// The broker's clock when the record was appended: the topic has
    /// `message.timestamp.type=LogAppendTime` (`timestampType` 1).
    case logAppendTime = 1

    /// Kafka's name: `CreateTime`, `LogAppendTime` (what `skiff consume --json` prints).
    public var description: String {
        switch self {
        case .createTime: "CreateTime"
        case .logAppendTime: "LogAppendTime"
        }
    }
}

/// A record read from a partition (Fetch responses and `records` subscription events).
///
/// Version 2 of Fetch, Subscribe and Search writes ``timestampType`` after `timestampMs`;
/// version 1 has no such field, and a record read from a version 1 answer has a nil type.
public struct FetchedRecord: Hashable, Sendable {
    /// The first version of Fetch, Subscribe and Search whose records carry ``timestampType``.
    public static let timestampTypeVersion: UInt16 = 2

    /// The record's offset in its partition.
    public var offset: Int64
    /// The record's timestamp in milliseconds since the epoch.
    public var timestampMs: Int64
    /// What ``timestampMs`` is; nil when the broker answered a version without it (v1). Written
    /// as CreateTime when nil at version 2.
    public var timestampType: RecordTimestampType?
    /// The key; nil is Kafka's null key.
    public var key: [UInt8]?
    /// The value; nil is Kafka's null value (a tombstone).
    public var value: [UInt8]?
    /// The record's headers, in order.
    public var headers: [HeaderData]

    /// Creates a record.
    public init(
        offset: Int64, timestampMs: Int64, key: [UInt8]?, value: [UInt8]?, headers: [HeaderData],
        timestampType: RecordTimestampType? = nil
    ) {
        self.offset = offset
        self.timestampMs = timestampMs
        self.timestampType = timestampType
        self.key = key
        self.value = value
        self.headers = headers
    }
}

extension FetchedRecord: WireElement {
    static var minimumWireSize: Int { 8 + 8 + 4 + 4 + 4 }

    /// Reads a version 1 record.
    init(from buffer: inout ByteBuffer) throws(AdminProtocolError) {
        try self.init(from: &buffer, withType: false)
    }

    /// Reads a record with (version 2) or without (version 1) its `timestampType`.
    init(from buffer: inout ByteBuffer, withType: Bool) throws(AdminProtocolError) {
        offset = try buffer.readWireInteger("offset")
        timestampMs = try buffer.readWireInteger("timestampMs")
        timestampType = withType ? try buffer.readWireTimestampType() : nil
        key = try buffer.readWireNullableBytes("key")
        value = try buffer.readWireNullableBytes("value")
        headers = try buffer.readWireArray("headers")
    }

    /// Writes a version 1 record.
    func encode(into buffer: inout ByteBuffer) {
        encode(into: &buffer, withType: false)
    }

    /// Writes the record with (version 2) or without (version 1) its `timestampType`.
    func encode(into buffer: inout ByteBuffer, withType: Bool) {
        buffer.writeInteger(offset)
        buffer.writeInteger(timestampMs)
        if withType { buffer.writeInteger((timestampType ?? .createTime).rawValue) }
        buffer.writeWireNullableBytes(key)
        buffer.writeWireNullableBytes(value)
        buffer.writeWireArray(headers)
    }

    /// The encoded size at version 1, for reserving capacity (version 2: one byte more).
    var wireSize: Int {
        var size = 8 + 8 + wireNullableBytesSize(key) + wireNullableBytesSize(value) + 4
        for header in headers { size += header.wireSize }
        return size
    }

    /// Reads a record without headers from raw bytes (RawCodec.swift), or returns nil when it has
    /// headers or anything the field-by-field reader should report.
    static func readFast(_ reader: inout RawReader) -> FetchedRecord? {
        guard let offset = reader.integer(Int64.self), let timestampMs = reader.integer(Int64.self),
            let key = reader.nullableBytes(), let value = reader.nullableBytes(), reader.emptyArray()
        else { return nil }
        return FetchedRecord(offset: offset, timestampMs: timestampMs, key: key, value: value, headers: [])
    }

    /// ``readFast(_:)`` for a version 2 record (with its `timestampType`); a type byte that is not
    /// one is left to the field-by-field reader to report.
    static func readFastWithType(_ reader: inout RawReader) -> FetchedRecord? {
        guard let offset = reader.integer(Int64.self), let timestampMs = reader.integer(Int64.self),
            let typeByte = reader.integer(UInt8.self), let type = RecordTimestampType(rawValue: typeByte),
            let key = reader.nullableBytes(), let value = reader.nullableBytes(), reader.emptyArray()
        else { return nil }
        return FetchedRecord(
            offset: offset, timestampMs: timestampMs, key: key, value: value, headers: [], timestampType: type)
    }
}

/// A version 2 record on the wire, for the array reader and writer (its minimum size counts the
/// type byte).
private struct TypedFetchedRecord: WireElement {
    var record: FetchedRecord

    static var minimumWireSize: Int { FetchedRecord.minimumWireSize + 1 }

    init(_ record: FetchedRecord) { self.record = record }

    init(from buffer: inout ByteBuffer) throws(AdminProtocolError) {
        record = try FetchedRecord(from: &buffer, withType: true)
    }

    func encode(into buffer: inout ByteBuffer) { record.encode(into: &buffer, withType: true) }

    static func readFast(_ reader: inout RawReader) -> TypedFetchedRecord? {
        FetchedRecord.readFastWithType(&reader).map(TypedFetchedRecord.init)
    }
}

extension [FetchedRecord] {
    /// The encoded size of the array at version 1, for reserving capacity.
    var wireSize: Int {
        var size = 4
        for record in self { size += record.wireSize }
        return size
    }

    /// The encoded size of the array at `version`.
    func wireSize(version: UInt16) -> Int {
        version >= FetchedRecord.timestampTypeVersion ? wireSize + count : wireSize
    }
}

extension ByteBuffer {
    /// Reads a `timestampType` byte.
    mutating func readWireTimestampType() throws(AdminProtocolError) -> RecordTimestampType {
        let raw = try readWireInteger("timestampType", as: UInt8.self)
        guard let type = RecordTimestampType(rawValue: raw) else {
            throw .malformed(
                reason: "timestampType: \(raw) is not a timestamp type (0 = CreateTime, 1 = LogAppendTime)")
        }
        return type
    }

    /// Reads `[FetchedRecord]` of `version`, header-less records in one pass (RawCodec.swift).
    mutating func readWireFetchedRecords(
        _ field: StaticString, version: UInt16 = 1
    ) throws(AdminProtocolError) -> [FetchedRecord] {
        guard version >= FetchedRecord.timestampTypeVersion else {
            return try readWireArray(field, fast: FetchedRecord.readFast)
        }
        return try readWireArray(field, fast: TypedFetchedRecord.readFast).map(\.record)
    }

    /// Writes `[FetchedRecord]` of `version`; in one pass over raw memory when no record has headers.
    mutating func writeWireFetchedRecords(_ records: [FetchedRecord], version: UInt16 = 1) {
        let withType = version >= FetchedRecord.timestampTypeVersion
        guard records.allSatisfy({ $0.headers.isEmpty }) else {
            if withType {
                writeWireArray(records.map(TypedFetchedRecord.init))
            } else {
                writeWireArray(records)
            }
            return
        }
        writeWireArray(records, size: records.wireSize(version: version) - 4) { writer, record in
            writer.integer(record.offset)
            writer.integer(record.timestampMs)
            if withType { writer.integer((record.timestampType ?? .createTime).rawValue) }
            writer.nullableBytes(record.key)
            writer.nullableBytes(record.value)
            writer.integer(UInt32(0))
        }
    }
}

/// One partition of a consumer group's lag table.
public struct GroupPartitionInfo: Hashable, Sendable {
    /// The topic name.
    public var topic: String
    /// The partition number.
    public var partition: Int32
    /// The group's committed offset; -1 = never committed.
    public var committedOffset: Int64
    /// The partition's log start offset (low watermark).
    public var logStartOffset: Int64
    /// The partition's high watermark.
    public var highWatermark: Int64
    /// Records between the committed offset and the high watermark; -1 = unknown (never committed).
    public var lag: Int64
    /// How far behind in time the group is, in milliseconds; -1 = unknown, 0 when caught up.
    public var timeLagMs: Int64
    /// The member the partition is assigned to; empty = not assigned to a member.
    public var memberId: String
    /// When the offset was committed, in milliseconds since the epoch; -1 = never committed.
    public var commitTimestampMs: Int64
    /// The committer's metadata string.
    public var metadata: String

    /// Creates a lag table row.
    public init(
        topic: String, partition: Int32, committedOffset: Int64, logStartOffset: Int64, highWatermark: Int64,
        lag: Int64, timeLagMs: Int64, memberId: String, commitTimestampMs: Int64, metadata: String
    ) {
        self.topic = topic
        self.partition = partition
        self.committedOffset = committedOffset
        self.logStartOffset = logStartOffset
        self.highWatermark = highWatermark
        self.lag = lag
        self.timeLagMs = timeLagMs
        self.memberId = memberId
        self.commitTimestampMs = commitTimestampMs
        self.metadata = metadata
    }
}

extension GroupPartitionInfo: WireElement {
    static var minimumWireSize: Int { 2 + 4 + 8 * 5 + 2 + 8 + 2 }

    init(from buffer: inout ByteBuffer) throws(AdminProtocolError) {
        topic = try buffer.readWireString("topic")
        partition = try buffer.readWireInteger("partition")
        committedOffset = try buffer.readWireInteger("committedOffset")
        logStartOffset = try buffer.readWireInteger("logStartOffset")
        highWatermark = try buffer.readWireInteger("highWatermark")
        lag = try buffer.readWireInteger("lag")
        timeLagMs = try buffer.readWireInteger("timeLagMs")
        memberId = try buffer.readWireString("memberId")
        commitTimestampMs = try buffer.readWireInteger("commitTimestampMs")
        metadata = try buffer.readWireString("metadata")
    }

    func encode(into buffer: inout ByteBuffer) {
        buffer.writeWireString(topic)
        buffer.writeInteger(partition)
        buffer.writeInteger(committedOffset)
        buffer.writeInteger(logStartOffset)
        buffer.writeInteger(highWatermark)
        buffer.writeInteger(lag)
        buffer.writeInteger(timeLagMs)
        buffer.writeWireString(memberId)
        buffer.writeInteger(commitTimestampMs)
        buffer.writeWireString(metadata)
    }
}
