import Synchronization
import Testing

@testable import BrokerCore

struct PartitionLogConcurrencyTests {
    /// Readers running while one task appends and another deletes old records always see
    /// consecutive offsets whose values match, never a torn or foreign record; reads that race
    /// with retention either succeed or report an offset out of range.
    @Test(.timeLimit(.minutes(1))) func concurrentReadsWhileAppendingAndDeleting() async throws {
        let directory = TemporaryDirectory()
        let log = try PartitionLog.openForTest(directory, config: PartitionLogTests.smallSegments(bytes: 4000))
        let batches = 300
        let done = Shared(false)
        let recordsSeen = Shared(0)
        let appended = Shared(0)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                defer { done.update { $0 = true } }
                // At least `batches` batches, and on until the readers have read a few times while
                // appends were going on (bounded, in case the readers never get a thread).
                var n = 0
                while n < batches || (recordsSeen.value < 500 && n < 20 * batches) {
                    try log.append(makeRecords((n * 10)..<(n * 10 + 10)))
                    if n % 50 == 49 { try log.deleteRecords(before: Int64(n * 10 - 200)) }
                    n += 1
                    await Task.yield()
                }
                appended.update { $0 = n }
            }
            for reader in 0..<4 {
                group.addTask {
                    var generator = SplitMix64(seed: UInt64(reader))
                    while !done.value {
                        await Task.yield()  // leave a thread to the appender (the pool may have only two)
                        let start = log.logStartOffset
                        let end = log.logEndOffset
                        guard end > start else { continue }
                        let offset = start + Int64(generator.next() % UInt64(end - start))
                        let records: [Record]
                        do {
                            records = try log.read(from: offset, maxRecords: 50, maxBytes: 64 * 1024)
                        } catch BrokerError.offsetOutOfRange {
                            continue  // retention moved the start past it meanwhile
                        }
                        #expect(!records.isEmpty)
                        for (index, record) in records.enumerated() {
                            #expect(record.offset == offset + Int64(index))
                            #expect(sequenceNumber(of: record) == Int(record.offset))
                        }
                        recordsSeen.update { $0 += records.count }
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(log.logEndOffset == Int64(appended.value * 10))
        #expect(recordsSeen.value > 0)
        #expect(try log.readAll().count == Int(log.logEndOffset - log.logStartOffset))
    }

    /// Appends from many tasks at once are serialized: every record gets exactly one offset and
    /// each batch's records stay contiguous.
    @Test(.timeLimit(.minutes(1))) func concurrentAppendsGetDistinctContiguousOffsets() async throws {
        let directory = TemporaryDirectory()
        let log = try PartitionLog.openForTest(directory, config: PartitionLogTests.smallSegments(bytes: 3000))
        let infos = try await withThrowingTaskGroup(of: [AppendInfo].self) { group in
            for writer in 0..<4 {
                group.addTask {
                    try (0..<50).map { n in
                        let first = writer * 10_000 + n * 5
                        return try log.append(makeRecords(first..<(first + 5)))
                    }
                }
            }
            return try await group.reduce(into: [AppendInfo]()) { $0 += $1 }
        }
        #expect(log.logEndOffset == 1000)
        let records = try log.readAll()
        #expect(records.map(\.offset) == (0..<1000).map { Int64($0) })
        for info in infos {
            let batch = records[Int(info.firstOffset)...Int(info.lastOffset)].compactMap(sequenceNumber(of:))
            #expect(batch == Array(batch[0]..<(batch[0] + 5)))
        }
    }
}
