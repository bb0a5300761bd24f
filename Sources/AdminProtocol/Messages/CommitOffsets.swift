// CommitOffsets (key 16): `docs/admin-protocol.md`, section 4.17.

import NIOCore

/// Commits consumed offsets for a group.
public struct CommitOffsetsRequest: AdminMessage, Hashable, Sendable {
    /// The CommitOffsets API.
    public static let apiKey = ApiKey.commitOffsets

    /// The group id.
    public var groupId: String
    /// The committing member; empty with generation -1 = a standalone commit (the group must be empty).
    public var memberId: String
    /// The member's generation; -1 for a standalone commit.
    public var generation: Int32
    /// The offsets to commit.
    public var offsets: [CommitOffset]

    /// Creates the request.
    public init(groupId: String, memberId: String, generation: Int32, offsets: [CommitOffset]) {
        self.groupId = groupId
        self.memberId = memberId
        self.generation = generation
        self.offsets = offsets
    }

    /// Reads the body.
    public init(from buffer: inout ByteBuffer) throws(AdminProtocolError) {
        groupId = try buffer.readWireString("groupId")
        memberId = try buffer.readWireString("memberId")
        generation = try buffer.readWireInteger("generation")
        offsets = try buffer.readWireArray("offsets")
    }

    /// Writes the body.
    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeWireString(groupId)
        buffer.writeWireString(memberId)
        buffer.writeInteger(generation)
        buffer.writeWireArray(offsets)
    }
}

/// One offset to commit.
public struct CommitOffset: Hashable, Sendable {
    /// The topic name.
    public var topic: String
    /// The partition number.
    public var partition: Int32
    /// The next offset to consume.
    public var offset: Int64
    /// Free-form metadata stored with the offset.
    public var metadata: String

    /// Creates an offset to commit.
    public init(topic: String, partition: Int32, offset: Int64, metadata: String = "") {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.metadata = metadata
    }
}

extension CommitOffset: WireElement {
    static var minimumWireSize: Int { 2 + 4 + 8 + 2 }

    init(from buffer: inout ByteBuffer) throws(AdminProtocolError) {
        topic = try buffer.readWireString("topic")
        partition = try buffer.readWireInteger("partition")
        offset = try buffer.readWireInteger("offset")
        metadata = try buffer.readWireString("metadata")
    }

    func encode(into buffer: inout ByteBuffer) {
        buffer.writeWireString(topic)
        buffer.writeInteger(partition)
        buffer.writeInteger(offset)
        buffer.writeWireString(metadata)
    }
}

/// The offsets were committed. The body is empty.
public struct CommitOffsetsResponse: AdminMessage, Hashable, Sendable {
    /// The CommitOffsets API.
    public static let apiKey = ApiKey.commitOffsets

    /// Creates the response.
    public init() {}

    /// Reads the (empty) body.
    public init(from buffer: inout ByteBuffer) throws(AdminProtocolError) {}

    /// Writes the (empty) body.
    public func encode(into buffer: inout ByteBuffer) {}
}
