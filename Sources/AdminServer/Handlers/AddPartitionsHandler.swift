import AdminProtocol
import BrokerCore

/// AddPartitions (key 7): grows a topic (never shrinks it).
enum AddPartitionsHandler {
    static func handle(
        _ request: AddPartitionsRequest, _ context: RequestContext
    ) throws(HandlerError)
        -> AddPartitionsResponse
    {
        try context.call { () throws(BrokerError) in
            try context.backend.addPartitions(request.name, totalCount: request.totalCount)
        }
        return AddPartitionsResponse()
    }
}
