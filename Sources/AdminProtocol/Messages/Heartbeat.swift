// Heartbeat (key 15): `docs/admin-protocol.md`, section 4.16.

import NIOCore

/// Keeps a membership alive and asks for the member's assignment.
public struct HeartbeatRequest: AdminMessage, Hashable, Sendable {
    /// The Heartbeat API.
    public static let apiKey = ApiKey.heartbeat

    /// The group id.
    public var groupId: String
    /// The member id.
    public var memberId: String
    /// The last generation the member was told; -1 before the first.
    public var generation: Int32

    /// Creates the request.
    public init(groupId: String, memberId: String, generation: Int32) {
        self.groupId = groupId
        self.memberId = memberId
        self.generation = generation
    }

    /// Reads the body.
    public init(from buffer: inout ByteBuffer) throws(AdminProtocolError) {
        groupId = try buffer.readWireString("groupId")
        memberId = try buffer.readWireString("memberId")
        generation = try buffer.readWireInteger("generation")
    }

    /// Writes the body.
    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeWireString(groupId)
        buffer.writeWireString(memberId)
        buffer.writeInteger(generation)
    }
}

/// The member's standing in the group.
public enum HeartbeatStatus: UInt8, Hashable, Sendable {
    /// The heartbeat carries the member's assignment.
    case assigned = 0
    /// The group is rebalancing; heartbeat again.
    case awaitingAssignment = 1
    /// The member must join again.
    case rejoinRequired = 2
}

/// The member's status and, once assigned, its partitions.
public struct HeartbeatResponse: AdminMessage, Hashable, Sendable {
    /// The Heartbeat API.
    public static let apiKey = ApiKey.heartbeat

    /// The member's standing.
    public var status: HeartbeatStatus
    /// The group's generation.
    public var generation: Int32
    /// The member's partitions; only meaningful when `status` is `assigned`.
    public var assignment: [TopicPartitionRef]

    /// Creates the response.
    public init(status: HeartbeatStatus, generation: Int32, assignment: [TopicPartitionRef]) {
        self.status = status
        self.generation = generation
        self.assignment = assignment
    }

    /// Reads the body.
    public init(from buffer: inout ByteBuffer) throws(AdminProtocolError) {
        let rawStatus = try buffer.readWireInteger("status", as: UInt8.self)
        guard let status = HeartbeatStatus(rawValue: rawStatus) else {
            throw .malformed(reason: "status: \(rawStatus) is not a heartbeat status (0 … 2)")
        }
        self.status = status
        generation = try buffer.readWireInteger("generation")
        assignment = try buffer.readWireArray("assignment")
    }

    /// Writes the body.
    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(status.rawValue)
        buffer.writeInteger(generation)
        buffer.writeWireArray(assignment)
    }
}
