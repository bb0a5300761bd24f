// DeleteTopic (key 5): `docs/admin-protocol.md`, section 4.6.

import NIOCore

/// Deletes a topic and its data.
public struct DeleteTopicRequest: AdminMessage, Hashable, Sendable {
    /// The DeleteTopic API.
    public static let apiKey = ApiKey.deleteTopic

    /// The topic name.
    public var name: String

    /// Creates the request.
    public init(name: String) {
        self.name = name
    }

    /// Reads the body.
    public init(from buffer: inout ByteBuffer) throws(AdminProtocolError) {
        name = try buffer.readWireString("name")
    }

    /// Writes the body.
    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeWireString(name)
    }
}

/// The topic was deleted. The body is empty.
public struct DeleteTopicResponse: AdminMessage, Hashable, Sendable {
    /// The DeleteTopic API.
    public static let apiKey = ApiKey.deleteTopic

    /// Creates the response.
    public init() {}

    /// Reads the (empty) body.
    public init(from buffer: inout ByteBuffer) throws(AdminProtocolError) {}

    /// Writes the (empty) body.
    public func encode(into buffer: inout ByteBuffer) {}
}
