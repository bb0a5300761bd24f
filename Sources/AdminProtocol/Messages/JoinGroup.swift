// JoinGroup (key 14): `docs/admin-protocol.md`, section 4.15.

import NIOCore

/// Joins a consumer group. Joining never returns an assignment: the member heartbeats until the
/// heartbeat carries one.
public struct JoinGroupRequest: AdminMessage, Hashable, Sendable {
    /// The JoinGroup API.
    public static let apiKey = ApiKey.joinGroup

    /// The group id.
    public var groupId: String
    /// The member id; empty = a new member, and the broker assigns the id.
    public var memberId: String
    /// The client's id.
    public var clientId: String
    /// The member's session timeout in milliseconds.
    public var sessionTimeoutMs: Int32
    /// The member's rebalance timeout in milliseconds.
    public var rebalanceTimeoutMs: Int32
    /// The subscribed topics.
    public var topics: [String]
    /// `"range"`, `"roundrobin"`, or empty for the broker default.
    public var assignor: String

    /// Creates the request.
    public init(
        groupId: String, memberId: String, clientId: String, sessionTimeoutMs: Int32, rebalanceTimeoutMs: Int32,
        topics: [String], assignor: String
    ) {
        self.groupId = groupId
        self.memberId = memberId
        self.clientId = clientId
        self.sessionTimeoutMs = sessionTimeoutMs
        self.rebalanceTimeoutMs = rebalanceTimeoutMs
        self.topics = topics
        self.assignor = assignor
    }

    /// Reads the body.
    public init(from buffer: inout ByteBuffer) throws(AdminProtocolError) {
        groupId = try buffer.readWireString("groupId")
        memberId = try buffer.readWireString("memberId")
        clientId = try buffer.readWireString("clientId")
        sessionTimeoutMs = try buffer.readWireInteger("sessionTimeoutMs")
        rebalanceTimeoutMs = try buffer.readWireInteger("rebalanceTimeoutMs")
        topics = try buffer.readWireArray("topics")
        assignor = try buffer.readWireString("assignor")
    }

    /// Writes the body.
    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeWireString(groupId)
        buffer.writeWireString(memberId)
        buffer.writeWireString(clientId)
        buffer.writeInteger(sessionTimeoutMs)
        buffer.writeInteger(rebalanceTimeoutMs)
        buffer.writeWireArray(topics)
        buffer.writeWireString(assignor)
    }
}

/// The joined member's id and the group's generation.
public struct JoinGroupResponse: AdminMessage, Hashable, Sendable {
    /// The JoinGroup API.
    public static let apiKey = ApiKey.joinGroup

    /// The member's id (assigned by the broker for a new member).
    public var memberId: String
    /// The group's generation.
    public var generation: Int32
    /// The group's state.
    public var state: String

    /// Creates the response.
    public init(memberId: String, generation: Int32, state: String) {
        self.memberId = memberId
        self.generation = generation
        self.state = state
    }

    /// Reads the body.
    public init(from buffer: inout ByteBuffer) throws(AdminProtocolError) {
        memberId = try buffer.readWireString("memberId")
        generation = try buffer.readWireInteger("generation")
        state = try buffer.readWireString("state")
    }

    /// Writes the body.
    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeWireString(memberId)
        buffer.writeInteger(generation)
        buffer.writeWireString(state)
    }
}
