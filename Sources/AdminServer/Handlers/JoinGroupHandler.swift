import AdminProtocol
import BrokerCore

/// JoinGroup (key 14): a Skiff consumer joins (or rejoins) a group; the member's host is the
/// connection's remote address.
enum JoinGroupHandler {
    static func handle(
        _ request: JoinGroupRequest, _ context: RequestContext
    ) throws(HandlerError)
        -> JoinGroupResponse
    {
        let assignor: PartitionAssignorName?
        if request.assignor.isEmpty {
            assignor = nil
        } else if let named = PartitionAssignorName(rawValue: request.assignor) {
            assignor = named
        } else {
            throw HandlerError(
                .invalidRequest, "unknown assignor '\(request.assignor)'; use range or roundrobin")
        }
        let result = try context.call { () throws(BrokerError) in
            try context.backend.groups.join(
                groupId: request.groupId, memberId: request.memberId.isEmpty ? nil : request.memberId,
                clientId: request.clientId, clientHost: context.connection.remoteHost,
                sessionTimeoutMs: request.sessionTimeoutMs, rebalanceTimeoutMs: request.rebalanceTimeoutMs,
                topics: request.topics, assignor: assignor)
        }
        return JoinGroupResponse(memberId: result.memberId, generation: result.generation, state: result.state.rawValue)
    }
}
