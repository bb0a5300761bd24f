import Foundation
import Testing

@testable import BrokerCore

struct PartitionLogRetentionTests {
    static func config(retentionMs: Int64 = -1, retentionBytes: Int64 = -1) -> LogConfig {
        var config = PartitionLogTests.smallSegments(bytes: 1000)
        config.retentionMs = retentionMs
        config.retentionBytes = retentionBytes
        return config
    }

    static func logFiles(_ directory: TemporaryDirectory) -> [String] {
        fileNames(in: directory.path + "/events-0").filter { $0.hasSuffix(".log") }
    }

    /// Segments whose newest record is older than retention.ms are deleted oldest first and the
    /// log start offset moves to the first remaining segment; reads below it are out of range.
    @Test func retentionByTime() throws {
        let directory = TemporaryDirectory()
        let clock = ManualClock()
        let log = try PartitionLog.openForTest(directory, config: Self.config(retentionMs: 60_000), clock: clock)
        for n in 0..<40 {
            try log.append(makeRecords((n * 5)..<(n * 5 + 5)))
            clock.advance(by: 1000)  // each batch one second newer
        }
        let bases = log.segmentBaseOffsets
        #expect(bases.count > 5)
        #expect(try log.applyRetention() == 0)  // nothing is a minute old
        #expect(log.segmentBaseOffsets == bases)
        // Records of batch n are (40 − n) seconds old: with 10 s retention, batches 0…29 expire.
        log.updateConfig(Self.config(retentionMs: 10_000))
        let deleted = try log.applyRetention()
        let remaining = log.segmentBaseOffsets
        #expect(deleted > 0)
        #expect(remaining.first == log.logStartOffset)
        #expect(Self.logFiles(directory).count == remaining.count)
        // Every remaining non-active segment holds a record at most 10 s old, so none is expired.
        for base in remaining.dropLast() {
            let newest = try #require(try log.timestamp(ofOffset: remaining.first { $0 > base }! - 1))
            #expect(clock.nowMilliseconds() - newest <= 10_000)
        }
        #expect(throws: BrokerError.self) { try log.read(from: 0, maxRecords: 1, maxBytes: 100) }
        let first = try log.read(from: log.logStartOffset, maxRecords: 1, maxBytes: 100)
        #expect(first.first.flatMap(sequenceNumber(of:)) == Int(log.logStartOffset))
    }

    /// When even the active segment expires, an empty segment is rolled so everything can go; the
    /// next append continues at the old log end offset.
    @Test func retentionRollsAnExpiredActiveSegment() throws {
        let directory = TemporaryDirectory()
        let clock = ManualClock()
        let log = try PartitionLog.openForTest(directory, config: Self.config(retentionMs: 10_000), clock: clock)
        try log.append(makeRecords(0..<120))
        try log.append(makeRecords(120..<130))
        clock.advance(by: 10_001)
        #expect(try log.applyRetention() >= 1)
        #expect(log.segmentBaseOffsets == [130])
        #expect(log.logStartOffset == 130 && log.logEndOffset == 130)
        #expect(try log.applyRetention() == 0)  // an empty active segment stays
        #expect(try log.append(makeRecords(130..<131)).firstOffset == 130)
        #expect(Self.logFiles(directory) == ["00000000000000000130.log"])
    }

    /// Size retention deletes the oldest segments while the rest would still hold at least
    /// retention.bytes.
    @Test func retentionBySize() throws {
        let directory = TemporaryDirectory()
        let log = try PartitionLog.openForTest(directory, config: Self.config(retentionBytes: 3000))
        try PartitionLogTests.fill(log)
        let before = log.sizeInBytes
        #expect(before > 6000)
        let deleted = try log.applyRetention()
        #expect(deleted > 0)
        let after = log.sizeInBytes
        #expect(after >= 3000)
        let firstSegmentSize = try #require(
            FileManager.default.attributesOfItem(
                atPath: directory.path + "/events-0/" + Self.logFiles(directory)[0])[.size] as? Int)
        #expect(after - Int64(firstSegmentSize) < 3000)
        #expect(log.logStartOffset == log.segmentBaseOffsets.first)
        #expect(try log.readAll().count == Int(300 - log.logStartOffset))
    }

    /// deleteRecords moves the log start offset, deletes segments entirely below it, survives a
    /// restart, ignores offsets below the current start and refuses offsets past the end.
    @Test func deleteRecords() throws {
        let directory = TemporaryDirectory()
        let log = try PartitionLog.openForTest(directory, config: Self.config())
        try PartitionLogTests.fill(log)
        let bases = log.segmentBaseOffsets
        let target = bases[3] + 2
        #expect(try log.deleteRecords(before: target) == target)
        #expect(log.logStartOffset == target)
        #expect(log.segmentBaseOffsets == Array(bases[3...]))
        #expect(try log.read(from: target, maxRecords: 1, maxBytes: 100).first?.offset == target)
        #expect(throws: BrokerError.self) { try log.read(from: target - 1, maxRecords: 1, maxBytes: 100) }
        #expect(try log.deleteRecords(before: 5) == target)
        #expect(throws: BrokerError.self) { try log.deleteRecords(before: 301) }
        try log.close()

        for clean in [true, false] {
            let reopened = try PartitionLog.openForTest(directory, config: Self.config(), cleanShutdown: clean)
            #expect(reopened.logStartOffset == target)
            #expect(try reopened.readAll().first?.offset == target)
            try reopened.close()
        }
    }

    /// Deleting up to the high watermark (-1) empties the partition; appends continue at the old end.
    @Test func deleteAllRecords() throws {
        let directory = TemporaryDirectory()
        let log = try PartitionLog.openForTest(directory, config: Self.config())
        try PartitionLogTests.fill(log, records: 50)
        #expect(try log.deleteRecords(before: -1) == 50)
        #expect(log.segmentBaseOffsets == [50])
        #expect(try log.readAll().isEmpty)
        #expect(try log.append(makeRecords(50..<52)).firstOffset == 50)
        #expect(try log.readAll().map(\.offset) == [50, 51])
    }
}
