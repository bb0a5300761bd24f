// DescribeGroup (key 11): `docs/admin-protocol.md`, section 4.12.

import NIOCore

/// Asks for one consumer group's members, assignment and lag table.
public struct DescribeGroupRequest: AdminMessage, Hashable, Sendable {
    /// The DescribeGroup API.
    public static let apiKey = ApiKey.describeGroup

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

/// One consumer group: members, assignment and the per-partition lag table.
public struct DescribeGroupResponse: AdminMessage, Hashable, Sendable {
    /// The DescribeGroup API.
    public static let apiKey = ApiKey.describeGroup

    /// The group id.
    public var groupId: String
    /// The group's state (`Stable`, `Empty`, …).
    public var state: String
    /// The group's generation.
    public var generation: Int32
    /// The assignor in use (`range`, `roundrobin`).
    public var assignor: String
    /// The leader's member id; empty = none.
    public var leaderId: String
    /// The active members.
    public var members: [GroupMemberInfo]
    /// The lag table.
    public var partitions: [GroupPartitionInfo]
    /// Lag summed over the partitions with known lag.
    public var totalLag: Int64

    /// Creates the response.
    public init(
        groupId: String, state: String, generation: Int32, assignor: String, leaderId: String,
        members: [GroupMemberInfo], partitions: [GroupPartitionInfo], totalLag: Int64
    ) {
        self.groupId = groupId
        self.state = state
        self.generation = generation
        self.assignor = assignor
        self.leaderId = leaderId
        self.members = members
        self.partitions = partitions
        self.totalLag = totalLag
    }

    /// Reads the body.
    public init(from buffer: inout ByteBuffer) throws(AdminProtocolError) {
        groupId = try buffer.readWireString("groupId")
        state = try buffer.readWireString("state")
        generation = try buffer.readWireInteger("generation")
        assignor = try buffer.readWireString("assignor")
        leaderId = try buffer.readWireString("leaderId")
        members = try buffer.readWireArray("members")
        partitions = try buffer.readWireArray("partitions")
        totalLag = try buffer.readWireInteger("totalLag")
    }

    /// Writes the body.
    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeWireString(groupId)
        buffer.writeWireString(state)
        buffer.writeInteger(generation)
        buffer.writeWireString(assignor)
        buffer.writeWireString(leaderId)
        buffer.writeWireArray(members)
        buffer.writeWireArray(partitions)
        buffer.writeInteger(totalLag)
    }
}

/// One member of a described group.
public struct GroupMemberInfo: Hashable, Sendable {
    /// The member id the broker assigned.
    public var memberId: String
    /// The client id the member joined with.
    public var clientId: String
    /// The member connection's remote address.
    public var clientHost: String
    /// The member's session timeout in milliseconds.
    public var sessionTimeoutMs: Int32
    /// The topics the member subscribes to.
    public var subscribedTopics: [String]
    /// The partitions assigned to the member.
    public var assignment: [TopicPartitionRef]
    /// The member's last heartbeat, in milliseconds since the epoch.
    public var lastHeartbeatMs: Int64

    /// Creates a member entry.
    public init(
        memberId: String, clientId: String, clientHost: String, sessionTimeoutMs: Int32, subscribedTopics: [String],
        assignment: [TopicPartitionRef], lastHeartbeatMs: Int64
    ) {
        self.memberId = memberId
        self.clientId = clientId
        self.clientHost = clientHost
        self.sessionTimeoutMs = sessionTimeoutMs
        self.subscribedTopics = subscribedTopics
        self.assignment = assignment
        self.lastHeartbeatMs = lastHeartbeatMs
    }
}

extension GroupMemberInfo: WireElement {
    static var minimumWireSize: Int { 2 + 2 + 2 + 4 + 4 + 4 + 8 }

    init(from buffer: inout ByteBuffer) throws(AdminProtocolError) {
        memberId = try buffer.readWireString("memberId")
        clientId = try buffer.readWireString("clientId")
        clientHost = try buffer.readWireString("clientHost")
        sessionTimeoutMs = try buffer.readWireInteger("sessionTimeoutMs")
        subscribedTopics = try buffer.readWireArray("subscribedTopics")
        assignment = try buffer.readWireArray("assignment")
        lastHeartbeatMs = try buffer.readWireInteger("lastHeartbeatMs")
    }

    func encode(into buffer: inout ByteBuffer) {
        buffer.writeWireString(memberId)
        buffer.writeWireString(clientId)
        buffer.writeWireString(clientHost)
        buffer.writeInteger(sessionTimeoutMs)
        buffer.writeWireArray(subscribedTopics)
        buffer.writeWireArray(assignment)
        buffer.writeInteger(lastHeartbeatMs)
    }
}
