// The topic's timestamp type applied to an appended batch, as Kafka's LogValidator does for
// magic 2 (`assignOffsetsNonCompressed`, and the in-place path of
// `validateMessagesAndAssignOffsetsCompressed`): the batch's attributes get the topic's
// timestamp type (bit 3) and its maxTimestamp becomes the append time (LogAppendTime) or, for a
// client's batch, the largest timestamp of its records (CreateTime: a producer that left it unset,
// as sarama 1.22 does, gets it corrected); the CRC is recomputed when either changed.
// baseTimestamp and every record's timestamp delta stay as the producer wrote them: a
// LogAppendTime batch's records all read as its maxTimestamp (RecordBatchDecoder), so the deltas
// no longer matter to readers but keep the bytes a client sent.

extension RecordBatchHeader {
    /// Attribute bit 3: the batch's timestamps are the broker's append time.
    static let logAppendTimeFlag: Int16 = 0x08

    /// Gives the complete batch `batch` (whose header this is) the timestamp type `type`, and
    /// for ``TimestampType/logAppendTime`` the max timestamp `appendTime`, as Kafka's
    /// `DefaultRecordBatch.setMaxTimestamp` does; returns the header as written.
    ///
    /// For ``TimestampType/createTime`` the max timestamp becomes `recordsMaxTimestamp` (the
    /// largest base timestamp + delta of the records, as Kafka's LogValidator recomputes it) when
    /// given, and stays as it is otherwise (admin Produce's own batches, which are right). Nothing
    /// is written, and the CRC not recomputed, when the batch already says so.
    func setTimestampType(
        _ type: TimestampType, maxTimestamp appendTime: Int64, recordsMaxTimestamp: Int64? = nil,
        in batch: UnsafeMutableRawBufferPointer
    ) -> RecordBatchHeader {
        var header = self
        switch type {
        case .logAppendTime:
            header.attributes |= Self.logAppendTimeFlag
            header.maxTimestamp = appendTime
        case .createTime:
            header.attributes &= ~Self.logAppendTimeFlag
            // A client's batch carries the largest timestamp of its records, as Kafka's
            // LogValidator sets it whatever the client wrote there.
            if let recordsMaxTimestamp { header.maxTimestamp = recordsMaxTimestamp }
        }
        guard header.attributes != attributes || header.maxTimestamp != maxTimestamp else { return self }
        batch.writeBigEndian(header.attributes, at: Self.attributesPosition)
        batch.writeBigEndian(header.maxTimestamp, at: 35)
        header.crc = Self.checksum(of: UnsafeRawBufferPointer(batch))
        batch.writeBigEndian(header.crc, at: Self.crcPosition)
        return header
    }
}
