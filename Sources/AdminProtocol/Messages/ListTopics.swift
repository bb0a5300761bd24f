// ListTopics (key 2): `docs/admin-protocol.md`, section 4.3.

import NIOCore

/// Asks for all topics.
public struct ListTopicsRequest: AdminMessage, Hashable, Sendable {
    /// The ListTopics API.
    public static let apiKey = ApiKey.listTopics

    /// Whether to list internal topics (`__consumer_offsets`) too.
    public var includeInternal: Bool

    /// Creates the request.
    public init(includeInternal: Bool) {
        self.includeInternal = includeInternal
    }

    /// Reads the body.
    public init(from buffer: inout ByteBuffer) throws(AdminProtocolError) {
        includeInternal = try buffer.readWireBool("includeInternal")
    }

    /// Writes the body.
    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeWireBool(includeInternal)
    }
}

/// All topics with their sizes and consumer groups.
public struct ListTopicsResponse: AdminMessage, Hashable, Sendable {
    /// The ListTopics API.
    public static let apiKey = ApiKey.listTopics

    /// One entry per topic.
    public var topics: [TopicListing]

    /// Creates the response.
    public init(topics: [TopicListing]) {
        self.topics = topics
    }

    /// Reads the body.
    public init(from buffer: inout ByteBuffer) throws(AdminProtocolError) {
        topics = try buffer.readWireArray("topics")
    }

    /// Writes the body.
    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeWireArray(topics)
    }
}

/// One row of the topic list.
public struct TopicListing: Hashable, Sendable {
    /// The topic name.
    public var name: String
    /// Partitions in the topic.
    public var partitionCount: Int32
    /// Records stored over all partitions.
    public var messageCount: Int64
    /// Bytes in the topic's partition logs.
    public var sizeBytes: Int64
    /// The last append, in milliseconds since the epoch; -1 = never written.
    public var lastWriteTimeMs: Int64
    /// Whether the topic is internal (`__consumer_offsets`).
    public var isInternal: Bool
    /// Groups with committed offsets or members on this topic.
    public var consumerGroups: [String]

    /// Creates a row.
    public init(
        name: String, partitionCount: Int32, messageCount: Int64, sizeBytes: Int64, lastWriteTimeMs: Int64,
        isInternal: Bool, consumerGroups: [String]
    ) {
        self.name = name
        self.partitionCount = partitionCount
        self.messageCount = messageCount
        self.sizeBytes = sizeBytes
        self.lastWriteTimeMs = lastWriteTimeMs
        self.isInternal = isInternal
        self.consumerGroups = consumerGroups
    }
}

extension TopicListing: WireElement {
    static var minimumWireSize: Int { 2 + 4 + 8 + 8 + 8 + 1 + 4 }

    init(from buffer: inout ByteBuffer) throws(AdminProtocolError) {
        name = try buffer.readWireString("name")
        partitionCount = try buffer.readWireInteger("partitionCount")
        messageCount = try buffer.readWireInteger("messageCount")
        sizeBytes = try buffer.readWireInteger("sizeBytes")
        lastWriteTimeMs = try buffer.readWireInteger("lastWriteTimeMs")
        isInternal = try buffer.readWireBool("isInternal")
        consumerGroups = try buffer.readWireArray("consumerGroups")
    }

    func encode(into buffer: inout ByteBuffer) {
        buffer.writeWireString(name)
        buffer.writeInteger(partitionCount)
        buffer.writeInteger(messageCount)
        buffer.writeInteger(sizeBytes)
        buffer.writeInteger(lastWriteTimeMs)
        buffer.writeWireBool(isInternal)
        buffer.writeWireArray(consumerGroups)
    }
}
