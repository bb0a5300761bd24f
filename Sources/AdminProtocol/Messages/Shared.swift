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

/// A record read from a partition (Fetch responses and `records` subscription events).
public struct FetchedRecord: Hashable, Sendable {
    /// The record's offset in its partition.
    public var offset: Int64
    /// The record's timestamp in milliseconds since the epoch.
    public var timestampMs: Int64
    /// The key; nil is Kafka's null key.
    public var key: [UInt8]?
    /// The value; nil is Kafka's null value (a tombstone).
    public var value: [UInt8]?
    /// The record's headers, in order.
    public var headers: [HeaderData]

    /// Creates a record.
    public init(offset: Int64, timestampMs: Int64, key: [UInt8]?, value: [UInt8]?, headers: [HeaderData]) {
        self.offset = offset
        self.timestampMs = timestampMs
        self.key = key
        self.value = value
        self.headers = headers
    }
}

extension FetchedRecord: WireElement {
    static var minimumWireSize: Int { 8 + 8 + 4 + 4 + 4 }

    init(from buffer: inout ByteBuffer) throws(AdminProtocolError) {
        offset = try buffer.readWireInteger("offset")
        timestampMs = try buffer.readWireInteger("timestampMs")
        key = try buffer.readWireNullableBytes("key")
        value = try buffer.readWireNullableBytes("value")
        headers = try buffer.readWireArray("headers")
    }

    func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(offset)
        buffer.writeInteger(timestampMs)
        buffer.writeWireNullableBytes(key)
        buffer.writeWireNullableBytes(value)
        buffer.writeWireArray(headers)
    }

    /// The encoded size, for reserving capacity.
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
}

extension [FetchedRecord] {
    /// The encoded size of the array, for reserving capacity.
    var wireSize: Int {
        var size = 4
        for record in self { size += record.wireSize }
        return size
    }
}

extension ByteBuffer {
    /// Reads `[FetchedRecord]`, header-less records in one pass (RawCodec.swift).
    mutating func readWireFetchedRecords(_ field: StaticString) throws(AdminProtocolError) -> [FetchedRecord] {
        try readWireArray(field, fast: FetchedRecord.readFast)
    }

    /// Writes `[FetchedRecord]`; in one pass over raw memory when no record has headers.
    mutating func writeWireFetchedRecords(_ records: [FetchedRecord]) {
        guard records.allSatisfy({ $0.headers.isEmpty }) else {
            writeWireArray(records)
            return
        }
        writeWireArray(records, size: records.wireSize - 4) { writer, record in
            writer.integer(record.offset)
            writer.integer(record.timestampMs)
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
