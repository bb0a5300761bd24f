// Produce (key 8): `docs/admin-protocol.md`, section 4.9. A request carries up to 100,000 records,
// so encoding reserves the exact capacity once and decoding allocates nothing but the records.
// Records and offsets go through the one-pass codec of RawCodec.swift (the broker's hottest path).

import NIOCore

/// Appends records to a topic.
public struct ProduceRequest: AdminMessage, Hashable, Sendable {
    /// The Produce API.
    public static let apiKey = ApiKey.produce

    /// The topic name.
    public var topic: String
    /// The records, in the order they are appended (per partition).
    public var records: [ProduceRecord]

    /// Creates the request.
    public init(topic: String, records: [ProduceRecord]) {
        self.topic = topic
        self.records = records
    }

    /// Reads the body.
    public init(from buffer: inout ByteBuffer) throws(AdminProtocolError) {
        topic = try buffer.readWireString("topic")
        records = try buffer.readWireArray("records", fast: ProduceRecord.readFast)
    }

    /// Writes the body.
    public func encode(into buffer: inout ByteBuffer) {
        var size = wireStringSize(topic) + 4
        for record in records { size += record.wireSize }
        buffer.reserveCapacity(minimumWritableBytes: size)
        buffer.writeWireString(topic)
        guard records.allSatisfy({ $0.headers.isEmpty }) else {
            buffer.writeWireArray(records)
            return
        }
        // No headers (the usual case): every record in one pass over raw memory.
        buffer.writeWireArray(records, size: size - wireStringSize(topic) - 4) { writer, record in
            writer.integer(record.partition)
            writer.nullableBytes(record.key)
            writer.nullableBytes(record.value)
            writer.integer(UInt32(0))
            writer.integer(record.timestampMs)
        }
    }
}

/// The offsets the records were appended at.
public struct ProduceResponse: AdminMessage, Hashable, Sendable {
    /// The Produce API.
    public static let apiKey = ApiKey.produce

    /// One result per record, in request order.
    public var results: [ProducedOffset]

    /// Creates the response.
    public init(results: [ProducedOffset]) {
        self.results = results
    }

    /// Reads the body.
    public init(from buffer: inout ByteBuffer) throws(AdminProtocolError) {
        results = try buffer.readWireArray("results") { reader in
            guard let partition = reader.integer(Int32.self), let offset = reader.integer(Int64.self),
                let timestampMs = reader.integer(Int64.self)
            else { return nil }
            return ProducedOffset(partition: partition, offset: offset, timestampMs: timestampMs)
        }
    }

    /// Writes the body.
    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeWireArray(results, size: results.count * ProducedOffset.minimumWireSize) { writer, result in
            writer.integer(result.partition)
            writer.integer(result.offset)
            writer.integer(result.timestampMs)
        }
    }
}

/// One record to append.
public struct ProduceRecord: Hashable, Sendable {
    /// The partition; -1 = let the broker choose (Kafka's partitioner on the key).
    public var partition: Int32
    /// The key; nil is Kafka's null key.
    public var key: [UInt8]?
    /// The value; nil is Kafka's null value (a tombstone).
    public var value: [UInt8]?
    /// The record's headers, in order.
    public var headers: [HeaderData]
    /// The record's timestamp in milliseconds since the epoch; -1 = the broker stamps the append time.
    public var timestampMs: Int64

    /// Creates a record.
    public init(
        partition: Int32 = -1, key: [UInt8]?, value: [UInt8]?, headers: [HeaderData] = [], timestampMs: Int64 = -1
    ) {
        self.partition = partition
        self.key = key
        self.value = value
        self.headers = headers
        self.timestampMs = timestampMs
    }
}

extension ProduceRecord: WireElement {
    static var minimumWireSize: Int { 4 + 4 + 4 + 4 + 8 }

    init(from buffer: inout ByteBuffer) throws(AdminProtocolError) {
        partition = try buffer.readWireInteger("partition")
        key = try buffer.readWireNullableBytes("key")
        value = try buffer.readWireNullableBytes("value")
        headers = try buffer.readWireArray("headers")
        timestampMs = try buffer.readWireInteger("timestampMs")
    }

    func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(partition)
        buffer.writeWireNullableBytes(key)
        buffer.writeWireNullableBytes(value)
        buffer.writeWireArray(headers)
        buffer.writeInteger(timestampMs)
    }

    /// Reads a record without headers from raw bytes, or returns nil when the record has headers
    /// or anything the field-by-field reader should report (a length that is negative and not -1,
    /// or bytes missing).
    static func readFast(_ reader: inout RawReader) -> ProduceRecord? {
        guard let partition = reader.integer(Int32.self), let key = reader.nullableBytes(),
            let value = reader.nullableBytes(), reader.emptyArray(), let timestampMs = reader.integer(Int64.self)
        else { return nil }
        return ProduceRecord(partition: partition, key: key, value: value, headers: [], timestampMs: timestampMs)
    }

    /// The encoded size, for reserving capacity.
    var wireSize: Int {
        var size = 4 + wireNullableBytesSize(key) + wireNullableBytesSize(value) + 4 + 8
        for header in headers { size += header.wireSize }
        return size
    }
}

/// Where one produced record was appended.
public struct ProducedOffset: Hashable, Sendable {
    /// The partition the record went to.
    public var partition: Int32
    /// The record's offset.
    public var offset: Int64
    /// The record's timestamp (the append time when the request said -1).
    public var timestampMs: Int64

    /// Creates a result.
    public init(partition: Int32, offset: Int64, timestampMs: Int64) {
        self.partition = partition
        self.offset = offset
        self.timestampMs = timestampMs
    }
}

extension ProducedOffset: WireElement {
    static var minimumWireSize: Int { 4 + 8 + 8 }

    init(from buffer: inout ByteBuffer) throws(AdminProtocolError) {
        partition = try buffer.readWireInteger("partition")
        offset = try buffer.readWireInteger("offset")
        timestampMs = try buffer.readWireInteger("timestampMs")
    }

    func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(partition)
        buffer.writeInteger(offset)
        buffer.writeInteger(timestampMs)
    }
}
