import AdminClient
import AdminProtocol
import BrokerCore
import Foundation
import Synchronization
import Testing

/// The real POSIX storage, except that every write fails with ENOSPC while `diskFull` is set.
final class DiskFullStorageIO: StorageIO {
    let base = PosixStorageIO()
    let diskFull = Mutex(false)

    func write(_ file: StorageFile, _ bytes: UnsafeRawBufferPointer, at offset: Int64) throws(BrokerError) {
        if diskFull.withLock({ $0 }) { throw PosixStorageIO.error("write", file.path, ENOSPC) }
        try base.write(file, bytes, at: offset)
    }

    func openFile(_ path: String, mode: StorageOpenMode) throws(BrokerError) -> StorageFile {
        try base.openFile(path, mode: mode)
    }
    func read(
        _ file: StorageFile, into buffer: UnsafeMutableRawBufferPointer, at offset: Int64
    ) throws(BrokerError) -> Int {
        try base.read(file, into: buffer, at: offset)
    }
    func sync(_ file: StorageFile) throws(BrokerError) { try base.sync(file) }
    func truncate(_ file: StorageFile, to size: Int64) throws(BrokerError) { try base.truncate(file, to: size) }
    func size(of file: StorageFile) throws(BrokerError) -> Int64 { try base.size(of: file) }
    func modificationTime(of file: StorageFile) throws(BrokerError) -> Int64 { try base.modificationTime(of: file) }
    func fileExists(_ path: String) -> Bool { base.fileExists(path) }
    func rename(_ source: String, to destination: String) throws(BrokerError) {
        try base.rename(source, to: destination)
    }
    func removeFile(_ path: String) throws(BrokerError) { try base.removeFile(path) }
    func createDirectory(_ path: String) throws(BrokerError) { try base.createDirectory(path) }
    func contentsOfDirectory(_ path: String) throws(BrokerError) -> [String] { try base.contentsOfDirectory(path) }
    func removeDirectoryTree(_ path: String) throws(BrokerError) { try base.removeDirectoryTree(path) }
    func syncDirectory(_ path: String) throws(BrokerError) { try base.syncDirectory(path) }
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
