import Foundation
import Synchronization
import Testing

@testable import BrokerCore

struct PartitionLogFailureTests {
    static func logFileSize(_ directory: TemporaryDirectory, base: Int64 = 0) -> Int? {
        let path = directory.path + "/events-0/" + LogSegment.fileName(baseOffset: base, suffix: ".log")
        return try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int
    }

    /// A full disk (ENOSPC after part of the batch was written) fails the append with a clear
    /// error; the partial bytes are cut, offsets do not move, the log stays readable, and once
    /// space is back appends continue at the right offset, also after a crash and recovery.
    @Test func diskFullFailsAppendAndLeavesLogConsistent() throws {
        let directory = TemporaryDirectory()
        let io = FailingStorageIO()
        let log = try PartitionLog.openForTest(directory, io: io)
        try log.append(makeRecords(0..<10))
        let sizeBefore = log.sizeInBytes
        io.plan.withLock {
            $0.failWritesToSuffix = ".log"
            $0.bytesWrittenBeforeFailing = 37
        }
        #expect(throws: BrokerError.storage("write events-0/00000000000000000000.log: No space left on device")) {
            try log.append(makeRecords(10..<20))
        }
        #expect(log.logEndOffset == 10)
        #expect(log.sizeInBytes == sizeBefore)
        #expect(Self.logFileSize(directory) == Int(sizeBefore))
        #expect(try log.readAll().count == 10)

        io.plan.withLock { $0.failWritesToSuffix = nil }
        #expect(try log.append(makeRecords(10..<20)).firstOffset == 10)
        #expect(try log.readAll().compactMap(sequenceNumber(of:)) == Array(0..<20))

        let recovered = try PartitionLog.openForTest(directory, cleanShutdown: false)
        #expect(recovered.logEndOffset == 20)
        #expect(try recovered.readAll().compactMap(sequenceNumber(of:)) == Array(0..<20))
    }

    /// When the partial write cannot even be cut back, the next append cuts it first, so no
    /// garbage ever sits between two batches.
    @Test func failedCutIsRetriedBeforeTheNextAppend() throws {
        let directory = TemporaryDirectory()
        let io = TruncateFailingStorageIO()
        let log = try PartitionLog.openForTest(directory, io: io)
        try log.append(makeRecords(0..<3))
        io.failing.withLock { $0 = true }
        #expect(throws: BrokerError.self) { try log.append(makeRecords(3..<6)) }
        io.failing.withLock { $0 = false }
        try log.append(makeRecords(3..<4))
        #expect(Self.logFileSize(directory) == Int(log.sizeInBytes))
        let recovered = try PartitionLog.openForTest(directory, cleanShutdown: false)
        #expect(try recovered.readAll().compactMap(sequenceNumber(of:)) == [0, 1, 2, 3])
    }

    /// With flush.messages = 1 a failing fsync fails the append and the batch never appears.
    @Test func failedFsyncFailsAppend() throws {
        let directory = TemporaryDirectory()
        let io = FailingStorageIO()
        var config = LogConfig()
        config.flushMessages = 1
        let log = try PartitionLog.openForTest(directory, config: config, io: io)
        try log.append(makeRecords(0..<2))
        io.plan.withLock { $0.failSyncsOfSuffix = ".log" }
        #expect(throws: BrokerError.self) { try log.append(makeRecords(2..<4)) }
        #expect(log.logEndOffset == 2)
        #expect(Self.logFileSize(directory) == Int(log.sizeInBytes))
        io.plan.withLock { $0.failSyncsOfSuffix = nil }
        #expect(try log.append(makeRecords(2..<4)).firstOffset == 2)
    }

    /// A roll that cannot write the old segment's index fails the append without losing anything;
    /// the roll succeeds once the disk recovers.
    @Test func failedRollFailsAppend() throws {
        let directory = TemporaryDirectory()
        let io = FailingStorageIO()
        let log = try PartitionLog.openForTest(directory, config: PartitionLogTests.smallSegments(bytes: 600), io: io)
        try log.append(makeRecords(0..<12))
        io.plan.withLock { $0.failWritesToSuffix = ".timeindex" }
        #expect(throws: BrokerError.self) { try log.append(makeRecords(12..<24)) }
        #expect(log.segmentCount == 1 && log.logEndOffset == 12)
        io.plan.withLock { $0.failWritesToSuffix = nil }
        try log.append(makeRecords(12..<24))
        #expect(log.segmentBaseOffsets == [0, 12])
        #expect(try log.readAll().compactMap(sequenceNumber(of:)) == Array(0..<24))
    }

    /// flush.messages = 1 fsyncs the log on every append; the default does not fsync appends.
    @Test(arguments: [(Int64(1), 5), (Int64.max, 0), (Int64(2), 2)])
    func flushMessagesPolicy(flushMessages: Int64, expectedSyncs: Int) throws {
        let directory = TemporaryDirectory()
        let io = FailingStorageIO()
        var config = LogConfig()
        config.flushMessages = flushMessages
        let log = try PartitionLog.openForTest(directory, config: config, io: io)
        let before = io.plan.withLock { $0.syncCount[".log", default: 0] }
        for n in 0..<5 { try log.append(makeRecords(n..<(n + 1))) }
        #expect(io.plan.withLock { $0.syncCount[".log", default: 0] } - before == expectedSyncs)
    }

    /// flush.ms: flushIfDue flushes only once the oldest unflushed append is that old, and only
    /// when something is unflushed.
    @Test func flushMsPolicy() throws {
        let directory = TemporaryDirectory()
        let io = FailingStorageIO()
        let clock = ManualClock()
        var config = LogConfig()
        config.flushMs = 1000
        let log = try PartitionLog.openForTest(directory, config: config, clock: clock, io: io)
        try log.append(makeRecords(0..<1))
        #expect(try log.flushIfDue() == false)
        clock.advance(by: 999)
        #expect(try log.flushIfDue() == false)
        let before = io.plan.withLock { $0.syncCount[".log", default: 0] }
        clock.advance(by: 1)
        #expect(try log.flushIfDue() == true)
        #expect(io.plan.withLock { $0.syncCount[".log", default: 0] } == before + 1)
        clock.advance(by: 5000)
        #expect(try log.flushIfDue() == false)  // nothing new to flush
        try log.append(makeRecords(1..<2))  // the append itself is due: it fsyncs
        #expect(io.plan.withLock { $0.syncCount[".log", default: 0] } == before + 2)
    }
}

/// Fails writes to `.log` files and the truncation that should undo them, while `failing`.
final class TruncateFailingStorageIO: ForwardingStorageIO {
    let base: any StorageIO = PosixStorageIO()
    let failing = Mutex(false)

    func write(_ file: StorageFile, _ bytes: UnsafeRawBufferPointer, at offset: Int64) throws(BrokerError) {
        if failing.withLock({ $0 }) && file.path.hasSuffix(".log") {
            try base.write(file, UnsafeRawBufferPointer(rebasing: bytes[..<(bytes.count / 2)]), at: offset)
            throw PosixStorageIO.error("write", file.path, EIO)
        }
        try base.write(file, bytes, at: offset)
    }
    func truncate(_ file: StorageFile, to size: Int64) throws(BrokerError) {
        if failing.withLock({ $0 }) { throw PosixStorageIO.error("truncate", file.path, EIO) }
        try base.truncate(file, to: size)
    }

}
