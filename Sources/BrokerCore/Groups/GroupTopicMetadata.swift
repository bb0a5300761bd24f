/// What the group coordinator needs to know about topics and partition logs.
///
/// The broker implements this over its partition logs; tests use a fake. The coordinator calls
/// these methods while it holds its own lock, so an implementation must not call back into the
/// ``GroupCoordinator`` and should answer from memory where it can.
public protocol GroupTopicMetadata: Sendable {
    /// The number of partitions of `topic`, or `nil` when the topic does not exist.
    func partitionCount(of topic: String) -> Int32?

    /// The partition's log start offset (low watermark), or `nil` when the partition does not exist.
    func logStartOffset(of partition: TopicPartition) -> Int64?

    /// The partition's high watermark (the offset of the next record to be written), or `nil`
    /// when the partition does not exist.
    func highWatermark(of partition: TopicPartition) -> Int64?

    /// The offset `spec` designates in `partition`, clamped to `[logStartOffset, highWatermark]`.
    ///
    /// ``OffsetSpec/earliest`` is the log start offset, ``OffsetSpec/latest`` the high
    /// watermark, ``OffsetSpec/timestamp(_:)`` the first offset whose record timestamp is at or
    /// after the given time (the high watermark when there is none), as in Kafka's ListOffsets.
    /// - Throws: ``BrokerError/unknownTopicOrPartition(topic:partition:)`` when the partition
    ///   does not exist, or a storage error.
    func offset(for spec: OffsetSpec, in partition: TopicPartition) throws(BrokerError) -> Int64

    /// The timestamp of the record at `offset`, or `nil` when there is no such record (out of
    /// range, deleted by retention, or unreadable). Used for time lag.
    func timestampOfRecord(at offset: Int64, in partition: TopicPartition) -> Int64?
}
