import Foundation
import Testing

@testable import BrokerCore

struct PartitionLogTests {
    /// A config with small segments and a dense index, so a few hundred records span many segments.
    static func smallSegments(bytes: Int = 2000, indexInterval: Int = 100) -> LogConfig {
        var config = LogConfig()
        config.segmentBytes = bytes
        config.indexIntervalBytes = indexInterval
        return config
    }

    /// Appends 300 records in batches of 1…7 records; returns the batch sizes used.
    @discardableResult
    static func fill(_ log: PartitionLog, records total: Int = 300, timestamp: ((Int) -> Int64?)? = nil) throws -> [Int]
    {
        var sizes: [Int] = []
        var next = Int(log.logEndOffset)
        let end = next + total
        while next < end {
            let size = min(1 + sizes.count % 7, end - next)
            try log.append(makeRecords(next..<(next + size), timestamp: timestamp))
            sizes.append(size)
            next += size
        }
        return sizes
    }

    /// Appends get consecutive offsets and read back in order with their keys and values.
    @Test func appendAndReadBack() throws {
        let directory = TemporaryDirectory()
        let clock = ManualClock()
        let log = try PartitionLog.openForTest(directory, clock: clock)
        #expect(log.logStartOffset == 0 && log.logEndOffset == 0)
        for batch in 0..<10 {
            let info = try log.append(makeRecords((batch * 10)..<(batch * 10 + 10)))
            #expect(info.firstOffset == Int64(batch * 10))
            #expect(info.lastOffset == Int64(batch * 10 + 9))
            #expect(info.recordCount == 10)
            #expect(info.logAppendTime == clock.nowMilliseconds())
        }
        let records = try log.readAll()
        #expect(records.map(\.offset) == (0..<100).map { Int64($0) })
        #expect(records.map { sequenceNumber(of: $0) } == Array(0..<100))
        #expect(records.allSatisfy { $0.timestamp == clock.nowMilliseconds() })
        #expect(records[3].key == Array("key-3".utf8))
    }

    /// The active segment rolls before a batch would push it past segment.bytes; every segment
    /// file is named after its first offset and stays within the limit.
    @Test func rollsOnSegmentBytes() throws {
        let directory = TemporaryDirectory()
        let log = try PartitionLog.openForTest(directory, config: Self.smallSegments(bytes: 1000))
        try Self.fill(log)
        let bases = log.segmentBaseOffsets
        #expect(bases.count > 5)
        let partition = directory.path + "/events-0"
        for base in bases {
            let name = LogSegment.fileName(baseOffset: base, suffix: ".log")
            let data = try #require(FileManager.default.contents(atPath: partition + "/" + name))
            #expect(data.count <= 1000)
            if !data.isEmpty { #expect(try RecordBatchHeader(parsing: [UInt8](data)).baseOffset == base) }
            #expect(
                FileManager.default.fileExists(
                    atPath: partition + "/" + LogSegment.fileName(baseOffset: base, suffix: ".index")))
            #expect(
                FileManager.default.fileExists(
                    atPath: partition + "/" + LogSegment.fileName(baseOffset: base, suffix: ".timeindex")))
        }
        #expect(try log.readAll().count == 300)
    }

    /// segment.ms rolls once the incoming records are newer than the first batch of the active
    /// segment by more than segment.ms; records without a timestamp carry the (manual) clock.
    @Test func rollsOnSegmentMs() throws {
        let directory = TemporaryDirectory()
        let clock = ManualClock()
        var config = LogConfig()
        config.segmentMs = 1000
        let log = try PartitionLog.openForTest(directory, config: config, clock: clock)
        try log.append(makeRecords(0..<3))
        clock.advance(by: 600)
        try log.append(makeRecords(3..<6))
        #expect(log.segmentCount == 1)
        clock.advance(by: 401)
        let info = try log.append(makeRecords(6..<9))
        #expect(log.segmentBaseOffsets == [0, 6])
        #expect(info.firstOffset == 6)
        // Old create times do not roll by themselves: the span of record time counts.
        try log.append(makeRecords(9..<10, timestamp: { _ in 5 }))
        #expect(log.segmentCount == 2)
    }

    /// A full offset index rolls the segment.
    @Test func rollsOnFullIndex() throws {
        let directory = TemporaryDirectory()
        var config = LogConfig()
        config.indexIntervalBytes = 0
        config.segmentIndexBytes = 24  // three offset entries, two time entries
        let log = try PartitionLog.openForTest(directory, config: config)
        for n in 0..<9 { try log.append(makeRecords(n..<(n + 1))) }
        // Every batch but a segment's first adds an offset entry; all timestamps are equal, so the
        // time index holds one entry. The offset index fills after four batches.
        #expect(log.segmentBaseOffsets == [0, 4, 8])
        // With 16 bytes the time index (12-byte entries) is full after one entry.
        let other = TemporaryDirectory()
        config.segmentIndexBytes = 16
        let small = try PartitionLog.openForTest(other, config: config)
        for n in 0..<5 { try small.append(makeRecords(n..<(n + 1))) }
        #expect(small.segmentBaseOffsets == [0, 2, 4])
    }

    /// Reading from every offset of a multi-segment log returns that record first, then the
    /// following ones across segment boundaries.
    @Test func readFromEveryOffset() throws {
        let directory = TemporaryDirectory()
        let log = try PartitionLog.openForTest(directory, config: Self.smallSegments())
        try Self.fill(log)
        #expect(log.segmentCount > 5)
        for offset in Int64(0)..<300 {
            let one = try log.read(from: offset, maxRecords: 1, maxBytes: Int.max)
            #expect(one.map(\.offset) == [offset])
            #expect(one.first.flatMap(sequenceNumber(of:)) == Int(offset))
            let several = try log.read(from: offset, maxRecords: 9, maxBytes: Int.max)
            #expect(several.map(\.offset) == Array(offset..<min(offset + 9, 300)))
        }
        #expect(try log.read(from: 7, maxRecords: .max, maxBytes: .max).count == 293)
    }

    /// Reading at the log end returns nothing; outside [logStartOffset, logEndOffset] is out of range.
    @Test func readBoundaries() throws {
        let directory = TemporaryDirectory()
        let log = try PartitionLog.openForTest(directory)
        #expect(try log.read(from: 0, maxRecords: 10, maxBytes: 100).isEmpty)
        try log.append(makeRecords(0..<5))
        #expect(try log.read(from: 5, maxRecords: 10, maxBytes: 100).isEmpty)
        #expect(try log.read(from: 2, maxRecords: 0, maxBytes: 100).isEmpty)
        let expected = BrokerError.offsetOutOfRange(
            topicPartition: TopicPartition(topic: "events", partition: 0), offset: 6, logStartOffset: 0, logEndOffset: 5
        )
        #expect(throws: expected) { try log.read(from: 6, maxRecords: 10, maxBytes: 100) }
        #expect(throws: BrokerError.self) { try log.read(from: -1, maxRecords: 10, maxBytes: 100) }
        #expect(throws: BrokerError.self) { try log.readBatches(from: 6, maxBytes: 100) }
    }

    /// maxBytes bounds the records' encoded size, except that the first record is always returned.
    @Test func maxBytesLimitsButReturnsAtLeastOneRecord() throws {
        let directory = TemporaryDirectory()
        let log = try PartitionLog.openForTest(directory)
        // Each record: length varint (2) + attributes, timestamp delta, offset delta, null key,
        // value length (2), 100 value bytes, header count = 109 bytes.
        try log.append((0..<20).map { _ in ProducerRecord(value: [UInt8](repeating: 1, count: 100)) })
        #expect(try log.read(from: 0, maxRecords: 20, maxBytes: 0).count == 1)
        #expect(try log.read(from: 0, maxRecords: 20, maxBytes: 108).count == 1)
        #expect(try log.read(from: 0, maxRecords: 20, maxBytes: 109 * 3).count == 3)
        #expect(try log.read(from: 0, maxRecords: 20, maxBytes: 109 * 4 - 1).count == 3)
        #expect(try log.read(from: 5, maxRecords: 20, maxBytes: 109 * 4).map(\.offset) == [5, 6, 7, 8])
        #expect(try log.read(from: 5, maxRecords: 2, maxBytes: .max).count == 2)
    }

    /// readBatches returns whole stored batches starting with the one holding the offset, at least
    /// one even past maxBytes, each a valid batch.
    @Test func readBatchesReturnsWholeStoredBatches() throws {
        let directory = TemporaryDirectory()
        let log = try PartitionLog.openForTest(directory, config: Self.smallSegments())
        let sizes = try Self.fill(log)
        let bytes = try log.readBatches(from: 4, maxBytes: 1)
        let header = try RecordBatchHeader.validate(bytes)  // exactly one batch
        #expect(header.baseOffset <= 4 && header.lastOffset >= 4)
        var all = try log.readBatches(from: 0, maxBytes: .max)
        var count = 0
        var expectedBase: Int64 = 0
        while !all.isEmpty {
            let batchHeader = try RecordBatchHeader(parsing: all)
            let batch = Array(all[..<batchHeader.totalSize])
            #expect(try RecordBatchHeader.validate(batch).baseOffset == expectedBase)
            expectedBase = batchHeader.lastOffset + 1
            all.removeFirst(batchHeader.totalSize)
            count += 1
        }
        #expect(count == sizes.count)
        #expect(try log.readBatches(from: 300, maxBytes: 100).isEmpty)
    }

    /// The offset for a timestamp is the first offset whose record timestamp is at least it, across
    /// segments and with timestamps that sometimes go backwards; later than everything is nil.
    @Test func offsetForTimestamp() throws {
        let directory = TemporaryDirectory()
        let log = try PartitionLog.openForTest(directory, config: Self.smallSegments())
        let stamp: (Int) -> Int64 = { 10_000 + Int64($0) * 10 - ($0 % 3 == 0 ? 25 : 0) }
        try Self.fill(log, timestamp: stamp)
        for target in stride(from: Int64(9_900), through: 13_100, by: 7) {
            let expected = (0..<300).first { stamp($0) >= target }.map { Int64($0) }
            #expect(try log.offset(forTimestamp: target) == expected, "timestamp \(target)")
        }
        #expect(try log.offset(for: .timestamp(20_000)) == 300)
        #expect(try log.timestamp(ofOffset: 42) == stamp(42))
        #expect(try log.timestamp(ofOffset: 300) == nil)
        // After moving the log start offset, earlier records no longer count.
        try log.deleteRecords(before: 150)
        #expect(try log.offset(forTimestamp: 0) == 150)
    }

    /// OffsetSpec resolves earliest, latest, clamped explicit offsets and timestamps.
    @Test func offsetSpecs() throws {
        let directory = TemporaryDirectory()
        let log = try PartitionLog.openForTest(directory)
        try log.append(makeRecords(0..<10, timestamp: { Int64(1000 + $0) }))
        try log.deleteRecords(before: 3)
        #expect(try log.offset(for: .earliest) == 3)
        #expect(try log.offset(for: .latest) == 10)
        #expect(try log.offset(for: .offset(1)) == 3)
        #expect(try log.offset(for: .offset(7)) == 7)
        #expect(try log.offset(for: .offset(99)) == 10)
        #expect(try log.offset(for: .timestamp(1005)) == 5)
        #expect(try log.offset(for: .timestamp(0)) == 3)
    }

    /// Stats report the watermarks, size, segment count, first and last record timestamps and the
    /// last append time, which after a restart comes from the newest segment file.
    @Test func stats() throws {
        let directory = TemporaryDirectory()
        let clock = ManualClock()
        let log = try PartitionLog.openForTest(directory, clock: clock)
        let empty = try log.stats()
        #expect(empty.firstRecordTimestamp == nil && empty.lastRecordTimestamp == nil && empty.lastAppendTime == nil)
        let start = clock.nowMilliseconds()
        try log.append(makeRecords(0..<4, timestamp: { start - 100 + Int64($0) }))
        clock.advance(by: 10)
        try log.append(makeRecords(4..<6))
        let stats = try log.stats()
        #expect(stats.logStartOffset == 0 && stats.logEndOffset == 6 && stats.recordCount == 6)
        #expect(stats.segmentCount == 1)
        #expect(stats.sizeInBytes == log.sizeInBytes && stats.sizeInBytes > 0)
        #expect(stats.firstRecordTimestamp == start - 100)
        #expect(stats.lastRecordTimestamp == clock.nowMilliseconds())
        #expect(stats.lastAppendTime == clock.nowMilliseconds())
        try log.close()
        let reopened = try PartitionLog.openForTest(directory, clock: clock)
        #expect(try reopened.stats().lastAppendTime != nil)
        #expect(try reopened.stats().sizeInBytes == stats.sizeInBytes)
    }

    /// A raw client batch is stored at the log end whatever its base offset said, with its CRC
    /// still valid; corrupt batches are refused and change nothing.
    @Test func appendRawBatch() throws {
        let directory = TemporaryDirectory()
        let log = try PartitionLog.openForTest(directory)
        try log.append(makeRecords(0..<3))
        let batch = try RecordBatchEncoder.encode(makeRecords(3..<8), baseOffset: 999, defaultTimestamp: 1234)
        let info = try log.appendBatch(batch)
        #expect(info.firstOffset == 3 && info.lastOffset == 7)
        let stored = try log.readBatches(from: 3, maxBytes: 1)
        #expect(try RecordBatchHeader.validate(stored).baseOffset == 3)
        #expect(Array(stored[8...]) == Array(batch[8...]))
        #expect(
            try log.read(from: 3, maxRecords: 10, maxBytes: .max).map { sequenceNumber(of: $0) } == [3, 4, 5, 6, 7])

        var corrupt = batch
        corrupt[70] ^= 1
        #expect(throws: BrokerError.self) { try log.appendBatch(corrupt) }
        var wrongCount = batch
        wrongCount[60] = 9  // recordsCount no longer matches lastOffsetDelta
        wrongCount.withUnsafeMutableBytes { raw in
            raw.writeBigEndian(RecordBatchHeader.checksum(of: UnsafeRawBufferPointer(raw)), at: 17)
        }
        #expect(throws: BrokerError.self) { try log.appendBatch(wrongCount) }
        #expect(throws: BrokerError.self) { try log.appendBatch(Array(batch.dropLast())) }
        #expect(log.logEndOffset == 8)
    }

    /// A compressed client batch is stored as received: raw reads return it, record reads
    /// decompress it (also from an offset inside it), and the offsets after it still work.
    @Test func compressedBatchStoredAsReceived() throws {
        let directory = TemporaryDirectory()
        let log = try PartitionLog.openForTest(directory)
        try log.append(makeRecords(0..<2, timestamp: { _ in 1000 }))
        let plain = try RecordBatchEncoder.encode(
            makeRecords(2..<6, timestamp: { 2000 + Int64($0) }), baseOffset: 2, defaultTimestamp: 2000)
        let batch = try RecordBatchEncoder.compressed(plain, with: .zstd)
        try log.appendBatch(batch)
        try log.append(makeRecords(6..<8))
        #expect(try log.readBatches(from: 3, maxBytes: 1) == batch)
        #expect(try log.read(from: 0, maxRecords: 10, maxBytes: .max).compactMap(sequenceNumber) == Array(0..<8))
        #expect(try log.read(from: 3, maxRecords: 2, maxBytes: .max).map(\.offset) == [3, 4])
        #expect(try log.read(from: 6, maxRecords: 10, maxBytes: .max).count == 2)
        // Timestamps of single offsets in a compressed batch are its largest (no decompression);
        // lookups by time look into the records.
        #expect(try log.timestamp(ofOffset: 4) == 2005)
        #expect(try log.offset(forTimestamp: 2003) == 3)
        #expect(try log.offset(forTimestamp: 1999) == 2)
    }

    /// A compressed batch whose records cannot be read (an older Skiff stored compressed batches
    /// without looking into them): reads stop before it, a read inside it fails naming the offsets,
    /// later offsets stay readable, and a lookup by time falls back to its first offset.
    @Test func unreadableCompressedBatch() throws {
        let directory = TemporaryDirectory()
        var log = try PartitionLog.openForTest(directory)
        try log.append(makeRecords(0..<2, timestamp: { _ in 1000 }))
        var fake = try RecordBatchEncoder.encode(makeRecords(2..<6), baseOffset: 2, defaultTimestamp: 2000)
        fake.withUnsafeMutableBytes { raw in
            raw.writeBigEndian(RecordCompression.zstd.rawValue, at: 21)
            raw.writeBigEndian(RecordBatchHeader.checksum(of: UnsafeRawBufferPointer(raw)), at: 17)
        }
        #expect {
            try log.appendBatch(fake)
        } throws: { error in
            guard case .corruptRecord(let message) = error as? BrokerError else { return false }
            return message.contains("do not decompress")
        }
        try log.close()
        let segment = directory.path + "/events-0/00000000000000000000.log"
        try write(contents(segment) + fake, to: segment)
        log = try PartitionLog.openForTest(directory, cleanShutdown: false)
        #expect(log.logEndOffset == 6)
        try log.append(makeRecords(6..<8))
        #expect(try log.read(from: 0, maxRecords: 10, maxBytes: .max).map(\.offset) == [0, 1])
        #expect {
            try log.read(from: 3, maxRecords: 10, maxBytes: .max)
        } throws: { error in
            guard case .corruptRecord(let message) = error as? BrokerError else { return false }
            return message.hasPrefix("the records of the batch at offsets 2–5 do not decompress: zstd data is corrupt")
        }
        #expect(try log.read(from: 6, maxRecords: 10, maxBytes: .max).count == 2)
        #expect(try log.offset(forTimestamp: 1999) == 2)
    }

    /// Batches larger than max.message.bytes are refused with recordTooLarge, and nothing is stored.
    @Test func recordTooLarge() throws {
        let directory = TemporaryDirectory()
        var config = LogConfig()
        config.maxMessageBytes = 200
        let log = try PartitionLog.openForTest(directory, config: config)
        let big = [ProducerRecord(value: [UInt8](repeating: 0, count: 300))]
        let size = RecordBatchEncoder.encodedSize(of: big, defaultTimestamp: ManualClock().nowMilliseconds())
        #expect(throws: BrokerError.recordTooLarge(size: size, limit: 200)) { try log.append(big) }
        let raw = try RecordBatchEncoder.encode(big, baseOffset: 0, defaultTimestamp: 0)
        #expect(throws: BrokerError.self) { try log.appendBatch(raw) }
        #expect(throws: BrokerError.self) { try log.append([]) }
        #expect(log.logEndOffset == 0)
        config.maxMessageBytes = 1000
        log.updateConfig(config)
        #expect(try log.append(big).firstOffset == 0)
    }

    /// Deleting the partition removes its directory; later calls report an unknown partition.
    @Test func deleteFilesRemovesDirectory() throws {
        let directory = TemporaryDirectory()
        let log = try PartitionLog.openForTest(directory)
        try log.append(makeRecords(0..<3))
        try log.deleteFiles()
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/events-0"))
        #expect(throws: BrokerError.unknownTopicOrPartition(topic: "events", partition: 0)) {
            try log.read(from: 0, maxRecords: 1, maxBytes: 100)
        }
        #expect(throws: BrokerError.self) { try log.append(makeRecords(0..<1)) }
    }
}
