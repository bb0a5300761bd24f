import AdminProtocol
import BrokerCore

/// Heartbeat (key 15): keeps a member alive and hands it its assignment, or tells it to rejoin.
enum HeartbeatHandler {
    static func handle(
        _ request: HeartbeatRequest, _ context: RequestContext
    ) throws(HandlerError)
        -> HeartbeatResponse
    {
        let result = try context.call { () throws(BrokerError) in
            try context.backend.groups.heartbeat(
                groupId: request.groupId, memberId: request.memberId, generation: request.generation)
        }
        switch result {
        case .assigned(let a):
            return HeartbeatResponse(
                status: .assigned, generation: a.generation, assignment: a.partitions.map(TopicPartitionRef.init))
        case .awaitingAssignment:
            return HeartbeatResponse(status: .awaitingAssignment, generation: request.generation, assignment: [])
        case .rejoinRequired:
            return HeartbeatResponse(status: .rejoinRequired, generation: request.generation, assignment: [])
        }
    }
}
