// CreateTopic (key 4): `docs/admin-protocol.md`, section 4.5.

import NIOCore

/// Creates a topic, or with `validateOnly` checks everything and creates nothing.
public struct CreateTopicRequest: AdminMessage, Hashable, Sendable {
    /// The CreateTopic API.
    public static let apiKey = ApiKey.createTopic

    /// The topic name.
    public var name: String
    /// Partitions to create: 1 … 10,000 (checked by the broker).
    public var partitionCount: Int32
    /// Config overrides.
    public var config: [ConfigPair]
    /// True = check everything, create nothing.
    public var validateOnly: Bool

    /// Creates the request.
    public init(name: String, partitionCount: Int32, config: [ConfigPair], validateOnly: Bool) {
        self.name = name
        self.partitionCount = partitionCount
        self.config = config
        self.validateOnly = validateOnly
    }

    /// Reads the body.
    public init(from buffer: inout ByteBuffer) throws(AdminProtocolError) {
        name = try buffer.readWireString("name")
        partitionCount = try buffer.readWireInteger("partitionCount")
        config = try buffer.readWireArray("config")
        validateOnly = try buffer.readWireBool("validateOnly")
    }

    /// Writes the body.
    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeWireString(name)
        buffer.writeInteger(partitionCount)
        buffer.writeWireArray(config)
        buffer.writeWireBool(validateOnly)
    }
}

/// The created topic's id.
public struct CreateTopicResponse: AdminMessage, Hashable, Sendable {
    /// The CreateTopic API.
    public static let apiKey = ApiKey.createTopic

    /// The new topic's id (UUID, upper-case with dashes); empty when `validateOnly`.
    public var topicId: String

    /// Creates the response.
    public init(topicId: String) {
        self.topicId = topicId
    }

    /// Reads the body.
    public init(from buffer: inout ByteBuffer) throws(AdminProtocolError) {
        topicId = try buffer.readWireString("topicId")
    }

    /// Writes the body.
    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeWireString(topicId)
    }
}
