import AdminProtocol
import BrokerCore

/// DeleteGroup (key 13): deletes a group with no active members and its committed offsets.
enum DeleteGroupHandler {
    static func handle(
        _ request: DeleteGroupRequest, _ context: RequestContext
    ) throws(HandlerError)
        -> DeleteGroupResponse
    {
        try context.call { () throws(BrokerError) in try context.backend.groups.deleteGroup(request.groupId) }
        return DeleteGroupResponse()
    }
}
