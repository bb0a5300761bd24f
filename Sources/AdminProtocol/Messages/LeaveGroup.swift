// LeaveGroup (key 17): `docs/admin-protocol.md`, section 4.18.

import NIOCore

/// Leaves a consumer group.
public struct LeaveGroupRequest: AdminMessage, Hashable, Sendable {
    /// The LeaveGroup API.
    public static let apiKey = ApiKey.leaveGroup

    /// The group id.
    public var groupId: String
    /// The leaving member.
    public var memberId: String

    /// Creates the request.
    public init(groupId: String, memberId: String) {
        self.groupId = groupId
        self.memberId = memberId
    }

    /// Reads the body.
    public init(from buffer: inout ByteBuffer) throws(AdminProtocolError) {
        groupId = try buffer.readWireString("groupId")
        memberId = try buffer.readWireString("memberId")
    }

    /// Writes the body.
    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeWireString(groupId)
        buffer.writeWireString(memberId)
    }
}

/// The member left. The body is empty.
public struct LeaveGroupResponse: AdminMessage, Hashable, Sendable {
    /// The LeaveGroup API.
    public static let apiKey = ApiKey.leaveGroup

    /// Creates the response.
    public init() {}

    /// Reads the (empty) body.
    public init(from buffer: inout ByteBuffer) throws(AdminProtocolError) {}

    /// Writes the (empty) body.
    public func encode(into buffer: inout ByteBuffer) {}
}
