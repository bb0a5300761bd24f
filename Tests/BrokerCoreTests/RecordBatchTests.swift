import Testing

@testable import BrokerCore

struct RecordBatchTests {
    static let sample: [ProducerRecord] = [
        ProducerRecord(key: Array("key".utf8), value: Array("value".utf8), timestamp: 1_000),
        ProducerRecord(key: nil, value: nil),
        ProducerRecord(key: [], value: []),
        ProducerRecord(
            key: Array("ключ".utf8), value: Array("値 🚀".utf8),
            headers: [
                RecordHeader(key: "trace-id", value: [1, 2, 3]),
                RecordHeader(key: "nullable", value: nil),
                RecordHeader(key: "émoji 🔑", value: Array("ü".utf8)),
            ], timestamp: 999),  // earlier than the first record: a negative timestamp delta
        ProducerRecord(value: [UInt8](repeating: 0xAB, count: 300), timestamp: 5_000),
    ]

    /// Encoding then decoding gives back every key, value, header and timestamp, with consecutive
    /// offsets from the base offset and the default timestamp for records that had none.
    @Test func encodeDecodeRoundTrip() throws {
        let batch = try RecordBatchEncoder.encode(Self.sample, baseOffset: 42, defaultTimestamp: 777)
        #expect(batch.count == RecordBatchEncoder.encodedSize(of: Self.sample, defaultTimestamp: 777))
        let records = try RecordBatchDecoder.decode(batch)
        #expect(records.count == Self.sample.count)
        for (index, (record, original)) in zip(records, Self.sample).enumerated() {
            #expect(record.offset == 42 + Int64(index))
            #expect(record.key == original.key)
            #expect(record.value == original.value)
            #expect(record.headers == original.headers)
            #expect(record.timestamp == (original.timestamp ?? 777))
        }
        let header = try RecordBatchHeader.validate(batch)
        #expect(header.baseOffset == 42)
        #expect(header.lastOffset == 46)
        #expect(header.recordsCount == 5)
        #expect(header.baseTimestamp == 1_000)
        #expect(header.maxTimestamp == 5_000)
        #expect(header.compression == RecordCompression.none)
        #expect(header.timestampType == .createTime)
    }

    /// A two-record batch matches the magic-2 layout byte for byte, CRC included (the expected CRC
    /// was computed independently, outside Swift).
    @Test func exactBytesOfASmallBatch() throws {
        let records = [
            ProducerRecord(
                key: Array("k".utf8), value: Array("v".utf8), headers: [RecordHeader(key: "h", value: Array("x".utf8))],
                timestamp: 1000),
            ProducerRecord(key: nil, value: nil, timestamp: 1001),
        ]
        let batch = try RecordBatchEncoder.encode(records, baseOffset: 5, defaultTimestamp: 0)
        var expected: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 5]  // baseOffset 5
        expected += [0, 0, 0, 69]  // batchLength: 81 − 12
        expected += [0, 0, 0, 0]  // partitionLeaderEpoch
        expected += [2]  // magic
        expected += [0xfa, 0x89, 0x17, 0x60]  // CRC-32C of bytes 21…80
        expected += [0, 0]  // attributes: no compression, create time
        expected += [0, 0, 0, 1]  // lastOffsetDelta
        expected += [0, 0, 0, 0, 0, 0, 0x03, 0xe8]  // baseTimestamp 1000
        expected += [0, 0, 0, 0, 0, 0, 0x03, 0xe9]  // maxTimestamp 1001
        expected += [UInt8](repeating: 0xff, count: 8)  // producerId -1
        expected += [0xff, 0xff]  // producerEpoch -1
        expected += [0xff, 0xff, 0xff, 0xff]  // baseSequence -1
        expected += [0, 0, 0, 2]  // recordsCount
        // record 0: length 12, attributes, tsDelta 0, offsetDelta 0, key "k", value "v", 1 header h=x
        expected += [0x18, 0x00, 0x00, 0x00, 0x02, 0x6b, 0x02, 0x76, 0x02, 0x02, 0x68, 0x02, 0x78]
        // record 1: length 6, attributes, tsDelta 1, offsetDelta 1, null key, null value, no headers
        expected += [0x0c, 0x00, 0x02, 0x02, 0x01, 0x01, 0x00]
        #expect(batch.count == 81)
        #expect(batch == expected)
        let header = try RecordBatchHeader(parsing: batch)
        #expect(header.crc == 0xFA89_1760)
        #expect(header.batchLength == 69)
        #expect(header.totalSize == 81)
        #expect(header.producerId == -1 && header.producerEpoch == -1 && header.baseSequence == -1)
    }

    /// A flipped bit anywhere in the CRC-covered bytes is detected; baseOffset is outside the CRC.
    @Test func crcMismatchDetected() throws {
        let batch = try RecordBatchEncoder.encode(Self.sample, baseOffset: 0, defaultTimestamp: 1)
        for position in stride(from: RecordBatchHeader.attributesPosition, to: batch.count, by: 7) {
            var corrupt = batch
            corrupt[position] ^= 0x10
            #expect {
                try RecordBatchHeader.validate(corrupt)
            } throws: { error in
                guard case .corruptRecord(let message) = error as? BrokerError else { return false }
                return message.contains("CRC")
            }
        }
        var moved = batch
        moved[7] = 99  // baseOffset: not covered, so still valid
        #expect(try RecordBatchHeader.validate(moved).baseOffset == 99)
    }

    /// Short input, a wrong magic, an impossible batch length or a length that disagrees with the
    /// byte count are rejected with corruptRecord.
    @Test func invalidHeadersRejected() throws {
        let batch = try RecordBatchEncoder.encode(Self.sample, baseOffset: 0, defaultTimestamp: 1)
        #expect(throws: BrokerError.self) { try RecordBatchHeader(parsing: Array(batch[..<60])) }
        var magic = batch
        magic[16] = 1
        #expect(throws: BrokerError.self) { try RecordBatchHeader(parsing: magic) }
        var length = batch
        length[8...11] = [0, 0, 0, 48]
        #expect(throws: BrokerError.self) { try RecordBatchHeader(parsing: length) }
        #expect(throws: BrokerError.self) { try RecordBatchHeader.validate(batch + [0]) }
    }

    /// Every truncation of a valid batch is rejected, never read past its end.
    @Test func everyTruncationRejected() throws {
        let batch = try RecordBatchEncoder.encode(Self.sample, baseOffset: 0, defaultTimestamp: 1)
        for length in 0..<batch.count {
            #expect(throws: BrokerError.self) { try RecordBatchDecoder.decode(Array(batch[..<length])) }
        }
    }

    /// A compressed batch's records decode to what the uncompressed batch's do; only the
    /// attributes, length and CRC of its header differ.
    @Test(arguments: [RecordCompression.gzip, .snappy, .lz4, .zstd])
    func compressedBatchesDecode(compression: RecordCompression) throws {
        let plain = try RecordBatchEncoder.encode(Self.sample, baseOffset: 0, defaultTimestamp: 1)
        let batch = try RecordBatchEncoder.compressed(plain, with: compression)
        let header = try RecordBatchHeader.validate(batch)
        #expect(header.compression == compression)
        #expect(header.recordsCount == 5 && header.maxTimestamp == 5_000)
        #expect(try RecordBatchDecoder.decode(batch) == (try RecordBatchDecoder.decode(plain)))
        #expect(throws: BrokerError.self) { try RecordBatchEncoder.compressed(batch, with: .gzip) }
        #expect(
            BrokerError.unsupportedCompression(compression.description).description
                == "compression \(compression) is not allowed in this request")
    }

    /// A batch whose attributes say compressed but whose records are not: the error names the
    /// offsets and the codec's complaint.
    @Test(arguments: [RecordCompression.gzip, .snappy, .lz4, .zstd])
    func fakeCompressedBatchesAreCorrupt(compression: RecordCompression) throws {
        var batch = try RecordBatchEncoder.encode(Self.sample, baseOffset: 0, defaultTimestamp: 1)
        batch.withUnsafeMutableBytes { raw in
            raw.writeBigEndian(compression.rawValue, at: 21)
            raw.writeBigEndian(RecordBatchHeader.checksum(of: UnsafeRawBufferPointer(raw)), at: 17)
        }
        #expect(try RecordBatchHeader.validate(batch).compression == compression)
        #expect {
            try RecordBatchDecoder.decode(batch)
        } throws: { error in
            guard case .corruptRecord(let message) = error as? BrokerError else { return false }
            return message.hasPrefix("the records of the batch at offsets 0–4 do not decompress: \(compression)")
        }
    }

    /// Records of a log-append-time batch all carry the batch's maxTimestamp.
    @Test func logAppendTimeBatchesUseMaxTimestamp() throws {
        var batch = try RecordBatchEncoder.encode(Self.sample, baseOffset: 0, defaultTimestamp: 1)
        batch.withUnsafeMutableBytes { raw in
            raw.writeBigEndian(Int16(0x08), at: 21)
            raw.writeBigEndian(RecordBatchHeader.checksum(of: UnsafeRawBufferPointer(raw)), at: 17)
        }
        let records = try RecordBatchDecoder.decode(batch)
        #expect(records.map(\.timestamp) == Array(repeating: 5_000, count: 5))
    }

    /// Random corruption of the records section (with a recomputed CRC, so the record parser itself
    /// is exercised) either decodes or throws corruptRecord — never crashes.
    @Test func randomCorruptionNeverCrashes() throws {
        let batch = try RecordBatchEncoder.encode(Self.sample, baseOffset: 0, defaultTimestamp: 1)
        var generator = SplitMix64(seed: 2024)
        var rejected = 0
        for _ in 0..<3000 {
            var corrupt = batch
            for _ in 0..<(1 + generator.next() % 4) {
                let position =
                    RecordBatchHeader.size + Int(generator.next() % UInt64(batch.count - RecordBatchHeader.size))
                corrupt[position] = UInt8(truncatingIfNeeded: generator.next())
            }
            if generator.next() % 4 == 0 {  // sometimes the record count too
                corrupt[57..<61] = [
                    0, 0, UInt8(truncatingIfNeeded: generator.next()), UInt8(truncatingIfNeeded: generator.next()),
                ]
            }
            corrupt.withUnsafeMutableBytes { raw in
                raw.writeBigEndian(RecordBatchHeader.checksum(of: UnsafeRawBufferPointer(raw)), at: 17)
            }
            do {
                _ = try RecordBatchDecoder.decode(corrupt)
            } catch {
                guard case .corruptRecord = error else {
                    Issue.record("unexpected error \(error)")
                    continue
                }
                rejected += 1
            }
        }
        #expect(rejected > 1000)
    }

    /// An empty record list cannot be encoded: Kafka has no empty batches.
    @Test func emptyBatchRejected() {
        #expect(throws: BrokerError.self) { try RecordBatchEncoder.encode([], baseOffset: 0, defaultTimestamp: 0) }
    }
}
