// Subscribe (key 19): `docs/admin-protocol.md`, section 4.20. After the response the broker
// sends push frames (kind 1) carrying a SubscriptionEvent:
//
//   eventKind  uint8   0 = records, 1 = lag snapshot, 2 = ended
//   0: topic string, partition int32, highWatermark int64, records [FetchedRecord]
//      (with each record's timestampType from version 2 of Subscribe and Search on)
//   1: groupId string, state string, totalLag int64, partitions [GroupPartitionInfo]
//   2: reason string

import NIOCore

/// Starts a live tail of partitions and/or periodic lag snapshots of a group.
public struct SubscribeRequest: AdminMessage, Hashable, Sendable {
    /// The Subscribe API.
    public static let apiKey = ApiKey.subscribe

    /// The partitions to tail.
    public var partitions: [SubscribePartition]
    /// The group to send lag snapshots of; empty = no lag snapshots.
    public var lagGroupId: String
    /// Milliseconds between lag snapshots: 100 … 60,000 (checked by the broker); ignored without
    /// `lagGroupId`.
    public var lagIntervalMs: Int32

    /// Creates the request.
    public init(partitions: [SubscribePartition], lagGroupId: String, lagIntervalMs: Int32) {
        self.partitions = partitions
        self.lagGroupId = lagGroupId
        self.lagIntervalMs = lagIntervalMs
    }

    /// Reads the body.
    public init(from buffer: inout ByteBuffer) throws(AdminProtocolError) {
        partitions = try buffer.readWireArray("partitions")
        lagGroupId = try buffer.readWireString("lagGroupId")
        lagIntervalMs = try buffer.readWireInteger("lagIntervalMs")
    }

    /// Writes the body.
    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeWireArray(partitions)
        buffer.writeWireString(lagGroupId)
        buffer.writeInteger(lagIntervalMs)
    }
}

/// One partition to tail.
public struct SubscribePartition: Hashable, Sendable {
    /// The topic name.
    public var topic: String
    /// The partition number.
    public var partition: Int32
    /// The first offset to send; -1 = from the high watermark (only new records).
    public var fromOffset: Int64

    /// Creates a partition to tail.
    public init(topic: String, partition: Int32, fromOffset: Int64 = -1) {
        self.topic = topic
        self.partition = partition
        self.fromOffset = fromOffset
    }
}

extension SubscribePartition: WireElement {
    static var minimumWireSize: Int { 2 + 4 + 8 }

    init(from buffer: inout ByteBuffer) throws(AdminProtocolError) {
        topic = try buffer.readWireString("topic")
        partition = try buffer.readWireInteger("partition")
        fromOffset = try buffer.readWireInteger("fromOffset")
    }

    func encode(into buffer: inout ByteBuffer) {
        buffer.writeWireString(topic)
        buffer.writeInteger(partition)
        buffer.writeInteger(fromOffset)
    }
}

/// The subscription's id, which push frames carry as their correlation id.
public struct SubscribeResponse: AdminMessage, Hashable, Sendable {
    /// The Subscribe API.
    public static let apiKey = ApiKey.subscribe

    /// Equal to the request's correlation id.
    public var subscriptionId: UInt32

    /// Creates the response.
    public init(subscriptionId: UInt32) {
        self.subscriptionId = subscriptionId
    }

    /// Reads the body.
    public init(from buffer: inout ByteBuffer) throws(AdminProtocolError) {
        subscriptionId = try buffer.readWireInteger("subscriptionId")
    }

    /// Writes the body.
    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(subscriptionId)
    }
}

/// The body of a push frame: what a subscription delivers.
///
/// A subscription's events are written at the version of the Subscribe or Search request that
/// opened it: from version 2 on, `records` events carry each record's `timestampType`.
/// ``init(from:)`` and ``encode(into:)`` are version 1; ``init(from:version:)`` and
/// ``encode(into:version:)`` read and write either.
public enum SubscriptionEvent: Hashable, Sendable {
    /// New records of one tailed partition (`eventKind` 0).
    case records(topic: String, partition: Int32, highWatermark: Int64, records: [FetchedRecord])
    /// A lag snapshot of the subscribed group (`eventKind` 1).
    case lagSnapshot(groupId: String, state: String, totalLag: Int64, partitions: [GroupPartitionInfo])
    /// The subscription is over; no more events follow (`eventKind` 2). `reason` says why, e.g.
    /// "topic 'prices' was deleted".
    case ended(reason: String)
    /// How far a search is (`eventKind` 3): offsets looked at of the total, matches so far.
    case searchProgress(scannedOffsets: Int64, totalOffsets: Int64, matches: Int64)
    /// A search is over (`eventKind` 4); no more events follow. `complete` when every offset of the
    /// range was looked at; otherwise `reason` says why it stopped (the match limit, damaged data).
    case searchDone(scannedOffsets: Int64, matches: Int64, complete: Bool, reason: String)

    /// Reads a version 1 event.
    public init(from buffer: inout ByteBuffer) throws(AdminProtocolError) {
        try self.init(from: &buffer, version: 1)
    }

    /// Reads an event of a subscription opened with `version`.
    public init(from buffer: inout ByteBuffer, version: UInt16) throws(AdminProtocolError) {
        let kind = try buffer.readWireInteger("eventKind", as: UInt8.self)
        switch kind {
        case 0:
            self = .records(
                topic: try buffer.readWireString("topic"),
                partition: try buffer.readWireInteger("partition"),
                highWatermark: try buffer.readWireInteger("highWatermark"),
                records: try buffer.readWireFetchedRecords("records", version: version)
            )
        case 1:
            self = .lagSnapshot(
                groupId: try buffer.readWireString("groupId"),
                state: try buffer.readWireString("state"),
                totalLag: try buffer.readWireInteger("totalLag"),
                partitions: try buffer.readWireArray("partitions")
            )
        case 2:
            self = .ended(reason: try buffer.readWireString("reason"))
        case 3:
            self = .searchProgress(
                scannedOffsets: try buffer.readWireInteger("scannedOffsets"),
                totalOffsets: try buffer.readWireInteger("totalOffsets"),
                matches: try buffer.readWireInteger("matches"))
        case 4:
            self = .searchDone(
                scannedOffsets: try buffer.readWireInteger("scannedOffsets"),
                matches: try buffer.readWireInteger("matches"), complete: try buffer.readWireBool("complete"),
                reason: try buffer.readWireString("reason"))
        default:
            throw .malformed(reason: "eventKind: \(kind) is not an event kind (0 … 4)")
        }
    }

    /// Writes a version 1 event.
    public func encode(into buffer: inout ByteBuffer) {
        encode(into: &buffer, version: 1)
    }

    /// Writes the event for a subscription opened with `version`.
    public func encode(into buffer: inout ByteBuffer, version: UInt16) {
        switch self {
        case .records(let topic, let partition, let highWatermark, let records):
            buffer.reserveCapacity(
                minimumWritableBytes: 1 + wireStringSize(topic) + 4 + 8 + records.wireSize(version: version))
            buffer.writeInteger(0, as: UInt8.self)
            buffer.writeWireString(topic)
            buffer.writeInteger(partition)
            buffer.writeInteger(highWatermark)
            buffer.writeWireFetchedRecords(records, version: version)
        case .lagSnapshot(let groupId, let state, let totalLag, let partitions):
            buffer.writeInteger(1, as: UInt8.self)
            buffer.writeWireString(groupId)
            buffer.writeWireString(state)
            buffer.writeInteger(totalLag)
            buffer.writeWireArray(partitions)
        case .ended(let reason):
            buffer.writeInteger(2, as: UInt8.self)
            buffer.writeWireString(reason)
        case .searchProgress(let scanned, let total, let matches):
            buffer.writeInteger(3, as: UInt8.self)
            buffer.writeInteger(scanned)
            buffer.writeInteger(total)
            buffer.writeInteger(matches)
        case .searchDone(let scanned, let matches, let complete, let reason):
            buffer.writeInteger(4, as: UInt8.self)
            buffer.writeInteger(scanned)
            buffer.writeInteger(matches)
            buffer.writeWireBool(complete)
            buffer.writeWireString(reason)
        }
    }
}

extension SubscriptionEvent {
    /// Whether no event follows this one (`ended`, `searchDone`).
    public var isFinal: Bool {
        switch self {
        case .ended, .searchDone: true
        case .records, .lagSnapshot, .searchProgress: false
        }
    }
}
