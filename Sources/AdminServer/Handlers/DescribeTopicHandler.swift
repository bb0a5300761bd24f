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
        let groups = context.backend.groups
        var lags: [TopicGroupLag] = []
        for summary in groups.listGroups() where summary.topics.contains(request.name) {
            guard let description = try? groups.describeGroup(summary.groupId) else { continue }
            let lag = description.partitions.filter { $0.topicPartition.topic == request.name }
                .reduce(Int64(0)) { $0 + ($1.lag ?? 0) }
            lags.append(TopicGroupLag(groupId: summary.groupId, state: description.state.rawValue, lag: lag))
        }
        return DescribeTopicResponse(
            name: d.name, topicId: d.topicId.uuidString, isInternal: d.isInternal,
            config: d.config.keys.sorted().map {
                ConfigEntry(key: $0, value: d.config[$0]!, isDefault: d.configOverrides[$0] == nil)
            },
            partitions: d.partitions.map { p in
                PartitionInfo(
                    partition: p.partition, leader: p.leader, replicas: p.replicas, inSyncReplicas: p.inSyncReplicas,
                    logStartOffset: p.logStartOffset, highWatermark: p.highWatermark, sizeBytes: p.sizeBytes,
                    firstTimestampMs: p.firstTimestamp ?? -1, lastTimestampMs: p.lastTimestamp ?? -1)
            },
            consumerGroups: lags.sorted { $0.groupId < $1.groupId })
    }
}
