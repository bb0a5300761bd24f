// AlterTopicConfig (key 6): `docs/admin-protocol.md`, section 4.7.

import NIOCore

/// Sets topic config overrides and returns others to their default.
public struct AlterTopicConfigRequest: AdminMessage, Hashable, Sendable {
    /// The AlterTopicConfig API.
    public static let apiKey = ApiKey.alterTopicConfig

    /// The topic name.
    public var name: String
    /// Overrides to set.
    public var set: [ConfigPair]
    /// Keys returned to their default.
    public var delete: [String]

    /// Creates the request.
    public init(name: String, set: [ConfigPair], delete: [String]) {
        self.name = name
        self.set = set
        self.delete = delete
    }

    /// Reads the body.
    public init(from buffer: inout ByteBuffer) throws(AdminProtocolError) {
        name = try buffer.readWireString("name")
        set = try buffer.readWireArray("set")
        delete = try buffer.readWireArray("delete")
    }

    /// Writes the body.
    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeWireString(name)
        buffer.writeWireArray(set)
        buffer.writeWireArray(delete)
    }
}

/// The config was changed. The body is empty.
public struct AlterTopicConfigResponse: AdminMessage, Hashable, Sendable {
    /// The AlterTopicConfig API.
    public static let apiKey = ApiKey.alterTopicConfig

    /// Creates the response.
    public init() {}

    /// Reads the (empty) body.
    public init(from buffer: inout ByteBuffer) throws(AdminProtocolError) {}

    /// Writes the (empty) body.
    public func encode(into buffer: inout ByteBuffer) {}
}
