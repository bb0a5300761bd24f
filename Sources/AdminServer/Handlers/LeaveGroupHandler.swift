import AdminProtocol
import BrokerCore

/// LeaveGroup (key 17): a member leaves; the group rebalances.
enum LeaveGroupHandler {
    static func handle(
        _ request: LeaveGroupRequest, _ context: RequestContext
    ) throws(HandlerError)
        -> LeaveGroupResponse
    {
        try context.call { () throws(BrokerError) in
            try context.backend.groups.leave(groupId: request.groupId, memberId: request.memberId)
        }
        return LeaveGroupResponse()
    }
}
