// ResetGroupOffsets (key 12): `docs/admin-protocol.md`, section 4.13.

import NIOCore

/// Moves a group's committed offsets, or with `dryRun` only computes the plan. Refused with
/// `NON_EMPTY_GROUP` while the group has active members.
///
/// Version 2 appends `partitions`, so that a reset can cover chosen partitions of a topic
/// (`kafka-consumer-groups --reset-offsets --topic t:0,1`); version 1 has whole topics only.
/// ``init(from:)`` and ``encode(into:)`` are the version 1 body; ``init(from:version:)`` and
/// ``encode(into:version:)`` read and write either.
public struct ResetGroupOffsetsRequest: AdminMessage, Hashable, Sendable {
    /// The ResetGroupOffsets API.
    public static let apiKey = ApiKey.resetGroupOffsets
    /// The first version with ``partitions``.
    public static let partitionsVersion: UInt16 = 2

    /// The group id.
    public var groupId: String
    /// Whole topics to reset (every partition of each); with ``partitions`` empty too, the topics
    /// the group has committed offsets for.
    public var topics: [String]
    /// Where to move the offsets (on the wire: `targetKind` and `targetValue`).
    public var target: ResetTarget
    /// True = only compute the plan.
    public var dryRun: Bool
    /// Single partitions to reset besides ``topics`` (version 2 on).
    public var partitions: [TopicPartitionRef]

    /// Creates the request.
    public init(
        groupId: String, topics: [String], partitions: [TopicPartitionRef] = [], target: ResetTarget, dryRun: Bool
    ) {
        self.groupId = groupId
        self.topics = topics
        self.partitions = partitions
        self.target = target
        self.dryRun = dryRun
    }

    /// The lowest version that carries this request: 2 when it names partitions, else 1.
    public var minimumVersion: UInt16 { partitions.isEmpty ? 1 : Self.partitionsVersion }

    /// Reads a version 1 body.
    public init(from buffer: inout ByteBuffer) throws(AdminProtocolError) {
        try self.init(from: &buffer, version: 1)
    }

    /// Reads the body of `version`.
    public init(from buffer: inout ByteBuffer, version: UInt16) throws(AdminProtocolError) {
        groupId = try buffer.readWireString("groupId")
        topics = try buffer.readWireArray("topics")
        let kind = try buffer.readWireInteger("targetKind", as: UInt8.self)
        let value = try buffer.readWireInteger("targetValue", as: Int64.self)
        target = try ResetTarget(kind: kind, value: value)
        dryRun = try buffer.readWireBool("dryRun")
        partitions = version >= Self.partitionsVersion ? try buffer.readWireArray("partitions") : []
    }

    /// Writes a version 1 body (see ``encode(into:version:)`` for a request with partitions).
    public func encode(into buffer: inout ByteBuffer) {
        encode(into: &buffer, version: 1)
    }

    /// Writes the body of `version`. Version 1 has no `partitions`: a request that names some is
    /// written with them all the same, so that a version 1 reader refuses it as malformed (bytes
    /// left over) rather than reset whole topics. Clients check ``minimumVersion`` first.
    public func encode(into buffer: inout ByteBuffer, version: UInt16) {
        buffer.writeWireString(groupId)
        buffer.writeWireArray(topics)
        buffer.writeInteger(target.kind)
        buffer.writeInteger(target.value)
        buffer.writeWireBool(dryRun)
        if version >= Self.partitionsVersion || !partitions.isEmpty {
            buffer.writeWireArray(partitions)
        }
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

/// Where a reset moves a group's offsets.
public enum ResetTarget: Hashable, Sendable {
    /// To each partition's low watermark (`targetKind` 0).
    case earliest
    /// To each partition's high watermark (`targetKind` 1).
    case latest
    /// To this offset (`targetKind` 2).
    case offset(Int64)
    /// To the first record at or after this timestamp in ms (`targetKind` 3).
    case timestamp(Int64)
    /// By N from the committed offset; N may be negative (`targetKind` 4).
    case shift(Int64)

    /// The wire `targetKind`.
    var kind: UInt8 {
        switch self {
        case .earliest: 0
        case .latest: 1
        case .offset: 2
        case .timestamp: 3
        case .shift: 4
        }
    }

    /// The wire `targetValue`: 0 for `earliest` and `latest`, which ignore it.
    var value: Int64 {
        switch self {
        case .offset(let value), .timestamp(let value), .shift(let value): value
        case .earliest, .latest: 0
        }
    }

    init(kind: UInt8, value: Int64) throws(AdminProtocolError) {
        switch kind {
        case 0: self = .earliest
        case 1: self = .latest
        case 2: self = .offset(value)
        case 3: self = .timestamp(value)
        case 4: self = .shift(value)
        default: throw .malformed(reason: "targetKind: \(kind) is not a target kind (0 … 4)")
        }
    }
}

/// The reset plan (or what was done).
public struct ResetGroupOffsetsResponse: AdminMessage, Hashable, Sendable {
    /// The ResetGroupOffsets API.
    public static let apiKey = ApiKey.resetGroupOffsets

    /// One entry per partition reset.
    public var entries: [OffsetResetInfo]

    /// Creates the response.
    public init(entries: [OffsetResetInfo]) {
        self.entries = entries
    }

    /// Reads the body.
    public init(from buffer: inout ByteBuffer) throws(AdminProtocolError) {
        entries = try buffer.readWireArray("entries")
    }

    /// Writes the body.
    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeWireArray(entries)
    }
}

/// One partition of a reset plan.
public struct OffsetResetInfo: Hashable, Sendable {
    /// The topic name.
    public var topic: String
    /// The partition number.
    public var partition: Int32
    /// The committed offset before the reset; -1 = never committed.
    public var oldOffset: Int64
    /// The committed offset after the reset.
    public var newOffset: Int64

    /// Creates a plan entry.
    public init(topic: String, partition: Int32, oldOffset: Int64, newOffset: Int64) {
        self.topic = topic
        self.partition = partition
        self.oldOffset = oldOffset
        self.newOffset = newOffset
    }
}

extension OffsetResetInfo: WireElement {
    static var minimumWireSize: Int { 2 + 4 + 8 + 8 }

    init(from buffer: inout ByteBuffer) throws(AdminProtocolError) {
        topic = try buffer.readWireString("topic")
        partition = try buffer.readWireInteger("partition")
        oldOffset = try buffer.readWireInteger("oldOffset")
        newOffset = try buffer.readWireInteger("newOffset")
    }

    func encode(into buffer: inout ByteBuffer) {
        buffer.writeWireString(topic)
        buffer.writeInteger(partition)
        buffer.writeInteger(oldOffset)
        buffer.writeInteger(newOffset)
    }
}
