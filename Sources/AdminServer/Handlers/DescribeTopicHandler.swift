import AdminProtocol
import BrokerCore

/// DescribeTopic (key 3): config, partitions with watermarks, sizes and timestamps, and the
/// groups consuming the topic with their lag on it.
enum DescribeTopicHandler {
    static func handle(
        _ request: DescribeTopicRequest, _ context: RequestContext
    ) throws(HandlerError)
        -> DescribeTopicResponse
    {
        let d = try context.call { () throws(BrokerError) in try context.backend.describeTopic(request.name) }
        return DescribeTopicResponse(
            name: d.name, topicId: d.topicId.uuidString, isInternal: d.isInternal,
            config: d.sortedConfig.map { ConfigEntry(key: $0.key, value: $0.value, isDefault: !$0.isOverride) },
            partitions: d.partitions.map { p in
                PartitionInfo(
                    partition: p.partition, leader: p.leader, replicas: p.replicas, inSyncReplicas: p.inSyncReplicas,
                    logStartOffset: p.logStartOffset, highWatermark: p.highWatermark, sizeBytes: p.sizeBytes,
                    firstTimestampMs: p.firstTimestamp ?? -1, lastTimestampMs: p.lastTimestamp ?? -1)
            },
            consumerGroups: context.backend.groups.consumers(ofTopic: request.name).map {
                TopicGroupLag(groupId: $0.groupId, state: $0.state.rawValue, lag: $0.lag)
            })
    }
}
