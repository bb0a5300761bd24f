import AdminProtocol
import BrokerCore

/// ListTopics (key 2): every topic with partitions, messages, size, last write and consuming groups.
enum ListTopicsHandler {
    static func handle(_ request: ListTopicsRequest, _ context: RequestContext) -> ListTopicsResponse {
        let groupsByTopic = consumingGroups(context.backend.groups)
        return ListTopicsResponse(
            topics: context.backend.listTopics(includeInternal: request.includeInternal).map { t in
                TopicListing(
                    name: t.name, partitionCount: t.partitionCount, messageCount: t.messageCount,
                    sizeBytes: t.sizeBytes, lastWriteTimeMs: t.lastWriteTime ?? -1, isInternal: t.isInternal,
                    consumerGroups: groupsByTopic[t.name] ?? [])
            })
    }

    /// Topic name → ids of the groups that subscribe to it or have committed offsets on it.
    static func consumingGroups(_ groups: GroupCoordinator) -> [String: [String]] {
        var result: [String: [String]] = [:]
        for group in groups.listGroups() {
            for topic in group.topics { result[topic, default: []].append(group.groupId) }
        }
        return result.mapValues { $0.sorted() }
    }
}
