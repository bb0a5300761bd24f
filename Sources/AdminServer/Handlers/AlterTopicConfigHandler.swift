import AdminProtocol
import BrokerCore

/// AlterTopicConfig (key 6): sets and removes topic config entries.
enum AlterTopicConfigHandler {
    static func handle(
        _ request: AlterTopicConfigRequest, _ context: RequestContext
    ) throws(HandlerError)
        -> AlterTopicConfigResponse
    {
        let set = try CreateTopicHandler.configMap(request.set)
        try context.call { () throws(BrokerError) in
            try context.backend.alterTopicConfig(request.name, set: set, delete: request.delete)
        }
        return AlterTopicConfigResponse()
    }
}
