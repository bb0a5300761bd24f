/// The ``OffsetStore`` of a real broker: committed offsets are records of the internal topic
/// `__consumer_offsets` (partition 0), keyed and valued with ``OffsetCommitEntry``'s codec, the
/// way Kafka keeps them. A commit is acknowledged once its record is appended (written to the
/// OS), and the coordinator replays the whole partition at start.
///
/// Records that do not decode (written by a newer Skiff, say) are skipped with a warning rather
/// than stopping the broker: losing one group's offset is better than refusing to start.
import Logging

final class ConsumerOffsetsStore: OffsetStore {
    /// The internal topic's name, as in Kafka.
    static let topicName = "__consumer_offsets"
    /// Its config: kept forever (there is no compaction yet), 100 MiB segments.
    static let topicConfig = ["retention.ms": "-1", "segment.bytes": "104857600"]

    private let log: PartitionLog
    private let logger: Logger

    init(log: PartitionLog, logger: Logger) {
        self.log = log
        self.logger = logger
    }

    func append(_ entries: [OffsetCommitEntry]) throws(BrokerError) {
        guard !entries.isEmpty else { return }
        var records: [ProducerRecord] = []
        records.reserveCapacity(entries.count)
        for entry in entries {
            let (key, value) = try entry.encode()
            records.append(ProducerRecord(key: key, value: value))
        }
        _ = try log.append(records)
    }

    func loadAll() throws(BrokerError) -> [OffsetCommitEntry] {
        var entries: [OffsetCommitEntry] = []
        var next = log.logStartOffset
        let end = log.logEndOffset
        while next < end {
            let records: [Record]
            do {
                records = try log.read(from: next, maxRecords: 10_000, maxBytes: 8 << 20)
            } catch .corruptBatch(let damage) {
                // The commits in the damaged range are lost; every other group's offsets are not.
                logger.warning("skipping damaged committed-offset records: \(damage)")
                next = max(next + 1, damage.damage.lastOffset + 1)
                continue
            }
            guard let last = records.last else { break }
            for record in records {
                guard let key = record.key else { continue }
                do {
                    entries.append(try OffsetCommitEntry.decode(key: key, value: record.value))
                } catch {
                    logger.warning(
                        "skipping an undecodable committed-offset record",
                        metadata: ["offset": "\(record.offset)", "error": "\(error)"])
                }
            }
            next = last.offset + 1
        }
        return entries
    }
}
