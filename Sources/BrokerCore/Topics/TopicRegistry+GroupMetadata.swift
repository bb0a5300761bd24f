/// The registry answers the group coordinator's questions about partitions: counts for
/// assignment, watermarks for lag, timestamps for time lag, and offsets for resets.
/// None of these calls reach back into the coordinator (it calls them under its own lock).
extension TopicRegistry: GroupTopicMetadata {
    public func logStartOffset(of partition: TopicPartition) -> Int64? {
        (try? self.partition(partition))?.logStartOffset
    }

    public func highWatermark(of partition: TopicPartition) -> Int64? {
        (try? self.partition(partition))?.logEndOffset
    }

    public func offset(for spec: OffsetSpec, in partition: TopicPartition) throws(BrokerError) -> Int64 {
        try self.partition(partition).offset(for: spec)
    }

    public func timestampOfRecord(at offset: Int64, in partition: TopicPartition) -> Int64? {
        try? self.partition(partition).timestamp(ofOffset: offset)
    }
}
