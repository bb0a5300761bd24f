// ListGroups (key 10): `docs/admin-protocol.md`, section 4.11.

import NIOCore

/// Asks for all consumer groups. The body is empty.
public struct ListGroupsRequest: AdminMessage, Hashable, Sendable {
    /// The ListGroups API.
    public static let apiKey = ApiKey.listGroups

    /// Creates the request.
    public init() {}

    /// Reads the (empty) body.
    public init(from buffer: inout ByteBuffer) throws(AdminProtocolError) {}

    /// Writes the (empty) body.
    public func encode(into buffer: inout ByteBuffer) {}
}

/// All consumer groups with their states and total lag.
public struct ListGroupsResponse: AdminMessage, Hashable, Sendable {
    /// The ListGroups API.
    public static let apiKey = ApiKey.listGroups

    /// One entry per group.
    public var groups: [GroupListing]

    /// Creates the response.
    public init(groups: [GroupListing]) {
        self.groups = groups
    }

    /// Reads the body.
    public init(from buffer: inout ByteBuffer) throws(AdminProtocolError) {
        groups = try buffer.readWireArray("groups")
    }

    /// Writes the body.
    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeWireArray(groups)
    }
}

/// One row of the group list.
public struct GroupListing: Hashable, Sendable {
    /// The group id.
    public var groupId: String
    /// `Empty`, `PreparingRebalance`, `CompletingRebalance`, `Stable` or `Dead`.
    public var state: String
    /// Active members.
    public var memberCount: Int32
    /// Topics the group subscribes to or has committed offsets for.
    public var topics: [String]
    /// Lag summed over the group's partitions with known lag.
    public var totalLag: Int64

    /// Creates a row.
    public init(groupId: String, state: String, memberCount: Int32, topics: [String], totalLag: Int64) {
        self.groupId = groupId
        self.state = state
        self.memberCount = memberCount
        self.topics = topics
        self.totalLag = totalLag
    }
}

extension GroupListing: WireElement {
    static var minimumWireSize: Int { 2 + 2 + 4 + 4 + 8 }

    init(from buffer: inout ByteBuffer) throws(AdminProtocolError) {
        groupId = try buffer.readWireString("groupId")
        state = try buffer.readWireString("state")
        memberCount = try buffer.readWireInteger("memberCount")
        topics = try buffer.readWireArray("topics")
        totalLag = try buffer.readWireInteger("totalLag")
    }

    func encode(into buffer: inout ByteBuffer) {
        buffer.writeWireString(groupId)
        buffer.writeWireString(state)
        buffer.writeInteger(memberCount)
        buffer.writeWireArray(topics)
        buffer.writeInteger(totalLag)
    }
}
