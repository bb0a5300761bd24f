import Foundation
import Synchronization
import Testing

@testable import BrokerCore

// Helpers of StorageDamageTests: a data directory written by a real broker, the values it was
// given (the oracle no read may contradict), the files' layout, and a disk with a quota.

// MARK: - Files

/// Every entry under `root`: relative path → contents; directories end in "/" and map to nothing.
/// Two calls compare equal when nothing under `root` was created, removed, renamed or changed.
func tree(_ root: String) -> [String: [UInt8]] {
    var result: [String: [UInt8]] = [:]
    let manager = FileManager.default
    guard let enumerator = manager.enumerator(atPath: root) else { return result }
    while let relative = enumerator.nextObject() as? String {
        var isDirectory: ObjCBool = false
        _ = manager.fileExists(atPath: root + "/" + relative, isDirectory: &isDirectory)
        if isDirectory.boolValue {
            result[relative + "/"] = []
        } else {
            result[relative] = contents(root + "/" + relative)
        }
    }
    return result
}

/// Records an issue naming every entry that differs between two ``tree(_:)`` results.
func expectSameTree(
    _ before: [String: [UInt8]], _ after: [String: [UInt8]], _ context: String,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    guard before != after else { return }
    let added = Set(after.keys).subtracting(before.keys).sorted()
    let removed = Set(before.keys).subtracting(after.keys).sorted()
    let changed = Set(before.keys).intersection(after.keys).filter { before[$0] != after[$0] }.sorted()
    Issue.record(
        "\(context): added \(added), removed \(removed), changed \(changed)", sourceLocation: sourceLocation)
}

/// The bytes of the file at `path` (empty when it cannot be read).
func contents(_ path: String) -> [UInt8] {
    (try? [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))) ?? []
}

/// Replaces the file at `path` with `bytes`.
func write(_ bytes: [UInt8], to path: String) throws {
    try Data(bytes).write(to: URL(fileURLWithPath: path))
}

/// XORs one byte of the file at `path` with `mask`.
func flip(_ path: String, at position: Int, mask: UInt8 = 0x01) throws {
    var bytes = contents(path)
    bytes[position] ^= mask
    try write(bytes, to: path)
}

/// Copies a directory with everything in it.
func copyDirectory(_ source: String, to destination: String) throws {
    try FileManager.default.copyItem(atPath: source, toPath: destination)
}

/// The names in `path` that match `pattern` (a regular expression over the whole name), sorted.
func entries(in path: String, matching pattern: String) -> [String] {
    fileNames(in: path).filter { $0.wholeMatch(of: try! Regex(pattern)) != nil }
}

// MARK: - Batches on disk

/// One record batch of a `.log` file, read with nothing but the format of RecordBatch.swift.
struct StoredBatch: Hashable {
    var position: Int
    var size: Int
    var baseOffset: Int64
    var lastOffset: Int64
    var end: Int { position + size }
    var offsets: ClosedRange<Int64> { baseOffset...lastOffset }
}

func bigEndian(_ bytes: [UInt8], _ position: Int, _ count: Int) -> Int64 {
    bytes[position..<position + count].reduce(Int64(0)) { $0 << 8 | Int64($1) }
}

/// The batches of an undamaged `.log` file, back to back.
func storedBatches(in bytes: [UInt8]) -> [StoredBatch] {
    var batches: [StoredBatch] = []
    var position = 0
    while position + RecordBatchHeader.size <= bytes.count {
        let size = Int(bigEndian(bytes, position + 8, 4)) + RecordBatchHeader.logOverhead
        let base = bigEndian(bytes, position, 8)
        let delta = Int32(truncatingIfNeeded: bigEndian(bytes, position + 23, 4))
        batches.append(StoredBatch(position: position, size: size, baseOffset: base, lastOffset: base + Int64(delta)))
        position += size
    }
    return batches
}

/// A zig-zag varint at `position`: its value and its length in bytes.
func varint(_ bytes: [UInt8], _ position: Int) -> (value: Int64, length: Int) {
    var raw: UInt64 = 0
    var shift: UInt64 = 0
    var length = 0
    while true {
        let byte = bytes[position + length]
        raw |= UInt64(byte & 0x7F) << shift
        length += 1
        if byte & 0x80 == 0 { break }
        shift += 7
    }
    return (Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1), length)
}

/// Where the fields of the first record of a batch are (see RecordBatch.swift).
struct FirstRecordLayout {
    var lengthPosition: Int
    var keyLengthPosition: Int
    var valuePosition: Int
    var valueLength: Int
}

func firstRecordLayout(_ bytes: [UInt8], _ batch: StoredBatch) -> FirstRecordLayout {
    let lengthPosition = batch.position + RecordBatchHeader.size
    var p = lengthPosition + varint(bytes, lengthPosition).length
    p += 1  // attributes
    p += varint(bytes, p).length  // timestamp delta
    p += varint(bytes, p).length  // offset delta
    let keyLengthPosition = p
    let key = varint(bytes, p)
    p += key.length + Int(max(key.value, 0))
    let value = varint(bytes, p)
    return FirstRecordLayout(
        lengthPosition: lengthPosition, keyLengthPosition: keyLengthPosition, valuePosition: p + value.length,
        valueLength: Int(value.value))
}

/// One segment `.log` file of a partition directory.
struct SegmentFile {
    var name: String
    var path: String
    var bytes: [UInt8]
    var batches: [StoredBatch]
}

/// The `.log` files of a partition directory, oldest first.
func segmentFiles(_ directory: String) -> [SegmentFile] {
    fileNames(in: directory).filter { LogSegment.baseOffset(fileName: $0, suffix: ".log") != nil }.map { name in
        let bytes = contents(directory + "/" + name)
        return SegmentFile(name: name, path: directory + "/" + name, bytes: bytes, batches: storedBatches(in: bytes))
    }
}

/// A way to damage one stored batch.
enum BatchDamage: String, CaseIterable, Sendable {
    /// A byte in the middle of the first record's value.
    case valueByte
    /// The first record's length varint.
    case recordLength
    /// The first record's key length varint.
    case keyLength
    /// The lowest byte of the batch's base offset (outside the CRC).
    case baseOffset
    /// A low byte of the batch length (outside the CRC): the batch claims 4 bytes more or less.
    case batchLength
    /// The highest byte of the batch length: the batch claims a gigabyte more.
    case hugeBatchLength
    /// The magic byte.
    case magic

    /// Where the byte to flip is and with what mask.
    func target(in bytes: [UInt8], _ batch: StoredBatch) -> (position: Int, mask: UInt8) {
        let record = firstRecordLayout(bytes, batch)
        switch self {
        case .valueByte: return (record.valuePosition + record.valueLength / 2, 0x20)
        case .recordLength: return (record.lengthPosition, 0x02)
        case .keyLength: return (record.keyLengthPosition, 0x02)
        case .baseOffset: return (batch.position + 7, 0x01)
        case .batchLength: return (batch.position + 11, 0x04)
        case .hugeBatchLength: return (batch.position + 8, 0x40)
        case .magic: return (batch.position + 16, 0x01)
        }
    }

    /// Flips the byte in the file.
    func apply(to segment: SegmentFile, batch: StoredBatch) throws {
        let (position, mask) = target(in: segment.bytes, batch)
        try flip(segment.path, at: position, mask: mask)
    }
}

// MARK: - A seeded data directory

/// The value of the record at `offset` of `tp`: names both, so no two records share a value.
func damageTestValue(_ tp: TopicPartition, _ offset: Int) -> [UInt8] {
    Array("\(tp)@\(offset):".utf8) + (0..<32).map { UInt8(97 + (offset * 7 + $0 * 3) % 26) }
}

/// A broker config for `path` without the 4 MiB disk reserve (tests that need it set it).
func damageTestConfig(_ path: String, rebuild: Bool = false, maxOpenSegmentFiles: Int? = nil) -> BrokerConfig {
    var config = BrokerConfig(dataDirectory: path)
    config.diskReserveBytes = 0
    config.rebuildMetadata = rebuild
    config.maxOpenSegmentFiles = maxOpenSegmentFiles
    return config
}

/// A data directory written by a real broker:
///
/// - `prices`: 3 partitions with a `retention.ms` override; 20 records in partition 0, 10 in
///   partition 1, partition 2 empty;
/// - `orders`: 1 partition in segments of at most 1,200 bytes (five or six batches of three
///   records each) with `index.interval.bytes` so large that no segment has an index entry; the
///   active segment holds at least four batches;
/// - group `g` has committed offset 7 on `prices-0` and 30 on `orders-0`.
///
/// `produced` holds every value by partition and offset: the oracle.
struct SeededDirectory {
    static let prices = "prices"
    static let orders = "orders"
    static let ordersConfig = ["segment.bytes": "1200", "index.interval.bytes": "1000000"]
    static let pricesConfig = ["retention.ms": "3600000"]
    static let pricesPartition = TopicPartition(topic: prices, partition: 0)
    static let ordersPartition = TopicPartition(topic: orders, partition: 0)

    let directory = TemporaryDirectory()
    var produced: [TopicPartition: [[UInt8]]] = [:]
    var topicIds: [String: UUID] = [:]
    /// The seeding broker's clock, one millisecond further for every batch: timestamps are the
    /// same on every run (and each batch holds its segment's newest one when it is appended).
    let clock = ManualClock(start: SystemClock().nowMilliseconds() - 60_000)

    var path: String { directory.path }
    func partitionPath(_ tp: TopicPartition) -> String { path + "/" + tp.description }
    var ordersPath: String { partitionPath(Self.ordersPartition) }

    /// Seeds the directory; shuts the broker down cleanly when `clean`, else drops it (a crash:
    /// no clean-shutdown marker, nothing flushed that was not flushed already).
    init(clean: Bool = true, ordersConfig: [String: String] = Self.ordersConfig) throws {
        let broker = try Broker(config: damageTestConfig(directory.path), clock: clock, logger: quietLogger)
        try broker.createTopic(Self.prices, partitions: 3, config: Self.pricesConfig)
        try broker.createTopic(Self.orders, partitions: 1, config: ordersConfig)
        for name in [Self.prices, Self.orders, ConsumerOffsetsStore.topicName] {
            let id = try #require(broker.topics.topicId(of: name))
            topicIds[name] = id
        }
        for _ in 0..<4 { try produce(broker, Self.pricesPartition, count: 5) }
        try produce(broker, TopicPartition(topic: Self.prices, partition: 1), count: 10)
        for _ in 0..<40 { try produce(broker, Self.ordersPartition, count: 3) }
        // Enough batches in the active segment to damage one in its middle.
        while segmentFiles(ordersPath).last!.batches.count < 4 { try produce(broker, Self.ordersPartition, count: 3) }
        try broker.groups.commitOffsets(
            groupId: "g", memberId: "", generation: -1,
            offsets: [
                Self.pricesPartition: OffsetAndMetadata(offset: 7, metadata: "m"),
                Self.ordersPartition: OffsetAndMetadata(offset: 30),
            ])
        if clean { try broker.shutdown() }
    }

    /// Appends `count` records to `tp` in one batch and checks their offsets.
    mutating func produce(_ broker: Broker, _ tp: TopicPartition, count: Int) throws {
        clock.advance(by: 1)
        let start = produced[tp, default: []].count
        let values = (start..<start + count).map { damageTestValue(tp, $0) }
        let results = try broker.produce(
            topic: tp.topic, partition: tp.partition,
            records: values.enumerated().map {
                ProducerRecord(key: Array("k\(start + $0.offset)".utf8), value: $0.element)
            })
        #expect(results.map(\.offset) == (start..<start + count).map(Int64.init))
        produced[tp, default: []] += values
    }

    /// Every partition of the seeded topics.
    var partitions: [TopicPartition] {
        (0..<3).map { TopicPartition(topic: Self.prices, partition: $0) } + [Self.ordersPartition]
    }

    /// Opens a broker on the directory.
    func open(rebuild: Bool = false) throws -> Broker {
        try Broker(config: damageTestConfig(path, rebuild: rebuild), logger: quietLogger)
    }
}

// MARK: - Reading against the oracle

/// The records from `offset` on in one read (up to damage or the end).
func readFrom(_ broker: Broker, _ tp: TopicPartition, _ offset: Int64) throws(BrokerError) -> [Record] {
    try broker.fetch(tp, from: offset, maxRecords: .max, maxBytes: .max).records
}

/// Records an issue unless `records` are exactly the produced records `expected` (offsets and values).
func expectProduced(
    _ records: [Record], _ produced: [[UInt8]], _ expected: ClosedRange<Int64>?, _ context: String,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let offsets = expected.map { Array($0) } ?? []
    guard records.map(\.offset) == offsets else {
        Issue.record(
            "\(context): read offsets \(records.first?.offset ?? -1)…\(records.last?.offset ?? -1) (\(records.count)), expected \(expected.map { "\($0)" } ?? "none")",
            sourceLocation: sourceLocation)
        return
    }
    for record in records where record.value != produced[Int(record.offset)] {
        Issue.record(
            "\(context): offset \(record.offset) holds \(String(decoding: record.value ?? [], as: UTF8.self)), produced \(String(decoding: produced[Int(record.offset)], as: UTF8.self))",
            sourceLocation: sourceLocation)
        return
    }
}

/// The damage a read reports, or nil when it does not fail with ``BrokerError/corruptBatch(_:)``.
func corruptBatch(_ body: () throws(BrokerError) -> Void) -> CorruptBatch? {
    do throws(BrokerError) {
        try body()
        return nil
    } catch {
        if case .corruptBatch(let damage) = error { return damage }
        return nil
    }
}

/// Checks that `tp` holds offsets `start` to the end of `produced`, then starts a read at every one
/// of them and checks each answer against what was produced: a read that starts in `damaged` fails
/// with `corruptBatch` naming exactly that range; every other read returns the produced records
/// from its start, contiguous, up to just before the damage (when it starts before it) or to the
/// end. No read returns any other value.
func expectEveryRead(
    _ broker: Broker, _ tp: TopicPartition, produced: [[UInt8]], damaged: ClosedRange<Int64>? = nil,
    from start: Int64 = 0, sourceLocation: SourceLocation = #_sourceLocation
) throws {
    let end = Int64(produced.count)
    #expect(try broker.offset(tp, for: .earliest) == start, "\(tp) log start offset", sourceLocation: sourceLocation)
    #expect(try broker.offset(tp, for: .latest) == end, "\(tp) log end offset", sourceLocation: sourceLocation)
    guard start < end else { return }
    for offset in start..<end {
        if let damaged, damaged.contains(offset) {
            guard let found = corruptBatch({ () throws(BrokerError) in _ = try readFrom(broker, tp, offset) }) else {
                Issue.record("a read of \(tp) from \(offset) did not fail", sourceLocation: sourceLocation)
                return
            }
            guard found.topicPartition == tp, found.damage.firstOffset == damaged.lowerBound,
                found.damage.lastOffset == damaged.upperBound
            else {
                Issue.record(
                    "a read of \(tp) from \(offset) reported \(found), expected offsets \(damaged)",
                    sourceLocation: sourceLocation)
                return
            }
            continue
        }
        let last = (damaged.flatMap { offset < $0.lowerBound ? $0.lowerBound : nil } ?? end) - 1
        let records = try readFrom(broker, tp, offset)
        expectProduced(records, produced, offset...last, "\(tp) from \(offset)", sourceLocation: sourceLocation)
        if records.map(\.offset) != Array(offset...last) { return }
        // The raw path (whole stored batches, as a Kafka fetch serves them) returns the same.
        let raw = try rawRecords(broker, tp, from: offset)
        expectProduced(raw, produced, offset...last, "\(tp) raw from \(offset)", sourceLocation: sourceLocation)
        if raw.map(\.offset) != Array(offset...last) { return }
    }
    if let damaged {
        let found = corruptBatch { () throws(BrokerError) in _ = try rawRecords(broker, tp, from: damaged.lowerBound) }
        #expect(
            found?.damage.firstOffset == damaged.lowerBound, "raw read in the damage", sourceLocation: sourceLocation)
    }
}

/// The records from `offset` on in the whole stored batches ``PartitionLog/readBatches(from:maxBytes:)``
/// returns, each batch checked again (length, CRC) as a client would.
func rawRecords(_ broker: Broker, _ tp: TopicPartition, from offset: Int64) throws(BrokerError) -> [Record] {
    let bytes = try broker.topics.partition(tp).readBatches(from: offset, maxBytes: .max)
    var records: [Record] = []
    for batch in storedBatches(in: bytes) {
        records += try RecordBatchDecoder.decode(Array(bytes[batch.position..<batch.end])).filter {
            $0.offset >= offset
        }
    }
    return records
}

/// The notices of `kind`.
func notices(_ broker: Broker, _ kind: StorageNotice.Kind) -> [StorageNotice] {
    broker.notices.all.filter { $0.kind == kind }
}

// MARK: - A disk with a quota

/// A disk of `quota` bytes in 4 KiB blocks holding the files under `root`, on top of
/// ``PosixStorageIO``: a write (or a truncate that extends) needing more blocks than are free
/// fails with ENOSPC and writes nothing; removing or cutting files frees their blocks. With
/// `copyOnWrite` (btrfs, ZFS) overwriting existing blocks needs free blocks too, for the moment of
/// the write.
final class QuotaStorageIO: ForwardingStorageIO {
    static let blockSize = 4096
    let base: any StorageIO = PosixStorageIO()
    let root: String
    let copyOnWrite: Bool
    private let quota = Mutex(Int.max)

    init(root: String, copyOnWrite: Bool = false) {
        self.root = root
        self.copyOnWrite = copyOnWrite
    }

    static func blocks(_ size: Int) -> Int { (size + blockSize - 1) / blockSize }

    /// Bytes of the blocks the files under `root` occupy.
    var used: Int {
        var total = 0
        let manager = FileManager.default
        guard let enumerator = manager.enumerator(atPath: root) else { return 0 }
        while let relative = enumerator.nextObject() as? String {
            var status = stat()
            guard lstat(root + "/" + relative, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { continue }
            total += Self.blocks(Int(status.st_size)) * Self.blockSize
        }
        return total
    }

    /// Makes the disk hold `room` bytes more than the files use now.
    func setRoom(_ room: Int) {
        let used = self.used
        quota.withLock { $0 = used + room }
    }

    /// Free bytes.
    var free: Int { quota.withLock { $0 } - used }

    func write(_ file: StorageFile, _ bytes: UnsafeRawBufferPointer, at offset: Int64) throws(BrokerError) {
        try quota.withLock { (quota) throws(BrokerError) in
            let current = Int(try base.size(of: file))
            let start = Int(offset)
            let end = start + bytes.count
            var needed = Self.blocks(max(current, end)) - Self.blocks(current)
            if copyOnWrite && start < current {
                needed += Self.blocks(min(end, current)) - start / Self.blockSize
            }
            if needed > 0 && quota != .max && used + needed * Self.blockSize > quota {
                throw PosixStorageIO.error("write", file.path, ENOSPC)
            }
            try base.write(file, bytes, at: offset)
        }
    }

    func truncate(_ file: StorageFile, to size: Int64) throws(BrokerError) {
        try quota.withLock { (quota) throws(BrokerError) in
            let current = Int(try base.size(of: file))
            let needed = Self.blocks(Int(size)) - Self.blocks(current)
            if needed > 0 && quota != .max && used + needed * Self.blockSize > quota {
                throw PosixStorageIO.error("truncate", file.path, ENOSPC)
            }
            try base.truncate(file, to: size)
        }
    }
}
