import AdminProtocol
import BrokerCore

/// DescribeGroup (key 11): members and assignments; per partition committed offset, high
/// watermark, lag and time lag.
enum DescribeGroupHandler {
    static func handle(
        _ request: DescribeGroupRequest, _ context: RequestContext
    ) throws(HandlerError)
        -> DescribeGroupResponse
    {
        let d = try context.call { () throws(BrokerError) in try context.backend.groups.describeGroup(request.groupId) }
        return DescribeGroupResponse(
            groupId: d.groupId, state: d.state.rawValue, generation: d.generation, assignor: d.assignor.rawValue,
            leaderId: d.leaderId ?? "",
            members: d.members.map { m in
                GroupMemberInfo(
                    memberId: m.memberId, clientId: m.clientId, clientHost: m.clientHost,
                    sessionTimeoutMs: m.sessionTimeoutMs, subscribedTopics: m.subscribedTopics.sorted(),
                    assignment: m.assignment.map(TopicPartitionRef.init), lastHeartbeatMs: m.lastHeartbeatMs)
            },
            partitions: d.partitions.map(GroupPartitionInfo.init), totalLag: d.totalLag)
    }
}

extension TopicPartitionRef {
    /// The wire form of a topic partition.
    init(_ tp: TopicPartition) { self.init(topic: tp.topic, partition: tp.partition) }
}

extension GroupPartitionInfo {
    /// The wire form of one row of a group's lag table.
    init(_ p: GroupPartitionLag) {
        self.init(
            topic: p.topicPartition.topic, partition: p.topicPartition.partition,
            committedOffset: p.committed?.offset ?? -1, logStartOffset: p.logStartOffset ?? -1,
            highWatermark: p.highWatermark ?? -1, lag: p.lag ?? -1, timeLagMs: p.timeLagMs ?? -1,
            memberId: p.memberId ?? "", commitTimestampMs: p.committed?.commitTimestamp ?? -1,
            metadata: p.committed?.metadata ?? "")
    }
}
