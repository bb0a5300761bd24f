import AdminProtocol
import BrokerCore

/// DeleteRecords (key 21): moves partitions' low watermarks forward, as Kafka's DeleteRecords
/// does; offset -1 means the high watermark (delete everything). The topic is checked for the
/// whole request; then each partition succeeds or fails on its own (an offset past the high
/// watermark is OFFSET_OUT_OF_RANGE, an unknown partition UNKNOWN_TOPIC_OR_PARTITION), and the
/// response holds one result per requested partition, in request order.
enum DeleteRecordsHandler {
    static func handle(
        _ request: DeleteRecordsRequest, _ context: RequestContext
    ) throws(HandlerError)
        -> DeleteRecordsResponse
    {
        guard !request.partitions.isEmpty else {
            throw HandlerError(.invalidRequest, "a DeleteRecords request needs at least one partition")
        }
        var seen = Set<Int32>()
        for p in request.partitions where !seen.insert(p.partition).inserted {
            throw HandlerError(.invalidRequest, "partition \(p.partition) appears more than once in the request")
        }
        guard context.backend.partitionCount(of: request.topic) != nil else {
            throw HandlerError(BrokerError.unknownTopicOrPartition(topic: request.topic, partition: nil))
        }
        // Kafka refuses it too (InvalidTopicException): the offsets topic holds the groups' commits.
        guard !TopicName.isInternal(request.topic) else {
            throw HandlerError(
                .invalidTopicException, "'\(request.topic)' is an internal topic: its records cannot be deleted")
        }
        let results = request.partitions.map { p -> DeleteRecordsResult in
            let tp = TopicPartition(topic: request.topic, partition: p.partition)
            do throws(HandlerError) {
                let low = try context.call { () throws(BrokerError) in
                    try context.backend.deleteRecords(tp, before: p.offset)
                }
                return DeleteRecordsResult(partition: p.partition, lowWatermark: low)
            } catch {
                if error.code == .unknownServerError || error.code == .kafkaStorageError {
                    context.logger.error(
                        "DeleteRecords failed", metadata: ["partition": "\(tp)", "error": "\(error.message)"])
                }
                return DeleteRecordsResult(partition: p.partition, error: error.code, message: error.message)
            }
        }
        return DeleteRecordsResponse(partitions: results)
    }
}
