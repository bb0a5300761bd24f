// Fetch (key 9): `docs/admin-protocol.md`, section 4.10.

import NIOCore

/// Reads records from one partition.
public struct FetchRequest: AdminMessage, Hashable, Sendable {
    /// The Fetch API.
    public static let apiKey = ApiKey.fetch

    /// The topic name.
    public var topic: String
    /// The partition number.
    public var partition: Int32
    /// Where to start reading (on the wire: `startKind` and `startValue`).
    public var start: FetchStart
    /// The most records to return: 1 … 10,000 (checked by the broker).
    public var maxRecords: Int32
    /// The most bytes to return; at least one record is returned when one exists.
    public var maxBytes: Int32

    /// Creates the request.
    public init(topic: String, partition: Int32, start: FetchStart, maxRecords: Int32, maxBytes: Int32) {
        self.topic = topic
        self.partition = partition
        self.start = start
        self.maxRecords = maxRecords
        self.maxBytes = maxBytes
    }

    /// Reads the body.
    public init(from buffer: inout ByteBuffer) throws(AdminProtocolError) {
        topic = try buffer.readWireString("topic")
        partition = try buffer.readWireInteger("partition")
        let kind = try buffer.readWireInteger("startKind", as: UInt8.self)
        let value = try buffer.readWireInteger("startValue", as: Int64.self)
        start = try FetchStart(kind: kind, value: value)
        maxRecords = try buffer.readWireInteger("maxRecords")
        maxBytes = try buffer.readWireInteger("maxBytes")
    }

    /// Writes the body.
    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeWireString(topic)
        buffer.writeInteger(partition)
        buffer.writeInteger(start.kind)
        buffer.writeInteger(start.value)
        buffer.writeInteger(maxRecords)
        buffer.writeInteger(maxBytes)
    }
}

/// Where a fetch starts.
public enum FetchStart: Hashable, Sendable {
    /// At this offset (`startKind` 0). Below the low or above the high watermark is `OFFSET_OUT_OF_RANGE`.
    case offset(Int64)
    /// At the first record whose timestamp (ms) is at or after this one, else at the high
    /// watermark (`startKind` 1).
    case timestamp(Int64)
    /// At the low watermark (`startKind` 2).
    case earliest
    /// At the high watermark (`startKind` 3).
    case latest
    /// At max(low watermark, high watermark − N) (`startKind` 4).
    case lastN(Int64)

    /// The wire `startKind`.
    var kind: UInt8 {
        switch self {
        case .offset: 0
        case .timestamp: 1
        case .earliest: 2
        case .latest: 3
        case .lastN: 4
        }
    }

    /// The wire `startValue`: 0 for `earliest` and `latest`, which ignore it.
    var value: Int64 {
        switch self {
        case .offset(let value), .timestamp(let value), .lastN(let value): value
        case .earliest, .latest: 0
        }
    }

    init(kind: UInt8, value: Int64) throws(AdminProtocolError) {
        switch kind {
        case 0: self = .offset(value)
        case 1: self = .timestamp(value)
        case 2: self = .earliest
        case 3: self = .latest
        case 4: self = .lastN(value)
        default: throw .malformed(reason: "startKind: \(kind) is not a start kind (0 … 4)")
        }
    }
}

/// The records read, with the partition's watermarks.
///
/// Version 2 writes each record's `timestampType` (``FetchedRecord/timestampTypeVersion``); the
/// request is the same in both versions. ``init(from:)`` and ``encode(into:)`` are the version 1
/// body; ``init(from:version:)`` and ``encode(into:version:)`` read and write either.
public struct FetchResponse: AdminMessage, Hashable, Sendable {
    /// The Fetch API.
    public static let apiKey = ApiKey.fetch

    /// The partition's first stored offset.
    public var logStartOffset: Int64
    /// The offset the partition's next record gets.
    public var highWatermark: Int64
    /// The records, in offset order.
    public var records: [FetchedRecord]

    /// Creates the response.
    public init(logStartOffset: Int64, highWatermark: Int64, records: [FetchedRecord]) {
        self.logStartOffset = logStartOffset
        self.highWatermark = highWatermark
        self.records = records
    }

    /// Reads a version 1 body.
    public init(from buffer: inout ByteBuffer) throws(AdminProtocolError) {
        try self.init(from: &buffer, version: 1)
    }

    /// Reads the body of `version`.
    public init(from buffer: inout ByteBuffer, version: UInt16) throws(AdminProtocolError) {
        logStartOffset = try buffer.readWireInteger("logStartOffset")
        highWatermark = try buffer.readWireInteger("highWatermark")
        records = try buffer.readWireFetchedRecords("records", version: version)
    }

    /// Writes a version 1 body.
    public func encode(into buffer: inout ByteBuffer) {
        encode(into: &buffer, version: 1)
    }

    /// Writes the body of `version`.
    public func encode(into buffer: inout ByteBuffer, version: UInt16) {
        buffer.reserveCapacity(minimumWritableBytes: 16 + records.wireSize(version: version))
        buffer.writeInteger(logStartOffset)
        buffer.writeInteger(highWatermark)
        buffer.writeWireFetchedRecords(records, version: version)
    }

    /// Reads a whole body of `version`, as ``AdminMessage``'s `decodeBody` does for version 1.
    static func decodeBody(_ body: inout ByteBuffer, version: UInt16) throws(AdminProtocolError) -> Self {
        do {
            let message = try Self(from: &body, version: version)
            try body.checkFullyConsumed()
            return message
        } catch {
            throw error.nested(in: String(describing: Self.self))
        }
    }
}
