import Foundation
import Testing

@testable import BrokerCore

struct PartitionLogRecoveryTests {
    static let config = PartitionLogTests.smallSegments(bytes: 1500, indexInterval: 150)

    static func partitionPath(_ directory: TemporaryDirectory) -> String { directory.path + "/events-0" }

    static func activeLogPath(_ directory: TemporaryDirectory, _ log: PartitionLog) -> String {
        partitionPath(directory) + "/" + LogSegment.fileName(baseOffset: log.segmentBaseOffsets.last!, suffix: ".log")
    }

    /// Close then open keeps offsets, records, segments and timestamp lookups; so does a crash
    /// (no close) followed by recovery.
    @Test(arguments: [true, false])
    func restartKeepsEverything(closeCleanly: Bool) throws {
        let directory = TemporaryDirectory()
        let log = try PartitionLog.openForTest(directory, config: Self.config)
        try PartitionLogTests.fill(log, timestamp: { 5000 + Int64($0) })
        let records = try log.readAll()
        let bases = log.segmentBaseOffsets
        let lookups = try (0..<20).map { try log.offset(forTimestamp: 5000 + Int64($0) * 17) }
        if closeCleanly { try log.close() }
        let reopened = try PartitionLog.openForTest(directory, config: Self.config, cleanShutdown: closeCleanly)
        #expect(reopened.logEndOffset == 300)
        #expect(reopened.segmentBaseOffsets == bases)
        #expect(try reopened.readAll() == records)
        #expect(try (0..<20).map { try reopened.offset(forTimestamp: 5000 + Int64($0) * 17) } == lookups)
        #expect(try reopened.append(makeRecords(300..<301)).firstOffset == 300)
    }

    /// Cutting the last batch at every byte position (a torn write) leaves a readable partition
    /// with every complete batch, and the next append continues right after them.
    @Test func recoveryAfterTruncatingLastBatchAtEveryByte() throws {
        let directory = TemporaryDirectory()
        let log = try PartitionLog.openForTest(directory, config: Self.config)
        try PartitionLogTests.fill(log, records: 40)
        let lastStart = log.logEndOffset
        try log.append(makeRecords(40..<43))
        let path = Self.activeLogPath(directory, log)
        try log.close()
        let original = try #require(FileManager.default.contents(atPath: path))
        let lastBatchSize = try RecordBatchEncoder.encode(makeRecords(40..<43), baseOffset: 0, defaultTimestamp: 0)
            .count
        let lastBatchPosition = original.count - lastBatchSize
        let expected = try PartitionLog.openForTest(directory, config: Self.config).read(
            from: 0, maxRecords: .max, maxBytes: .max
        ).prefix(Int(lastStart))

        for cut in lastBatchPosition..<original.count {
            try original.prefix(cut).write(to: URL(fileURLWithPath: path))
            let recovered = try PartitionLog.openForTest(directory, config: Self.config, cleanShutdown: false)
            #expect(recovered.logEndOffset == lastStart, "cut at \(cut)")
            #expect(try recovered.readAll() == Array(expected), "cut at \(cut)")
            #expect(try recovered.append(makeRecords(99..<100)).firstOffset == lastStart, "cut at \(cut)")
            try recovered.close()
        }
    }

    /// A flipped byte inside the last batch fails its CRC: recovery drops that batch only.
    @Test(arguments: [25, 40, 70])
    func recoveryDropsBatchWithBadCRC(byteInBatch: Int) throws {
        let directory = TemporaryDirectory()
        let log = try PartitionLog.openForTest(directory, config: Self.config)
        try log.append(makeRecords(0..<5))
        try log.append(makeRecords(5..<10))
        let path = Self.activeLogPath(directory, log)
        // No close: what a crash leaves behind.
        var data = try #require(FileManager.default.contents(atPath: path))
        let lastBatchSize = try RecordBatchEncoder.encode(makeRecords(5..<10), baseOffset: 0, defaultTimestamp: 0).count
        data[data.count - lastBatchSize + byteInBatch] ^= 0x40
        try data.write(to: URL(fileURLWithPath: path))
        let recovered = try PartitionLog.openForTest(directory, config: Self.config, cleanShutdown: false)
        #expect(recovered.logEndOffset == 5)
        #expect(try recovered.readAll().map(\.offset) == [0, 1, 2, 3, 4])
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int == data.count - lastBatchSize)
    }

    /// A last batch whose base offset (outside the CRC) was damaged — to a gap, a step back or a
    /// value near Int64.max — is cut on open, clean or not, without any arithmetic overflow.
    @Test(arguments: [Int64(7), 2, Int64.max - 5, -1])
    func recoveryRejectsDamagedBaseOffset(damaged: Int64) throws {
        for clean in [true, false] {
            let directory = TemporaryDirectory()
            let log = try PartitionLog.openForTest(directory, config: Self.config)
            try log.append(makeRecords(0..<5))
            try log.append(makeRecords(5..<10))
            let path = Self.activeLogPath(directory, log)
            try log.close()
            var data = try #require(FileManager.default.contents(atPath: path))
            let lastBatchSize = try RecordBatchEncoder.encode(makeRecords(5..<10), baseOffset: 0, defaultTimestamp: 0)
                .count
            let lastBatch = data.count - lastBatchSize
            withUnsafeBytes(of: damaged.bigEndian) { data.replaceSubrange(lastBatch..<(lastBatch + 8), with: $0) }
            try data.write(to: URL(fileURLWithPath: path))
            let reopened = try PartitionLog.openForTest(directory, config: Self.config, cleanShutdown: clean)
            #expect(reopened.logEndOffset == 5, "clean: \(clean)")
            #expect(try reopened.readAll().count == 5)
        }
    }

    /// Rolling fsyncs the old segment and moves the recovery point to the new one, so a crash
    /// re-checks only the active segment; without a recovery point checkpoint everything is
    /// re-checked. A corrupt batch in an old segment is kept in place and reported: its offsets
    /// answer CORRUPT_MESSAGE, every other batch (of its segment and of the later ones) stays.
    @Test func recoveryKeepsEverythingAroundAnInvalidBatch() throws {
        let directory = TemporaryDirectory()
        let log = try PartitionLog.openForTest(directory, config: Self.config)
        try log.append(makeRecords(0..<5))
        try log.append(makeRecords(5..<8))
        try PartitionLogTests.fill(log, records: 200)
        let before = try log.readAll()
        let bases = log.segmentBaseOffsets
        #expect(bases.count > 3)
        let checkpointPath = Self.partitionPath(directory) + "/" + PartitionLog.recoveryPointFileName
        let checkpoint = try String(contentsOfFile: checkpointPath, encoding: .utf8)
        #expect(checkpoint == "0\n1\nevents 0 \(bases.last!)\n")
        // No close: what a crash leaves behind. The checkpoint is lost too.
        try FileManager.default.removeItem(atPath: checkpointPath)
        // Corrupt the second batch (offsets 5-7) of the first segment.
        let path = Self.partitionPath(directory) + "/" + LogSegment.fileName(baseOffset: 0, suffix: ".log")
        var data = try #require(FileManager.default.contents(atPath: path))
        let firstBatch = try RecordBatchHeader(parsing: [UInt8](data))
        data[firstBatch.totalSize + 30] ^= 0xFF
        try data.write(to: URL(fileURLWithPath: path))
        let recovered = try PartitionLog.openForTest(directory, config: Self.config, cleanShutdown: false)
        #expect(recovered.logEndOffset == before.count)
        #expect(recovered.segmentBaseOffsets == bases)
        #expect(try recovered.read(from: 0, maxRecords: 100, maxBytes: 1 << 20).map(\.offset) == Array(0..<5))
        let error = #expect(throws: BrokerError.self) {
            try recovered.read(from: 5, maxRecords: 100, maxBytes: 1 << 20)
        }
        guard case .corruptBatch(let corrupt)? = error else {
            Issue.record("expected corruptBatch, got \(String(describing: error))")
            return
        }
        #expect(corrupt.damage.firstOffset == 5 && corrupt.damage.lastOffset == 7)
        #expect(corrupt.damage.position == firstBatch.totalSize)
        #expect(corrupt.description.contains("offsets 5–7 cannot be read"))
        #expect(try recovered.read(from: 8, maxRecords: 1000, maxBytes: 1 << 20) == Array(before[8...]))
        #expect(try recovered.append(makeRecords(0..<1)).firstOffset == Int64(before.count))
    }

    /// Recovery after a crash does not fsync the active segment (like Kafka): the recovery point
    /// checkpoint stays where it was, so a second crash checks those batches again and loses
    /// nothing; older recovered segments are fsynced, and the next flush moves the checkpoint.
    @Test func recoveryLeavesTheActiveSegmentForTheNextFlush() throws {
        let directory = TemporaryDirectory()
        let checkpointPath = Self.partitionPath(directory) + "/" + PartitionLog.recoveryPointFileName
        let log = try PartitionLog.openForTest(directory, config: Self.config)
        try PartitionLogTests.fill(log, records: 200)
        let bases = log.segmentBaseOffsets
        let records = try log.readAll()
        // A crash: no close; and the checkpoint is lost, so recovery checks every segment.
        try FileManager.default.removeItem(atPath: checkpointPath)

        let io = FailingStorageIO()
        let recovered = try PartitionLog.openForTest(directory, config: Self.config, io: io, cleanShutdown: false)
        #expect(try recovered.readAll() == records)
        // Every segment but the active one was fsynced, each once; the active one was not.
        let activeLog = LogSegment.fileName(baseOffset: bases.last!, suffix: ".log")
        #expect(io.plan.withLock { $0.syncCount[".log", default: 0] } == bases.count - 1)
        #expect(io.syncedPaths.withLock { $0.contains { $0.hasSuffix(activeLog) } } == false)
        // The checkpoint names the active segment's base: everything below it is on disk.
        #expect(try String(contentsOfFile: checkpointPath, encoding: .utf8) == "0\n1\nevents 0 \(bases.last!)\n")

        // A second crash before any flush: the active segment is checked again, nothing is lost.
        let secondIO = FailingStorageIO()
        let again = try PartitionLog.openForTest(directory, config: Self.config, io: secondIO, cleanShutdown: false)
        #expect(try again.readAll() == records)
        #expect(secondIO.syncedPaths.withLock { $0.isEmpty })
        // The next flush writes the active segment to disk.
        try again.flush()
        #expect(secondIO.syncedPaths.withLock { $0.contains { $0.hasSuffix(activeLog) } })
        #expect(try again.append(makeRecords(200..<201)).firstOffset == 200)
    }

    /// A missing or corrupt index of a closed segment is rebuilt on open, identical to the original.
    @Test(arguments: ["missing", "odd size", "not increasing", "past the log"])
    func corruptIndexRebuilt(damage: String) throws {
        let directory = TemporaryDirectory()
        let log = try PartitionLog.openForTest(directory, config: Self.config)
        try PartitionLogTests.fill(log)
        try log.close()
        let base = LogSegment.fileName(baseOffset: 0, suffix: "")
        let indexPath = Self.partitionPath(directory) + "/" + base + ".index"
        let timeIndexPath = Self.partitionPath(directory) + "/" + base + ".timeindex"
        let original = try #require(FileManager.default.contents(atPath: indexPath))
        let originalTime = try #require(FileManager.default.contents(atPath: timeIndexPath))
        #expect(original.count >= 16)
        switch damage {
        case "missing":
            try FileManager.default.removeItem(atPath: indexPath)
            try FileManager.default.removeItem(atPath: timeIndexPath)
        case "odd size":
            try (original + [1, 2, 3]).write(to: URL(fileURLWithPath: indexPath))
        case "not increasing":
            try (original.suffix(8) + original.prefix(8)).write(to: URL(fileURLWithPath: indexPath))
        default:
            var bytes = original
            bytes[bytes.count - 4] = 0x7F
            try bytes.write(to: URL(fileURLWithPath: indexPath))
        }
        let reopened = try PartitionLog.openForTest(directory, config: Self.config)
        for offset in Int64(0)..<300 {
            #expect(try reopened.read(from: offset, maxRecords: 1, maxBytes: 1).first?.offset == offset)
        }
        #expect(FileManager.default.contents(atPath: indexPath) == original)
        #expect(FileManager.default.contents(atPath: timeIndexPath) == originalTime)
    }

    /// Leftovers of interrupted operations (temporary files, indexes without a log) are removed.
    @Test func leftoversRemovedOnOpen() throws {
        let directory = TemporaryDirectory()
        let log = try PartitionLog.openForTest(directory)
        try log.append(makeRecords(0..<3))
        try log.close()
        let partition = Self.partitionPath(directory)
        for name in ["00000000000000000077.index", "00000000000000000077.timeindex", "log-start-offset-checkpoint.tmp"]
        {
            _ = FileManager.default.createFile(atPath: partition + "/" + name, contents: Data([1, 2, 3]))
        }
        let reopened = try PartitionLog.openForTest(directory)
        #expect(
            fileNames(in: partition) == [
                "00000000000000000000.index", "00000000000000000000.log", "00000000000000000000.timeindex",
                "recovery-point-offset-checkpoint",
            ])
        #expect(reopened.logEndOffset == 3)
        let checkpoint = try String(contentsOfFile: partition + "/recovery-point-offset-checkpoint", encoding: .utf8)
        #expect(checkpoint == "0\n1\nevents 0 3\n")
    }
}
