import AdminProtocol
import BrokerCore

/// ResetGroupOffsets (key 12): plans (dry run) or applies an offset reset for a group with no
/// active members.
enum ResetGroupOffsetsHandler {
    static func handle(
        _ request: ResetGroupOffsetsRequest, _ context: RequestContext
    ) throws(HandlerError)
        -> ResetGroupOffsetsResponse
    {
        let target: OffsetResetTarget =
            switch request.target {
            case .earliest: .earliest
            case .latest: .latest
            case .offset(let o): .offset(o)
            case .timestamp(let t): .timestamp(t)
            case .shift(let n): .shift(by: n)
            }
        let entries = try context.call { () throws(BrokerError) in
            try context.backend.groups.resetOffsets(
                groupId: request.groupId, topics: request.topics,
                partitions: request.partitions.map { TopicPartition(topic: $0.topic, partition: $0.partition) },
                to: target, dryRun: request.dryRun)
        }
        return ResetGroupOffsetsResponse(
            entries: entries.map {
                OffsetResetInfo(
                    topic: $0.topicPartition.topic, partition: $0.topicPartition.partition,
                    oldOffset: $0.oldOffset ?? -1, newOffset: $0.newOffset)
            })
    }
}
