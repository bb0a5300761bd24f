import AdminClient
import AdminProtocol
import BrokerCore
import BrokerTestSupport
import Foundation
import Synchronization
import Testing

/// The real POSIX storage, except that every write fails with ENOSPC while `diskFull` is set.
final class DiskFullStorageIO: ForwardingStorageIO {
    let base: any StorageIO = PosixStorageIO()
    let diskFull = Mutex(false)

    func write(_ file: StorageFile, _ bytes: UnsafeRawBufferPointer, at offset: Int64) throws(BrokerError) {
        if diskFull.withLock({ $0 }) { throw PosixStorageIO.error("write", file.path, ENOSPC) }
        try base.write(file, bytes, at: offset)
    }

}

@Suite(.timeLimit(.minutes(2)))
struct DiskFailureTests {
    /// ENOSPC fails that produce with KAFKA_STORAGE_ERROR; reads go on, and produce resumes with no gap.
    @Test func fullDiskFailsProduceAndBrokerKeepsServing() async throws {
        let io = DiskFullStorageIO()
        let broker = try await TestBroker(io: io)
        defer { broker.removeData() }
        let client = broker.client(name: "producer")
        let other = broker.client(name: "other")
        try await client.createTopic("disk", partitions: 1)
        let record = { (i: Int) in ProduceRecord(partition: 0, key: nil, value: Array("v\(i)".utf8)) }
        let first = try await client.produce(topic: "disk", records: (0..<3).map(record))
        #expect(first.map(\.offset) == [0, 1, 2])

        io.diskFull.withLock { $0 = true }
        do {
            _ = try await client.produce(topic: "disk", records: (3..<5).map(record))
            Issue.record("a produce on a full disk succeeded")
        } catch {
            #expect(error.brokerErrorCode == .kafkaStorageError, "\(error)")
            #expect("\(error)".contains("No space left on device"), "\(error)")
        }
        let fetched = try await client.fetch(topic: "disk", partition: 0, from: .earliest)
        #expect(fetched.records.map(\.offset) == [0, 1, 2])
        #expect(fetched.highWatermark == 3)
        #expect(try await other.listTopics().map(\.name) == ["disk"])
        #expect(try await other.fetch(topic: "disk", partition: 0, from: .earliest).records.count == 3)

        io.diskFull.withLock { $0 = false }
        let after = try await client.produce(topic: "disk", records: (3..<5).map(record))
        #expect(after.map(\.offset) == [3, 4])
        let all = try await other.fetch(topic: "disk", partition: 0, from: .earliest)
        #expect(all.records.map(\.offset) == [0, 1, 2, 3, 4])
        #expect(all.records.map { String(decoding: $0.value ?? [], as: UTF8.self) } == (0..<5).map { "v\($0)" })

        await client.close()
        await other.close()
        try await broker.stop()
    }
}
