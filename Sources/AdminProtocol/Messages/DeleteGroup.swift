// DeleteGroup (key 13): `docs/admin-protocol.md`, section 4.14.

import NIOCore

/// Deletes an empty group and its committed offsets.
public struct DeleteGroupRequest: AdminMessage, Hashable, Sendable {
    /// The DeleteGroup API.
    public static let apiKey = ApiKey.deleteGroup

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

/// The group was deleted. The body is empty.
public struct DeleteGroupResponse: AdminMessage, Hashable, Sendable {
    /// The DeleteGroup API.
    public static let apiKey = ApiKey.deleteGroup

    /// Creates the response.
    public init() {}

    /// Reads the (empty) body.
    public init(from buffer: inout ByteBuffer) throws(AdminProtocolError) {}

    /// Writes the (empty) body.
    public func encode(into buffer: inout ByteBuffer) {}
}
