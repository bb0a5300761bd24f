import AdminProtocol
import BrokerCore

/// FetchOffsets (key 18): a group's committed offsets, where a consumer resumes.
enum FetchOffsetsHandler {
    static func handle(
        _ request: FetchOffsetsRequest, _ context: RequestContext
    ) throws(HandlerError)
        -> FetchOffsetsResponse
    {
        let offsets = context.backend.groups.fetchOffsets(groupId: request.groupId)
        return FetchOffsetsResponse(
            offsets: offsets.keys.sorted().map { tp in
                let c = offsets[tp]!
                return CommittedOffsetInfo(
                    topic: tp.topic, partition: tp.partition, offset: c.offset, metadata: c.metadata,
                    commitTimestampMs: c.commitTimestamp)
            })
    }
}
