import AdminProtocol
import BrokerCore

/// ListTopics (key 2): every topic with partitions, messages, size, last write and consuming groups.
enum ListTopicsHandler {
    static func handle(_ request: ListTopicsRequest, _ context: RequestContext) -> ListTopicsResponse {
        let groupsByTopic = context.backend.groups.consumingGroups()
        return ListTopicsResponse(
            topics: context.backend.listTopics(includeInternal: request.includeInternal).map { t in
                TopicListing(
                    name: t.name, partitionCount: t.partitionCount, messageCount: t.messageCount,
                    sizeBytes: t.sizeBytes, lastWriteTimeMs: t.lastWriteTime ?? -1, isInternal: t.isInternal,
                    consumerGroups: groupsByTopic[t.name] ?? [])
            })
    }
}
