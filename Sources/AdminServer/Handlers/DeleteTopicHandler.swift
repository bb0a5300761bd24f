import AdminProtocol
import BrokerCore

/// DeleteTopic (key 5): deletes a topic, its files and the offsets groups committed on it. Wakes
/// the live tails following the topic, which then end ("topic 'x' was deleted").
enum DeleteTopicHandler {
    static func handle(
        _ request: DeleteTopicRequest, _ context: RequestContext
    ) throws(HandlerError)
        -> DeleteTopicResponse
    {
        try context.call { () throws(BrokerError) in try context.backend.deleteTopic(request.name) }
        context.notifier.notify(topic: request.name)
        return DeleteTopicResponse()
    }
}
