// FetchOffsets (key 18): `docs/admin-protocol.md`, section 4.19.

import NIOCore

/// Asks for a group's committed offsets.
public struct FetchOffsetsRequest: AdminMessage, Hashable, Sendable {
    /// The FetchOffsets API.
    public static let apiKey = ApiKey.fetchOffsets

    /// The group id.
    public var groupId: String

    /// Creates the request.
    public init(groupId: String) {
        self.groupId = groupId
    }

    /// Reads the body.
    public init(from buffer: inout ByteBuffer) throws(AdminProtocolError) {
        groupId = try buffer.readWireString("groupId")
    }

    /// Writes the body.
    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeWireString(groupId)
    }
}

/// A group's committed offsets.
public struct FetchOffsetsResponse: AdminMessage, Hashable, Sendable {
    /// The FetchOffsets API.
    public static let apiKey = ApiKey.fetchOffsets

    /// One entry per partition with a committed offset.
    public var offsets: [CommittedOffsetInfo]

    /// Creates the response.
    public init(offsets: [CommittedOffsetInfo]) {
        self.offsets = offsets
    }

    /// Reads the body.
    public init(from buffer: inout ByteBuffer) throws(AdminProtocolError) {
        offsets = try buffer.readWireArray("offsets")
    }

    /// Writes the body.
    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeWireArray(offsets)
    }
}

/// One committed offset.
public struct CommittedOffsetInfo: Hashable, Sendable {
    /// The topic name.
    public var topic: String
    /// The partition number.
    public var partition: Int32
    /// The committed offset: the next offset to consume.
    public var offset: Int64
    /// The committer's metadata string.
    public var metadata: String
    /// When the offset was committed, in milliseconds since the epoch.
    public var commitTimestampMs: Int64

    /// Creates a committed offset entry.
    public init(topic: String, partition: Int32, offset: Int64, metadata: String, commitTimestampMs: Int64) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.metadata = metadata
        self.commitTimestampMs = commitTimestampMs
    }
}

extension CommittedOffsetInfo: WireElement {
    static var minimumWireSize: Int { 2 + 4 + 8 + 2 + 8 }

    init(from buffer: inout ByteBuffer) throws(AdminProtocolError) {
        topic = try buffer.readWireString("topic")
        partition = try buffer.readWireInteger("partition")
        offset = try buffer.readWireInteger("offset")
        metadata = try buffer.readWireString("metadata")
        commitTimestampMs = try buffer.readWireInteger("commitTimestampMs")
    }

    func encode(into buffer: inout ByteBuffer) {
        buffer.writeWireString(topic)
        buffer.writeInteger(partition)
        buffer.writeInteger(offset)
        buffer.writeWireString(metadata)
        buffer.writeInteger(commitTimestampMs)
    }
}
