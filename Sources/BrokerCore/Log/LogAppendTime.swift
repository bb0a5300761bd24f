// The topic's timestamp type applied to an appended batch, as Kafka's LogValidator does for
// magic 2 (`assignOffsetsNonCompressed`, and the in-place path of
// `validateMessagesAndAssignOffsetsCompressed`): the batch's attributes get the topic's
// timestamp type (bit 3) and its maxTimestamp becomes the append time (LogAppendTime) or the
// largest timestamp of its records (CreateTime: a producer that wrote a wrong one, as sarama 1.22
// does, gets it corrected); the CRC is recomputed when either changed. baseTimestamp and every
// record's timestamp delta stay as the producer wrote them: a LogAppendTime batch's records all
// read as its maxTimestamp (RecordBatchDecoder), so the deltas no longer matter to readers but
// keep the bytes a client sent.

extension RecordBatchHeader {
    /// Attribute bit 3: the batch's timestamps are the broker's append time.
    static let logAppendTimeFlag: Int16 = 0x08

    /// Gives the complete batch `batch` (whose header this is) the timestamp type `type` and the
    /// max timestamp `maxTimestamp` (the append time for ``TimestampType/logAppendTime``, the
    /// largest record timestamp for ``TimestampType/createTime``), as Kafka's
    /// `DefaultRecordBatch.setMaxTimestamp` does; returns the header as written. Nothing is
    /// written, and the CRC not recomputed, when the batch already says so.
    func setTimestampType(
        _ type: TimestampType, maxTimestamp: Int64, in batch: UnsafeMutableRawBufferPointer
    ) -> RecordBatchHeader {
        var header = self
        switch type {
        case .logAppendTime: header.attributes |= Self.logAppendTimeFlag
        case .createTime: header.attributes &= ~Self.logAppendTimeFlag
        }
        header.maxTimestamp = maxTimestamp
        guard header.attributes != attributes || header.maxTimestamp != self.maxTimestamp else { return self }
        batch.writeBigEndian(header.attributes, at: Self.attributesPosition)
        batch.writeBigEndian(header.maxTimestamp, at: 35)
        header.crc = Self.checksum(of: UnsafeRawBufferPointer(batch))
        batch.writeBigEndian(header.crc, at: Self.crcPosition)
        return header
    }
}
