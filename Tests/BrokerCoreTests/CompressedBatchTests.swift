import Foundation
import KafkaCompression
import Testing

@testable import BrokerCore

/// The records every fixture in Fixtures/CompressedBatches holds (capture.py's RECORDS), at offsets
/// from `base`.
func compressedFixtureRecords(base: Int64 = 0) -> [Record] {
    (0..<20).map { (i: Int) -> Record in
        let number = i < 10 ? "0\(i)" : "\(i)"
        var headers = [RecordHeader(key: "trace", value: Array("trace-\(number)".utf8))]
        if i % 5 == 0 { headers.append(RecordHeader(key: "empty", value: [])) }
        if i == 10 { headers.append(RecordHeader(key: "null", value: nil)) }
        let value = "{\"id\": \(i), \"text\": \"the quick brown fox jumps over the lazy dog\"}"
        return Record(
            offset: base + Int64(i), timestamp: 1_700_000_000_000 + 10 * Int64(i),
            key: i == 3 ? nil : Array("key-\(number)".utf8), value: i == 7 ? nil : Array(value.utf8), headers: headers)
    }
}

/// The bytes of `Fixtures/CompressedBatches/<name>.batch`.
func compressedFixture(_ name: String) throws -> [UInt8] {
    let folder = URL(filePath: #filePath).deletingLastPathComponent().appending(path: "Fixtures/CompressedBatches")
    return [UInt8](try Data(contentsOf: folder.appending(path: "\(name).batch")))
}

/// Record batches written by real clients (kafka-python's batch builder, and librdkafka's Produce
/// requests captured on the wire; capture.py says how) with each codec: they pass the append check,
/// decode to the expected records, and are stored byte for byte.
struct CompressedBatchFixtureTests {
    static let fixtures: [(String, RecordCompression)] = [
        ("kafka-python-gzip", .gzip), ("kafka-python-snappy", .snappy),  // snappy: xerial framing
        ("kafka-python-lz4", .lz4), ("kafka-python-zstd", .zstd),  // zstd: with content size
        ("librdkafka-gzip", .gzip), ("librdkafka-snappy", .snappy),  // snappy: one raw block
        ("librdkafka-lz4", .lz4), ("librdkafka-zstd", .zstd),  // zstd: no content size
    ]

    @Test(arguments: fixtures)
    func fixtureDecodes(name: String, compression: RecordCompression) throws {
        let batch = try compressedFixture(name)
        let header = try RecordBatchDecoder.validateClientBatch(batch)
        #expect(header.compression == compression)
        #expect(header.recordsCount == 20)
        #expect(try RecordBatchDecoder.decode(batch) == compressedFixtureRecords())
    }

    /// Appended after other records, the batch keeps every byte but its base offset and leader
    /// epoch, and reads (from any offset, with any limit) return its records decompressed.
    @Test(arguments: fixtures)
    func fixtureIsStoredAsSentAndRead(name: String, compression: RecordCompression) throws {
        let directory = TemporaryDirectory()
        let log = try PartitionLog.openForTest(directory)
        try log.append(makeRecords(0..<5))
        let batch = try compressedFixture(name)
        let info = try log.appendBatch(batch)
        #expect(info.firstOffset == 5 && info.lastOffset == 24)
        try log.append(makeRecords(25..<27))
        let stored = try log.readBatches(from: 10, maxBytes: 1)
        #expect(stored.count == batch.count)
        #expect(Array(stored[8..<12]) == Array(batch[8..<12]) && Array(stored[16...]) == Array(batch[16...]))
        #expect(try RecordBatchHeader.validate(stored).baseOffset == 5)
        let expected = compressedFixtureRecords(base: 5)
        #expect(
            try log.read(from: 5, maxRecords: 100, maxBytes: .max) == expected
                + (try log.read(from: 25, maxRecords: 2, maxBytes: .max)))
        #expect(try log.read(from: 12, maxRecords: 3, maxBytes: .max) == Array(expected[7..<10]))
        #expect(try log.read(from: 0, maxRecords: 100, maxBytes: .max).map(\.offset) == Array(0..<27))
        // Timestamp lookups look into the records: the first record at or after a time.
        #expect(try log.offset(forTimestamp: 1_700_000_000_055) == 11)
        try log.close()
        let reopened = try PartitionLog.openForTest(directory, cleanShutdown: false)
        #expect(try reopened.read(from: 5, maxRecords: 20, maxBytes: .max) == expected)
    }
}

/// What the append check refuses in a compressed batch, and with which error (Kafka's code).
struct CompressedBatchValidationTests {
    /// Five small records with one timestamp: each record's fields are one-byte varints.
    static func plainBatch(count: Int = 5) throws -> [UInt8] {
        let records = (0..<count).map { ProducerRecord(key: [0x6B], value: Array("v\($0)".utf8), timestamp: 1000) }
        return try RecordBatchEncoder.encode(records, baseOffset: 0, defaultTimestamp: 1000)
    }

    /// A batch with `header`'s fields and `records` (uncompressed record bytes) compressed with
    /// `compression`, its length and CRC made right.
    static func batch(
        header plain: [UInt8], records: [UInt8], compression: RecordCompression,
        edit: (UnsafeMutableRawBufferPointer) -> Void = { _ in }
    ) throws -> [UInt8] {
        var batch = Array(plain[..<RecordBatchHeader.size]) + (try compression.codec.compress(records))
        batch.withUnsafeMutableBytes { raw in
            raw.writeBigEndian(Int32(raw.count - 12), at: 8)
            raw.writeBigEndian(compression.rawValue, at: 21)
            edit(raw)
            raw.writeBigEndian(RecordBatchHeader.checksum(of: UnsafeRawBufferPointer(raw)), at: 17)
        }
        return batch
    }

    /// The BrokerError `body` throws, or `nil` when it returns (another error is a test failure).
    static func error(_ body: () throws -> Void) -> BrokerError? {
        do {
            try body()
            return nil
        } catch {
            guard let error = error as? BrokerError else {
                Issue.record("not a BrokerError: \(error)")
                return nil
            }
            return error
        }
    }

    @Test(arguments: [RecordCompression.gzip, .snappy, .lz4, .zstd])
    func compressedRecordsAreChecked(compression: RecordCompression) throws {
        let plain = try Self.plainBatch()
        let records = Array(plain[RecordBatchHeader.size...])
        // Valid: the same records compressed.
        let good = try Self.batch(header: plain, records: records, compression: compression)
        #expect(try RecordBatchDecoder.validateClientBatch(good).recordsCount == 5)
        #expect(try RecordBatchDecoder.decode(good) == (try RecordBatchDecoder.decode(plain)))
        #expect(try RecordBatchEncoder.compressed(plain, with: compression) != plain)

        // The header says 6 records (offset range 0-5), the block holds 5.
        let more = try Self.batch(header: plain, records: records, compression: compression) { raw in
            raw.writeBigEndian(Int32(5), at: 23)
            raw.writeBigEndian(Int32(6), at: 57)
        }
        let moreError = Self.error { _ = try RecordBatchDecoder.validateClientBatch(more) }
        guard case .invalidRecord = moreError else {
            Issue.record("\(compression): 6 records claimed, 5 stored: \(String(describing: moreError))")
            return
        }
        // Bytes after the last record inside the block.
        let trailing = try Self.batch(header: plain, records: records + [0, 0, 0], compression: compression)
        #expect(
            Self.error { _ = try RecordBatchDecoder.validateClientBatch(trailing) }
                == .invalidRecord("3 bytes follow the last record of the batch"))
        // Record 1's offset delta becomes 2: after its one-byte length, attributes and timestamp delta.
        var skipped = records
        let second = try records.withUnsafeBytes { raw in try RecordBatchDecoder.parseRecord(in: raw, at: 0).end }
        #expect(skipped[second + 3] == 0x02)  // zig-zag 1
        skipped[second + 3] = 0x04
        let gap = try Self.batch(header: plain, records: skipped, compression: compression)
        #expect(
            Self.error { _ = try RecordBatchDecoder.validateClientBatch(gap) }
                == .invalidRecord("record 1 of the batch has offset delta 2"))
        // A damaged block (valid CRC: the client computed it over the damage).
        let damaged = try Self.batch(header: plain, records: records, compression: compression) { raw in
            for position in (RecordBatchHeader.size + 2)..<min(raw.count, RecordBatchHeader.size + 12) {
                raw[position] ^= 0xA5
            }
        }
        let damageError = Self.error { _ = try RecordBatchDecoder.validateClientBatch(damaged) }
        if case .corruptRecord(let message) = damageError {
            #expect(message.hasPrefix("the records of the batch at offsets 0–4 do not decompress: \(compression)"))
        } else if case .invalidRecord = damageError {
            // Snappy has no checksum: flipped literals may still decompress, to records that do not parse.
            #expect(compression == .snappy)
        } else {
            Issue.record("\(compression): \(String(describing: damageError))")
        }
        #expect(damageError?.kafkaErrorCode == 2 || damageError?.kafkaErrorCode == 87)
    }

    /// The header's own count must match its offset range, and a codec must be one of the four.
    @Test func headerChecks() throws {
        let plain = try Self.plainBatch()
        let records = Array(plain[RecordBatchHeader.size...])
        let wrongRange = try Self.batch(header: plain, records: records, compression: .zstd) { raw in
            raw.writeBigEndian(Int32(3), at: 23)
        }
        let error = Self.error { _ = try RecordBatchDecoder.validateClientBatch(wrongRange) }
        #expect(error == .invalidRecord("the batch has 5 records but a last offset delta of 3"))
        #expect(error?.kafkaErrorCode == 87)
        #expect(error?.description == "invalid record batch: the batch has 5 records but a last offset delta of 3")
        var unknown = plain
        unknown.withUnsafeMutableBytes { raw in
            raw.writeBigEndian(Int16(5), at: 21)
            raw.writeBigEndian(RecordBatchHeader.checksum(of: UnsafeRawBufferPointer(raw)), at: 17)
        }
        #expect(
            Self.error { _ = try RecordBatchDecoder.validateClientBatch(unknown) }
                == .corruptRecord("unknown compression codec 5"))
    }

    /// A few kilobytes of zstd that inflate past 64 MiB: refused on append with MESSAGE_TOO_LARGE,
    /// refused on read too, and nothing is stored.
    @Test func decompressionBombIsRefused() throws {
        let plain = try Self.plainBatch(count: 1)
        let zeros = [UInt8](repeating: 0, count: RecordBatchDecoder.maxUncompressedRecordsSize + 1)
        let bomb = try Self.batch(header: plain, records: zeros, compression: .zstd)
        #expect(bomb.count < 10_000)
        let expected = BrokerError.uncompressedBatchTooLarge(codec: "zstd", limit: 64 << 20)
        #expect(Self.error { _ = try RecordBatchDecoder.validateClientBatch(bomb) } == expected)
        #expect(Self.error { _ = try RecordBatchDecoder.decode(bomb) } == expected)
        #expect(expected.kafkaErrorCode == 10)
        #expect(
            expected.description
                == "the batch's zstd records decompress to more than 64 MiB, the most the broker reads from one batch")
        let directory = TemporaryDirectory()
        let log = try PartitionLog.openForTest(directory)
        #expect(Self.error { try log.appendBatch(bomb) } == expected)
        #expect(log.logEndOffset == 0)
    }
}
