import Testing

@testable import BrokerCore

/// `message.timestamp.type`: with LogAppendTime every appended batch is stamped with the broker's
/// clock (attributes bit 3, maxTimestamp = the append time, CRC recomputed), as Kafka's
/// LogValidator does for magic 2; with CreateTime the batch is stored as a CreateTime batch.
struct LogAppendTimeTests {
    static let now: Int64 = 1_700_000_000_000

    private func config(_ type: TimestampType) -> LogConfig {
        var config = LogConfig()
        config.messageTimestampType = type
        return config
    }

    /// A client's batch of `count` records whose create times are 1000, 1010, 1020, …
    private func clientBatch(_ count: Int = 3, attributes: Int16 = 0) throws -> [UInt8] {
        var batch = try RecordBatchEncoder.encode(
            makeRecords(0..<count, timestamp: { 1000 + Int64($0) * 10 }), baseOffset: 0, defaultTimestamp: 0)
        if attributes != 0 {
            batch.withUnsafeMutableBytes { raw in
                raw.writeBigEndian(attributes, at: 21)
                raw.writeBigEndian(RecordBatchHeader.checksum(of: UnsafeRawBufferPointer(raw)), at: 17)
            }
        }
        return batch
    }

    /// A client batch appended under LogAppendTime: the type bit set, maxTimestamp = now, a valid
    /// CRC, baseTimestamp and the record deltas as sent; every record reads as the append time.
    @Test func appendBatchStampsTheAppendTime() throws {
        let directory = TemporaryDirectory()
        let log = try PartitionLog.openForTest(
            directory, config: config(.logAppendTime), clock: ManualClock(start: Self.now))
        let sent = try clientBatch()
        let info = try log.appendBatch(sent)
        #expect(info.timestampType == .logAppendTime)
        #expect(info.logAppendTime == Self.now && info.maxTimestamp == Self.now)
        #expect(info.kafkaLogAppendTimeMs == Self.now)

        let stored = try log.readBatches(from: 0, maxBytes: 1)
        let header = try RecordBatchHeader.validate(stored)  // the CRC is valid after the rewrite
        #expect(header.timestampType == .logAppendTime)
        #expect(header.attributes == 0x08)
        #expect(header.maxTimestamp == Self.now)
        #expect(header.baseTimestamp == 1000)
        // Everything after the header's timestamps is the client's bytes (records and their deltas).
        #expect(Array(stored[43...]) == Array(sent[43...]))
        #expect(Array(stored[23..<35]) == Array(sent[23..<35]))

        let records = try log.readAll()
        #expect(records.map(\.timestamp) == [Self.now, Self.now, Self.now])
        #expect(records.allSatisfy { $0.timestampType == .logAppendTime })
        #expect(try log.timestamp(ofOffset: 1) == Self.now)
        #expect(try log.offset(forTimestamp: Self.now) == 0)
        #expect(try log.offset(forTimestamp: Self.now + 1) == nil)
    }

    /// The rewritten batch passes recovery's checks after a crash and reads the same.
    @Test func stampedBatchSurvivesRecovery() throws {
        let directory = TemporaryDirectory()
        let clock = ManualClock(start: Self.now)
        let log = try PartitionLog.openForTest(directory, config: config(.logAppendTime), clock: clock)
        try log.appendBatch(try clientBatch(5))
        try log.flush()
        let reopened = try PartitionLog.openForTest(
            directory, config: config(.logAppendTime), clock: clock, cleanShutdown: false)
        #expect(reopened.logEndOffset == 5)
        let records = try reopened.readAll()
        #expect(records.map(\.timestamp) == Array(repeating: Self.now, count: 5))
        #expect(records.allSatisfy { $0.timestampType == .logAppendTime })
    }

    /// Admin produce (records, not a batch) under LogAppendTime: the producer's timestamps give way
    /// to the append time, in the stored batch and in what produce reports.
    @Test func produceUnderLogAppendTime() throws {
        let directory = TemporaryDirectory()
        let clock = ManualClock(start: Self.now)
        let broker = try Broker(config: BrokerConfig(dataDirectory: directory.path), clock: clock, logger: quietLogger)
        defer { try? broker.shutdown() }
        try broker.createTopic("stamped", partitions: 2, config: ["message.timestamp.type": "LogAppendTime"])
        let results = try broker.produce(
            topic: "stamped",
            records: [
                (0, ProducerRecord(value: [1], timestamp: 5)), (0, ProducerRecord(value: [2])),
                (1, ProducerRecord(value: [3], timestamp: 7)),
            ])
        #expect(results.map(\.timestamp) == [Self.now, Self.now, Self.now])
        let tp = TopicPartition(topic: "stamped", partition: 0)
        let fetched = try broker.fetch(tp, from: 0)
        #expect(fetched.records.map(\.timestamp) == [Self.now, Self.now])
        #expect(fetched.records.map(\.timestampType) == [.logAppendTime, .logAppendTime])
        let header = try RecordBatchHeader.validate(try broker.readBatches(tp, from: 0, maxBytes: 1).bytes)
        #expect(header.timestampType == .logAppendTime && header.maxTimestamp == Self.now)
        #expect(try broker.describeTopic("stamped").config["message.timestamp.type"] == "LogAppendTime")
    }

    /// Under CreateTime a client's CreateTime batch keeps its bytes, and one sent as LogAppendTime
    /// becomes CreateTime (Kafka rewrites the type to the topic's); Produce reports no append time.
    @Test func createTimeTopicStoresCreateTimeBatches() throws {
        let directory = TemporaryDirectory()
        let log = try PartitionLog.openForTest(directory, clock: ManualClock(start: Self.now))
        let plain = try clientBatch()
        let first = try log.appendBatch(plain)
        #expect(first.timestampType == .createTime && first.kafkaLogAppendTimeMs == -1)
        #expect(Array(try log.readBatches(from: 0, maxBytes: 1)[8...]) == Array(plain[8...]))

        let flagged = try clientBatch(attributes: 0x08)
        #expect(try RecordBatchHeader.validate(flagged).timestampType == .logAppendTime)
        let second = try log.appendBatch(flagged)
        #expect(second.timestampType == .createTime)
        let header = try RecordBatchHeader.validate(try log.readBatches(from: 3, maxBytes: 1))
        #expect(header.attributes == 0 && header.maxTimestamp == 1020)
        let records = try log.readAll()
        #expect(records.map(\.timestamp) == [1000, 1010, 1020, 1000, 1010, 1020])
        #expect(records.allSatisfy { $0.timestampType == .createTime })
    }

    /// A CreateTime batch whose maxTimestamp is wrong (sarama 1.22 never sets it) gets the largest
    /// of its records' timestamps, as Kafka's LogValidator gives it, so lookups by time find its
    /// records; compressed batches too.
    @Test(arguments: [RecordCompression.none, .gzip])
    func createTimeMaxTimestampIsTheRecords(compression: RecordCompression) throws {
        let directory = TemporaryDirectory()
        let log = try PartitionLog.openForTest(directory, clock: ManualClock(start: Self.now))
        var plain = try clientBatch(5)
        plain.withUnsafeMutableBytes { raw in
            raw.writeBigEndian(Int64(-1), at: 35)
            raw.writeBigEndian(RecordBatchHeader.checksum(of: UnsafeRawBufferPointer(raw)), at: 17)
        }
        let sent = compression == .none ? plain : try RecordBatchEncoder.compressed(plain, with: compression)
        #expect(try RecordBatchHeader.validate(sent).maxTimestamp == -1)
        try log.appendBatch(sent)
        let stored = try log.readBatches(from: 0, maxBytes: 1)
        let header = try RecordBatchHeader.validate(stored)
        #expect(header.maxTimestamp == 1040 && header.timestampType == .createTime)
        #expect(Array(stored[43...]) == Array(sent[43...]))
        #expect(try log.offset(forTimestamp: 1025) == 3)
        #expect(try log.offset(forTimestamp: 1040) == 4)
        #expect(try log.readAll().map(\.timestamp) == [1000, 1010, 1020, 1030, 1040])
    }

    /// A config change applies from the next append on: earlier batches keep their type.
    @Test func changingTheTypeAppliesToLaterBatches() throws {
        let directory = TemporaryDirectory()
        let clock = ManualClock(start: Self.now)
        let log = try PartitionLog.openForTest(directory, clock: clock)
        try log.append(makeRecords(0..<2, timestamp: { _ in 42 }))
        log.updateConfig(config(.logAppendTime))
        clock.advance(by: 5)
        try log.append(makeRecords(2..<3, timestamp: { _ in 42 }))
        let records = try log.readAll()
        #expect(records.map(\.timestamp) == [42, 42, Self.now + 5])
        #expect(records.map(\.timestampType) == [.createTime, .createTime, .logAppendTime])
    }

    /// A CreateTime batch whose header lacks its max timestamp (sarama 1.22 leaves -1 there) is
    /// stored with the largest timestamp of its records, as Kafka's LogValidator sets it, so
    /// lookups by time find its records.
    @Test func createTimeMaxTimestampComesFromTheRecords() throws {
        let directory = TemporaryDirectory()
        let log = try PartitionLog.openForTest(directory, clock: ManualClock(start: Self.now))
        var sent = try clientBatch(3)
        sent.withUnsafeMutableBytes { raw in
            raw.writeBigEndian(Int64(-1), at: 35)
            raw.writeBigEndian(RecordBatchHeader.checksum(of: UnsafeRawBufferPointer(raw)), at: 17)
        }
        try log.appendBatch(sent)
        let header = try RecordBatchHeader.validate(try log.readBatches(from: 0, maxBytes: 1))
        #expect(header.maxTimestamp == 1020)
        #expect(header.timestampType == .createTime)
        #expect(try log.offset(forTimestamp: 1015) == 2)
    }

    /// A compressed batch (stored as received) is stamped too: only its header changes, and its
    /// records, decompressed, read as the append time.
    @Test func compressedBatchIsStampedInPlace() throws {
        let directory = TemporaryDirectory()
        let log = try PartitionLog.openForTest(
            directory, config: config(.logAppendTime), clock: ManualClock(start: Self.now))
        let sent = try RecordBatchEncoder.compressed(try clientBatch(4), with: .zstd)
        try log.appendBatch(sent)
        let stored = try log.readBatches(from: 0, maxBytes: 1)
        let header = try RecordBatchHeader.validate(stored)
        #expect(header.compression == .zstd && header.timestampType == .logAppendTime)
        #expect(header.maxTimestamp == Self.now && header.baseTimestamp == 1000)
        #expect(Array(stored[43...]) == Array(sent[43...]))
        #expect(try log.timestamp(ofOffset: 2) == Self.now)
        #expect(try log.offset(forTimestamp: Self.now) == 0)
        let records = try log.readAll()
        #expect(records.map(\.timestamp) == Array(repeating: Self.now, count: 4))
        #expect(records.allSatisfy { $0.timestampType == .logAppendTime })
    }

    /// The config key takes Kafka's two spellings exactly; anything else is refused by name.
    @Test func configKey() throws {
        #expect(LogConfig().messageTimestampType == .createTime)
        #expect(LogConfig().entries["message.timestamp.type"] == "CreateTime")
        let stamped = try LogConfig(overrides: ["message.timestamp.type": "LogAppendTime"])
        #expect(stamped.messageTimestampType == .logAppendTime)
        #expect(stamped.overrides == ["message.timestamp.type": "LogAppendTime"])
        #expect(
            try LogConfig(overrides: ["message.timestamp.type": " CreateTime "]).messageTimestampType == .createTime)
        #expect(throws: BrokerError.self) { try LogConfig(overrides: ["message.timestamp.type": "logappendtime"]) }
        do {
            _ = try LogConfig(overrides: ["message.timestamp.type": "Now"])
            Issue.record("accepted 'Now'")
        } catch {
            #expect("\(error)".contains("CreateTime, LogAppendTime"))
        }
        #expect(TimestampType.allCases.map(\.configName) == ["CreateTime", "LogAppendTime"])
        #expect(TimestampType(configName: "LogAppendTime") == .logAppendTime)
        #expect(TimestampType(configName: "createtime") == nil)
    }
}
