import Foundation
import Logging
import Synchronization

@testable import BrokerCore

/// A small deterministic random generator, so generated test data is the same on every run.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A fresh directory under the system's temporary directory, removed when the test is done.
final class TemporaryDirectory {
    let path: String

    init() {
        let base = FileManager.default.temporaryDirectory.path
        path = base + "/skiff-log-test-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// A logger that drops everything, so recovery warnings do not flood the test output.
let quietLogger = Logger(label: "skiff.test") { _ in SwiftLogNoOpLogHandler() }

/// `count` records whose values are `"value-<n>"` for n from `start`, with optional timestamps.
func makeRecords(_ range: Range<Int>, timestamp: ((Int) -> Int64?)? = nil, padding: Int = 0) -> [ProducerRecord] {
    range.map { n in
        ProducerRecord(
            key: Array("key-\(n)".utf8), value: Array("value-\(n)".utf8) + [UInt8](repeating: 0x2E, count: padding),
            timestamp: timestamp?(n))
    }
}

/// The `n` that ``makeRecords(_:timestamp:padding:)`` put in a value.
func sequenceNumber(of record: Record) -> Int? {
    guard let value = record.value else { return nil }
    let text = String(decoding: value.prefix { $0 != 0x2E }, as: UTF8.self)
    guard text.hasPrefix("value-") else { return nil }
    return Int(text.dropFirst(6))
}

extension PartitionLog {
    /// Opens the partition `events-0` in `directory` with test defaults.
    static func openForTest(
        _ directory: TemporaryDirectory, config: LogConfig = LogConfig(), clock: any BrokerClock = ManualClock(),
        io: any StorageIO = PosixStorageIO(), cleanShutdown: Bool = true
    ) throws -> PartitionLog {
        try PartitionLog.open(
            dataDirectory: directory.path, topicPartition: TopicPartition(topic: "events", partition: 0),
            config: config, clock: clock, io: io, cleanShutdown: cleanShutdown, logger: quietLogger)
    }

    /// Every record from the log start offset to the end.
    func readAll() throws -> [Record] {
        try read(from: logStartOffset, maxRecords: Int.max, maxBytes: Int.max)
    }
}

/// Names of the files in a directory, sorted.
func fileNames(in path: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
}

/// A ``StorageIO`` that behaves like ``PosixStorageIO`` until told to fail: writes or syncs to
/// files whose name ends with a suffix fail with an `errno`, after writing some bytes of the
/// write first (a torn write). Counts syncs per file suffix.
final class FailingStorageIO: ForwardingStorageIO {
    struct Plan {
        var failWritesToSuffix: String?
        var failSyncsOfSuffix: String?
        var errorNumber: Int32 = ENOSPC
        var bytesWrittenBeforeFailing = 0
        var syncCount: [String: Int] = [:]
    }

    let base: any StorageIO = PosixStorageIO()
    let plan = Mutex(Plan())
    /// Every path synced, in order.
    let syncedPaths = Mutex<[String]>([])

    func write(_ file: StorageFile, _ bytes: UnsafeRawBufferPointer, at offset: Int64) throws(BrokerError) {
        let current = plan.withLock { $0 }
        if let suffix = current.failWritesToSuffix, file.path.hasSuffix(suffix) {
            let partial = min(current.bytesWrittenBeforeFailing, bytes.count)
            if partial > 0 { try base.write(file, UnsafeRawBufferPointer(rebasing: bytes[..<partial]), at: offset) }
            throw PosixStorageIO.error("write", file.path, current.errorNumber)
        }
        try base.write(file, bytes, at: offset)
    }

    func sync(_ file: StorageFile) throws(BrokerError) {
        let current = plan.withLock { plan in
            let suffix = "." + (file.path.split(separator: ".").last.map(String.init) ?? "")
            plan.syncCount[suffix, default: 0] += 1
            return plan
        }
        syncedPaths.withLock { $0.append(file.path) }
        if let suffix = current.failSyncsOfSuffix, file.path.hasSuffix(suffix) {
            throw PosixStorageIO.error("fsync", file.path, current.errorNumber)
        }
        try base.sync(file)
    }

}

/// A value shared between tasks, behind a lock.
final class Shared<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    init(_ value: Value) { mutex = Mutex(value) }

    var value: Value { mutex.withLock { $0 } }

    func update(_ body: (inout Value) -> Void) { mutex.withLock { body(&$0) } }
}
