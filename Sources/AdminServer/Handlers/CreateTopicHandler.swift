import AdminProtocol
import BrokerCore

/// CreateTopic (key 4): creates a topic, or only validates the request.
enum CreateTopicHandler {
    static func handle(
        _ request: CreateTopicRequest, _ context: RequestContext
    ) throws(HandlerError)
        -> CreateTopicResponse
    {
        let config = try configMap(request.config)
        let id = try context.call { () throws(BrokerError) in
            try context.backend.createTopic(
                request.name, partitions: request.partitionCount, config: config, validateOnly: request.validateOnly)
        }
        return CreateTopicResponse(topicId: id?.uuidString ?? "")
    }

    /// The pairs as a dictionary; a key given twice is refused.
    static func configMap(_ pairs: [ConfigPair]) throws(HandlerError) -> [String: String] {
        var map: [String: String] = [:]
        for pair in pairs {
            if map.updateValue(pair.value, forKey: pair.key) != nil {
                throw HandlerError(.invalidConfig, "config key '\(pair.key)' is given twice")
            }
        }
        return map
    }
}
