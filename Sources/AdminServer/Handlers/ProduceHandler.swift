import AdminProtocol
import BrokerCore

/// Produce (key 8): appends records; each goes to its partition or where Kafka's partitioner
/// sends its key. A timestamp of -1 is stamped with the append time; one below -1 refuses the
/// request with INVALID_TIMESTAMP. Wakes live-tail subscriptions of the partitions written.
enum ProduceHandler {
    static func handle(_ request: ProduceRequest, _ context: RequestContext) throws(HandlerError) -> ProduceResponse {
        guard !request.records.isEmpty else {
            throw HandlerError(.invalidRequest, "a produce request needs at least one record")
        }
        guard request.records.count <= context.config.maxProduceRecords else {
            throw HandlerError(
                .tooManyRequests,
                "a produce request may carry at most \(context.config.maxProduceRecords) records, got \(request.records.count)"
            )
        }
        var records: [(partition: Int32?, record: ProducerRecord)] = []
        records.reserveCapacity(request.records.count)
        for (index, r) in request.records.enumerated() {
            guard r.partition >= -1 else {
                throw HandlerError(
                    .invalidRequest, "partition must be -1 (any) or a partition number, got \(r.partition)")
            }
            guard r.timestampMs >= -1 else {
                throw HandlerError(
                    .invalidTimestamp,
                    "timestamp \(r.timestampMs) of record \(index) is not valid: use milliseconds since the epoch (0 or more), or -1 to let the broker stamp the append time"
                )
            }
            records.append(
                (
                    r.partition == -1 ? nil : r.partition,
                    ProducerRecord(
                        key: r.key, value: r.value,
                        headers: r.headers.map { RecordHeader(key: $0.key, value: $0.value) },
                        timestamp: r.timestampMs == -1 ? nil : r.timestampMs)
                ))
        }
        let results = try context.call { () throws(BrokerError) in
            try context.backend.produce(topic: request.topic, records: records)
        }
        // Distinct partitions first: building a TopicPartition (a String copy and hash) per record
        // showed up in profiles of 1,000-record requests.
        let written = Set(results.lazy.map(\.partition))
        context.notifier.notify(written.map { TopicPartition(topic: request.topic, partition: $0) })
        return ProduceResponse(
            results: results.map {
                ProducedOffset(partition: $0.partition, offset: $0.offset, timestampMs: $0.timestamp)
            })
    }
}
