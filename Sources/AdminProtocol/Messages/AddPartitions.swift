// AddPartitions (key 7): `docs/admin-protocol.md`, section 4.8.

import NIOCore

/// Raises a topic's partition count.
public struct AddPartitionsRequest: AdminMessage, Hashable, Sendable {
    /// The AddPartitions API.
    public static let apiKey = ApiKey.addPartitions

    /// The topic name.
    public var name: String
    /// The new partition count; must be larger than the current one (checked by the broker).
    public var totalCount: Int32

    /// Creates the request.
    public init(name: String, totalCount: Int32) {
        self.name = name
        self.totalCount = totalCount
    }

    /// Reads the body.
    public init(from buffer: inout ByteBuffer) throws(AdminProtocolError) {
        name = try buffer.readWireString("name")
        totalCount = try buffer.readWireInteger("totalCount")
    }

    /// Writes the body.
    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeWireString(name)
        buffer.writeInteger(totalCount)
    }
}

/// The partitions were added. The body is empty.
public struct AddPartitionsResponse: AdminMessage, Hashable, Sendable {
    /// The AddPartitions API.
    public static let apiKey = ApiKey.addPartitions

    /// Creates the response.
    public init() {}

    /// Reads the (empty) body.
    public init(from buffer: inout ByteBuffer) throws(AdminProtocolError) {}

    /// Writes the (empty) body.
    public func encode(into buffer: inout ByteBuffer) {}
}
