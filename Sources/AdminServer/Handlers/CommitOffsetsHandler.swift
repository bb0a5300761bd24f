import AdminProtocol
import BrokerCore

/// CommitOffsets (key 16): commits a member's (or a standalone client's) offsets durably.
enum CommitOffsetsHandler {
    static func handle(
        _ request: CommitOffsetsRequest, _ context: RequestContext
    ) throws(HandlerError)
        -> CommitOffsetsResponse
    {
        var offsets: [TopicPartition: OffsetAndMetadata] = [:]
        for o in request.offsets {
            guard o.offset >= 0 else {
                throw HandlerError(
                    .invalidRequest, "committed offset must be >= 0, got \(o.offset) for \(o.topic)-\(o.partition)")
            }
            offsets[TopicPartition(topic: o.topic, partition: o.partition)] = OffsetAndMetadata(
                offset: o.offset, metadata: o.metadata)
        }
        try context.call { () throws(BrokerError) in
            try context.backend.groups.commitOffsets(
                groupId: request.groupId, memberId: request.memberId, generation: request.generation, offsets: offsets)
        }
        return CommitOffsetsResponse()
    }
}
