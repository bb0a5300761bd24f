// Kafka's record batch, magic 2 (Kafka's DefaultRecordBatch): the unit stored in `.log` files and
// sent over the wire. All integers are big-endian.
//
//   byte  size  field
//      0     8  baseOffset            Int64   offset of the first record
//      8     4  batchLength           Int32   bytes after this field; the batch is batchLength + 12 bytes
//     12     4  partitionLeaderEpoch  Int32   leader epoch; Skiff, a single node, writes 0
//     16     1  magic                 Int8    2
//     17     4  crc                   UInt32  CRC-32C of bytes 21 to the end (attributes … records)
//     21     2  attributes            Int16   bits 0-2 compression (0 none, 1 gzip, 2 snappy, 3 lz4,
//                                             4 zstd), bit 3 timestamp type (1 = log append time),
//                                             bit 4 transactional, bit 5 control, bit 6 delete horizon
//     23     4  lastOffsetDelta       Int32   last record's offset − baseOffset
//     27     8  baseTimestamp         Int64   first record's timestamp (ms since the epoch)
//     35     8  maxTimestamp          Int64   largest record timestamp
//     43     8  producerId            Int64   -1 when the producer is not idempotent
//     51     2  producerEpoch         Int16   -1
//     53     4  baseSequence          Int32   -1
//     57     4  recordsCount          Int32   number of records
//     61     …  records               (one compressed block when compression ≠ 0)
//
// Each record (lengths and deltas are zig-zag varints, see Varint.swift):
//
//   length          varint   bytes after this field
//   attributes      Int8     unused, 0
//   timestampDelta  varlong  timestamp − baseTimestamp
//   offsetDelta     varint   offset − baseOffset
//   keyLength       varint   -1 for a null key
//   key             bytes
//   valueLength     varint   -1 for a null value
//   value           bytes
//   headersCount    varint
//   headers         headersCount × (keyLength varint, key UTF-8, valueLength varint (-1 null), value)
//
// baseOffset and partitionLeaderEpoch are outside the CRC, so the broker can assign offsets to a
// client's batch without recomputing the checksum.
//
// A compressed batch (codec ≠ 0) stores the records, exactly as above, as one block compressed by
// its codec (KafkaCompression: the formats Kafka's clients write); the header stays uncompressed
// and its CRC covers the compressed bytes. The broker stores such a batch as the client sent it and
// decompresses a copy of the block (at most `RecordBatchDecoder.maxUncompressedRecordsSize`) when it
// reads or checks the records.

import KafkaCompression

/// The compression codec of a record batch (attribute bits 0-2).
public enum RecordCompression: Int16, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// Uncompressed records.
    case none = 0
    /// gzip.
    case gzip = 1
    /// Snappy.
    case snappy = 2
    /// LZ4.
    case lz4 = 3
    /// Zstandard.
    case zstd = 4

    /// Kafka's name for the codec (`compression.type`).
    public var description: String { codec.description }

    /// The codec that reads and writes the records of such a batch.
    var codec: CompressionCodec {
        switch self {
        case .none: .none
        case .gzip: .gzip
        case .snappy: .snappy
        case .lz4: .lz4
        case .zstd: .zstd
        }
    }
}

/// What a batch's timestamps mean (attribute bit 3).
public enum TimestampType: Hashable, Sendable {
    /// The producer's create time, per record.
    case createTime
    /// The broker's append time: every record's timestamp is the batch's `maxTimestamp`.
    case logAppendTime
}

/// The fixed 61-byte header of a magic-2 record batch; parsing checks every length it relies on.
public struct RecordBatchHeader: Hashable, Sendable {
    /// Size of the header in bytes (everything before the first record).
    public static let size = 61
    /// Bytes before `batchLength`'s count starts (baseOffset + batchLength): a batch occupies
    /// `batchLength + logOverhead` bytes.
    public static let logOverhead = 12
    /// The only magic value Skiff stores.
    public static let currentMagic: Int8 = 2
    /// Byte position of the CRC field.
    static let crcPosition = 17
    /// Byte position where the CRC-covered bytes start (the attributes).
    static let attributesPosition = 21

    /// Offset of the first record.
    public var baseOffset: Int64
    /// Bytes after the length field.
    public var batchLength: Int32
    /// The partition leader epoch.
    public var partitionLeaderEpoch: Int32
    /// The format version; always 2 once parsed.
    public var magic: Int8
    /// The stored CRC-32C.
    public var crc: UInt32
    /// Compression, timestamp type, transactional and control flags.
    public var attributes: Int16
    /// Last record's offset minus `baseOffset`.
    public var lastOffsetDelta: Int32
    /// The first record's timestamp.
    public var baseTimestamp: Int64
    /// The largest record timestamp.
    public var maxTimestamp: Int64
    /// The idempotent producer's id, or -1.
    public var producerId: Int64
    /// The idempotent producer's epoch, or -1.
    public var producerEpoch: Int16
    /// The idempotent producer's first sequence number, or -1.
    public var baseSequence: Int32
    /// The number of records.
    public var recordsCount: Int32

    /// Parses the header at the start of `bytes`.
    /// - Throws: ``BrokerError/corruptRecord(_:)`` when there are fewer than 61 bytes, the batch
    ///   length is shorter than a header, or the magic is not 2.
    public init(parsing bytes: UnsafeRawBufferPointer) throws(BrokerError) {
        guard bytes.count >= Self.size else {
            throw .corruptRecord("\(bytes.count) bytes are too few for a \(Self.size)-byte record batch header")
        }
        baseOffset = bytes.readBigEndian(at: 0)
        batchLength = bytes.readBigEndian(at: 8)
        partitionLeaderEpoch = bytes.readBigEndian(at: 12)
        magic = bytes.readBigEndian(at: 16)
        crc = bytes.readBigEndian(at: 17)
        attributes = bytes.readBigEndian(at: 21)
        lastOffsetDelta = bytes.readBigEndian(at: 23)
        baseTimestamp = bytes.readBigEndian(at: 27)
        maxTimestamp = bytes.readBigEndian(at: 35)
        producerId = bytes.readBigEndian(at: 43)
        producerEpoch = bytes.readBigEndian(at: 51)
        baseSequence = bytes.readBigEndian(at: 53)
        recordsCount = bytes.readBigEndian(at: 57)
        guard magic == Self.currentMagic else {
            throw .corruptRecord("magic \(magic) is not supported; only magic 2 record batches are")
        }
        guard Int(batchLength) >= Self.size - Self.logOverhead else {
            throw .corruptRecord("batch length \(batchLength) is shorter than the record batch header")
        }
    }

    /// Parses the header at the start of `bytes`; see ``init(parsing:)-(UnsafeRawBufferPointer)``.
    public init(parsing bytes: [UInt8]) throws(BrokerError) {
        self = try bytes.withBytes { (raw) throws(BrokerError) in try RecordBatchHeader(parsing: raw) }
    }

    /// Parses and fully checks one complete batch: header, `batchLength` equal to the number of
    /// bytes, and the CRC.
    public static func validate(_ batch: UnsafeRawBufferPointer) throws(BrokerError) -> RecordBatchHeader {
        let header = try RecordBatchHeader(parsing: batch)
        guard header.totalSize == batch.count else {
            throw .corruptRecord(
                "batch length \(header.batchLength) means \(header.totalSize) bytes, but the batch has \(batch.count)")
        }
        let computed = checksum(of: batch)
        guard computed == header.crc else {
            throw .corruptRecord(
                "CRC mismatch: stored \(hex(header.crc)), computed \(hex(computed)) (base offset \(header.baseOffset))")
        }
        return header
    }

    /// Parses and fully checks one complete batch; see ``validate(_:)-(UnsafeRawBufferPointer)``.
    public static func validate(_ batch: [UInt8]) throws(BrokerError) -> RecordBatchHeader {
        try batch.withBytes { (raw) throws(BrokerError) in try validate(raw) }
    }

    /// The CRC-32C a batch should carry: over its bytes from the attributes to the end. `batch`
    /// must be at least a header long.
    public static func checksum(of batch: UnsafeRawBufferPointer) -> UInt32 {
        CRC32C.checksum(UnsafeRawBufferPointer(rebasing: batch[attributesPosition...]))
    }

    /// Bytes the whole batch occupies: `batchLength + 12`.
    public var totalSize: Int { Int(batchLength) + Self.logOverhead }

    /// Offset of the last record.
    public var lastOffset: Int64 { baseOffset &+ Int64(lastOffsetDelta) }

    /// The compression codec number (attribute bits 0-2).
    public var compressionCode: Int16 { attributes & 0x07 }

    /// The compression codec, or `nil` for the unassigned codes 5-7.
    public var compression: RecordCompression? { RecordCompression(rawValue: compressionCode) }

    /// What the batch's timestamps mean.
    public var timestampType: TimestampType { attributes & 0x08 != 0 ? .logAppendTime : .createTime }

    /// Whether the batch belongs to a transaction.
    public var isTransactional: Bool { attributes & 0x10 != 0 }

    /// Whether the batch is a control batch (transaction markers).
    public var isControlBatch: Bool { attributes & 0x20 != 0 }

    private static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }
}

/// Builds uncompressed magic-2 record batches.
public enum RecordBatchEncoder {
    /// The exact size of the batch ``encode(_:baseOffset:defaultTimestamp:)`` builds for `records`.
    /// Records without a timestamp get `defaultTimestamp`.
    public static func encodedSize(of records: [ProducerRecord], defaultTimestamp: Int64) -> Int {
        guard let first = records.first else { return RecordBatchHeader.size }
        let baseTimestamp = first.timestamp ?? defaultTimestamp
        var size = RecordBatchHeader.size
        for index in records.indices {
            let body = bodySize(records[index], index: index, baseTimestamp: baseTimestamp, default: defaultTimestamp)
            size += Varint.unsignedSize(UInt64(Varint.zigZag(Int32(truncatingIfNeeded: body)))) + body
        }
        return size
    }

    /// Encodes `records` as one uncompressed batch starting at `baseOffset`; records without a
    /// timestamp get `defaultTimestamp` (the broker's append time).
    /// - Throws: ``BrokerError/invalidRequest(_:)`` for an empty list and
    ///   ``BrokerError/recordTooLarge(size:limit:)`` when the batch would pass 2 GiB.
    public static func encode(
        _ records: [ProducerRecord], baseOffset: Int64, defaultTimestamp: Int64
    ) throws(BrokerError) -> [UInt8] {
        let size = encodedSize(of: records, defaultTimestamp: defaultTimestamp)
        var bytes = [UInt8].uninitialized(count: size)
        _ = try bytes.withMutableBytes { (buffer) throws(BrokerError) in
            try encode(records, baseOffset: baseOffset, defaultTimestamp: defaultTimestamp, into: buffer)
        }
        return bytes
    }

    /// Encodes `records` into `buffer`, which must be exactly
    /// ``encodedSize(of:defaultTimestamp:)`` bytes, and returns the batch's header.
    public static func encode(
        _ records: [ProducerRecord], baseOffset: Int64, defaultTimestamp: Int64,
        into buffer: UnsafeMutableRawBufferPointer
    ) throws(BrokerError) -> RecordBatchHeader {
        guard let first = records.first else { throw .invalidRequest("a record batch needs at least one record") }
        let size = encodedSize(of: records, defaultTimestamp: defaultTimestamp)
        guard size - RecordBatchHeader.logOverhead <= Int(Int32.max), records.count <= Int(Int32.max) else {
            throw .recordTooLarge(size: size, limit: Int(Int32.max))
        }
        guard buffer.count == size, let base = buffer.baseAddress else {
            throw .invalidRequest("encode buffer has \(buffer.count) bytes, the batch needs \(size)")
        }
        let baseTimestamp = first.timestamp ?? defaultTimestamp
        var maxTimestamp = baseTimestamp
        var cursor = base + RecordBatchHeader.size
        for index in records.indices {
            let record = records[index]
            let timestamp = record.timestamp ?? defaultTimestamp
            if timestamp > maxTimestamp { maxTimestamp = timestamp }
            let body = bodySize(record, index: index, baseTimestamp: baseTimestamp, default: defaultTimestamp)
            cursor += Varint.writeVarint(Int32(truncatingIfNeeded: body), to: cursor)
            cursor.storeBytes(of: 0, as: UInt8.self)
            cursor += 1
            cursor += Varint.writeVarlong(timestamp &- baseTimestamp, to: cursor)
            cursor += Varint.writeVarint(Int32(truncatingIfNeeded: index), to: cursor)
            writeBytes(record.key, to: &cursor)
            writeBytes(record.value, to: &cursor)
            cursor += Varint.writeVarint(Int32(truncatingIfNeeded: record.headers.count), to: cursor)
            for header in record.headers {
                writeString(header.key, to: &cursor)
                writeBytes(header.value, to: &cursor)
            }
        }
        let header = RecordBatchHeader(
            baseOffset: baseOffset, batchLength: Int32(size - RecordBatchHeader.logOverhead), partitionLeaderEpoch: 0,
            magic: RecordBatchHeader.currentMagic, crc: 0, attributes: 0,
            lastOffsetDelta: Int32(records.count - 1), baseTimestamp: baseTimestamp, maxTimestamp: maxTimestamp,
            producerId: -1, producerEpoch: -1, baseSequence: -1, recordsCount: Int32(records.count))
        return header.write(into: buffer)
    }

    @inline(__always)
    static func bodySize(_ record: ProducerRecord, index: Int, baseTimestamp: Int64, default timestamp: Int64) -> Int {
        var size = 1
        size += Varint.size(ofVarlong: (record.timestamp ?? timestamp) &- baseTimestamp)
        size += Varint.size(ofVarint: Int32(truncatingIfNeeded: index))
        size += bytesSize(record.key)
        size += bytesSize(record.value)
        size += Varint.size(ofVarint: Int32(truncatingIfNeeded: record.headers.count))
        for header in record.headers {
            let keyLength = header.key.utf8.count
            size += Varint.size(ofVarint: Int32(truncatingIfNeeded: keyLength)) + keyLength
            size += bytesSize(header.value)
        }
        return size
    }

    @inline(__always)
    private static func bytesSize(_ bytes: [UInt8]?) -> Int {
        guard let bytes else { return 1 }
        return Varint.size(ofVarint: Int32(truncatingIfNeeded: bytes.count)) + bytes.count
    }

    @inline(__always)
    private static func writeBytes(_ bytes: [UInt8]?, to cursor: inout UnsafeMutableRawPointer) {
        guard let bytes else {
            cursor += Varint.writeVarint(-1, to: cursor)
            return
        }
        cursor += Varint.writeVarint(Int32(truncatingIfNeeded: bytes.count), to: cursor)
        if !bytes.isEmpty {
            let destination = cursor
            bytes.withUnsafeBytes { destination.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
            cursor += bytes.count
        }
    }

    @inline(__always)
    private static func writeString(_ string: String, to cursor: inout UnsafeMutableRawPointer) {
        var utf8 = string
        let destination = cursor
        let count = utf8.withUTF8 { bytes in
            let written = Varint.writeVarint(Int32(truncatingIfNeeded: bytes.count), to: destination)
            if bytes.count > 0 {
                (destination + written).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
            }
            return written + bytes.count
        }
        cursor += count
    }
}

extension RecordBatchEncoder {
    /// `batch` (a valid uncompressed batch) with its records compressed by `compression`, the
    /// attributes, length and CRC updated: the batch a Kafka client with that `compression.type`
    /// would send. For tests and tools: the broker stores batches as they came and never
    /// compresses or recompresses them.
    /// - Throws: what ``RecordBatchHeader/validate(_:)-([UInt8])`` throws, and
    ///   ``BrokerError/invalidRequest(_:)`` for a batch that is already compressed or a level the
    ///   codec does not accept.
    public static func compressed(
        _ batch: [UInt8], with compression: RecordCompression, level: Int32? = nil
    ) throws(BrokerError) -> [UInt8] {
        var header = try RecordBatchHeader.validate(batch)
        guard header.compression == RecordCompression.none else {
            throw .invalidRequest("the batch is already compressed (\(header.compressionCode))")
        }
        let block: [UInt8]
        do throws(CompressionError) {
            block = try compression.codec.compress(Array(batch[RecordBatchHeader.size...]), level: level)
        } catch {
            throw .invalidRequest("\(error)")
        }
        var output = Array(batch[..<RecordBatchHeader.size]) + block
        header.attributes = (header.attributes & ~0x07) | compression.rawValue
        header.batchLength = Int32(output.count - RecordBatchHeader.logOverhead)
        output.withUnsafeMutableBytes { raw in _ = header.write(into: raw) }
        return output
    }
}

extension RecordBatchHeader {
    /// Writes this header (with a fresh CRC over `batch[21...]`) into the first 61 bytes of a
    /// complete batch and returns the header with that CRC.
    func write(into batch: UnsafeMutableRawBufferPointer) -> RecordBatchHeader {
        batch.writeBigEndian(baseOffset, at: 0)
        batch.writeBigEndian(batchLength, at: 8)
        batch.writeBigEndian(partitionLeaderEpoch, at: 12)
        batch.writeBigEndian(magic, at: 16)
        batch.writeBigEndian(attributes, at: 21)
        batch.writeBigEndian(lastOffsetDelta, at: 23)
        batch.writeBigEndian(baseTimestamp, at: 27)
        batch.writeBigEndian(maxTimestamp, at: 35)
        batch.writeBigEndian(producerId, at: 43)
        batch.writeBigEndian(producerEpoch, at: 51)
        batch.writeBigEndian(baseSequence, at: 53)
        batch.writeBigEndian(recordsCount, at: 57)
        var header = self
        header.crc = RecordBatchHeader.checksum(of: UnsafeRawBufferPointer(batch))
        batch.writeBigEndian(header.crc, at: RecordBatchHeader.crcPosition)
        return header
    }

    /// Memberwise initializer for building headers.
    init(
        baseOffset: Int64, batchLength: Int32, partitionLeaderEpoch: Int32, magic: Int8, crc: UInt32,
        attributes: Int16, lastOffsetDelta: Int32, baseTimestamp: Int64, maxTimestamp: Int64, producerId: Int64,
        producerEpoch: Int16, baseSequence: Int32, recordsCount: Int32
    ) {
        self.baseOffset = baseOffset
        self.batchLength = batchLength
        self.partitionLeaderEpoch = partitionLeaderEpoch
        self.magic = magic
        self.crc = crc
        self.attributes = attributes
        self.lastOffsetDelta = lastOffsetDelta
        self.baseTimestamp = baseTimestamp
        self.maxTimestamp = maxTimestamp
        self.producerId = producerId
        self.producerEpoch = producerEpoch
        self.baseSequence = baseSequence
        self.recordsCount = recordsCount
    }
}

/// Reads the records of magic-2 batches, compressed or not. Every read is bounds-checked: arbitrary
/// bytes produce a ``BrokerError``, never a crash, and no decompression grows past
/// ``maxUncompressedRecordsSize``.
public enum RecordBatchDecoder {
    /// The most bytes the records of one compressed batch may decompress to: 64 MiB. A batch that
    /// inflates past it is refused on append (``BrokerError/uncompressedBatchTooLarge(codec:limit:)``,
    /// Kafka's MESSAGE_TOO_LARGE, on which the Java producer splits the batch), and reading one
    /// stops there, so a few compressed bytes can never make the broker allocate gigabytes.
    public static let maxUncompressedRecordsSize = 64 << 20

    /// Decodes every record of one complete batch, after checking its length and CRC;
    /// compressed records are decompressed first.
    /// - Throws: ``BrokerError/corruptRecord(_:)`` for malformed bytes (compressed records that do
    ///   not decompress included) and ``BrokerError/uncompressedBatchTooLarge(codec:limit:)``.
    public static func decode(_ batch: [UInt8]) throws(BrokerError) -> [Record] {
        try batch.withBytes { (raw) throws(BrokerError) -> [Record] in
            let header = try RecordBatchHeader.validate(raw)
            var records: [Record] = []
            var budget = Int.max
            _ = try decodeRecords(
                in: raw, header: header, from: Int64.min, maxRecords: Int.max, byteBudget: &budget, into: &records)
            return records
        }
    }

    /// Checks a batch a client sent before it is appended, as Kafka's LogValidator checks a magic-2
    /// batch from a client: its length, magic and CRC; a known codec; a record count, at least 1,
    /// equal to its offset range (`lastOffsetDelta + 1`); and its records, decompressed when the
    /// batch is compressed: exactly that many, each parsing to exactly its length, with offset
    /// deltas 0, 1, 2 …, and nothing after the last. The batch itself is not changed. Returns its
    /// header. This is the check ``PartitionLog/appendBatch(_:)`` makes.
    /// - Throws: ``BrokerError/corruptRecord(_:)`` for a bad length, magic, CRC or codec, or
    ///   records that do not decompress (Kafka's CORRUPT_MESSAGE);
    ///   ``BrokerError/invalidRecord(_:)`` for records that contradict the header or do not parse
    ///   (INVALID_RECORD); ``BrokerError/uncompressedBatchTooLarge(codec:limit:)`` past
    ///   ``maxUncompressedRecordsSize`` (MESSAGE_TOO_LARGE).
    public static func validateClientBatch(_ batch: UnsafeRawBufferPointer) throws(BrokerError) -> RecordBatchHeader {
        try checkClientBatch(batch).header
    }

    /// ``validateClientBatch(_:)-(UnsafeRawBufferPointer)``, also returning the largest timestamp
    /// of its records, which Kafka's LogValidator writes into a CreateTime batch's header (some
    /// clients, sarama 1.22 for one, leave it unset).
    static func checkClientBatch(
        _ batch: UnsafeRawBufferPointer
    ) throws(BrokerError) -> (
        header: RecordBatchHeader, recordsMaxTimestamp: Int64
    ) {
        let header = try RecordBatchHeader.validate(batch)
        guard header.compression != nil else {
            throw .corruptRecord("unknown compression codec \(header.compressionCode)")
        }
        guard header.recordsCount > 0, Int64(header.lastOffsetDelta) + 1 == Int64(header.recordsCount) else {
            throw .invalidRecord(
                "the batch has \(header.recordsCount) records but a last offset delta of \(header.lastOffsetDelta)")
        }
        let maxTimestamp = try withRecords(in: batch, header: header) { (records, start) throws(BrokerError) in
            do throws(BrokerError) {
                return try validateRecords(in: records, from: start, header: header)
            } catch {
                if case .corruptRecord(let message) = error { throw .invalidRecord(message) }
                throw error
            }
        }
        return (header, maxTimestamp)
    }

    /// Checks a client's batch before it is appended; see
    /// ``validateClientBatch(_:)-(UnsafeRawBufferPointer)``.
    public static func validateClientBatch(_ batch: [UInt8]) throws(BrokerError) -> RecordBatchHeader {
        try batch.withBytes { (raw) throws(BrokerError) in try validateClientBatch(raw) }
    }

    /// Calls `body` with the batch's records uncompressed and the position of the first record in
    /// them: the batch itself and 61 for an uncompressed batch; for a compressed one, a copy of its
    /// records decompressed and 0.
    /// - Throws: ``BrokerError/corruptRecord(_:)`` for an unknown codec or records that do not
    ///   decompress, ``BrokerError/uncompressedBatchTooLarge(codec:limit:)``, and what `body` throws.
    @inline(__always)
    static func withRecords<R>(
        in batch: UnsafeRawBufferPointer, header: RecordBatchHeader,
        _ body: (UnsafeRawBufferPointer, Int) throws(BrokerError) -> R
    ) throws(BrokerError) -> R {
        guard let compression = header.compression else {
            throw .corruptRecord("unknown compression codec \(header.compressionCode)")
        }
        if compression == .none { return try body(batch, RecordBatchHeader.size) }
        let records = try decompressRecords(of: batch, header: header, compression: compression)
        return try records.withBytes { (raw) throws(BrokerError) in try body(raw, 0) }
    }

    /// The records of a compressed batch, decompressed (at most ``maxUncompressedRecordsSize``).
    static func decompressRecords(
        of batch: UnsafeRawBufferPointer, header: RecordBatchHeader, compression: RecordCompression
    ) throws(BrokerError) -> [UInt8] {
        let block = UnsafeRawBufferPointer(rebasing: batch[RecordBatchHeader.size...])
        do throws(CompressionError) {
            return try compression.codec.decompress(block, maxOutputSize: maxUncompressedRecordsSize)
        } catch {
            if case .outputLimitExceeded(_, let limit) = error {
                throw .uncompressedBatchTooLarge(codec: compression.description, limit: limit)
            }
            throw .corruptRecord(
                "the records of the batch at offsets \(header.baseOffset)–\(header.lastOffset) do not decompress: \(error)"
            )
        }
    }

    /// Decodes the records of one complete batch (`batch` is exactly the batch) whose offset is at
    /// least `minimumOffset`, appending them to `records`; compressed records are decompressed
    /// first (the whole block, whatever the limits).
    ///
    /// Stops before going past `maxRecords` records in `records`, or before a record whose encoded
    /// (uncompressed) size is larger than what is left of `byteBudget` (unless `records` is still
    /// empty: the first record is always returned). Returns `true` when it stopped for one of those
    /// limits.
    static func decodeRecords(
        in batch: UnsafeRawBufferPointer, header: RecordBatchHeader, from minimumOffset: Int64, maxRecords: Int,
        byteBudget: inout Int, into records: inout [Record]
    ) throws(BrokerError) -> Bool {
        try withRecords(in: batch, header: header) { (section, start) throws(BrokerError) -> Bool in
            let count = try recordCount(header: header, bytes: section.count - start)
            let appendTime = header.timestampType == .logAppendTime
            var position = start
            for _ in 0..<count {
                let view = try parseRecord(in: section, at: position)
                position = view.end
                let offset = header.baseOffset &+ Int64(view.offsetDelta)
                if offset < minimumOffset { continue }
                if records.count >= maxRecords { return true }
                if !records.isEmpty && view.encodedSize > byteBudget { return true }
                byteBudget -= view.encodedSize
                records.append(
                    Record(
                        offset: offset,
                        timestamp: appendTime ? header.maxTimestamp : header.baseTimestamp &+ view.timestampDelta,
                        key: view.keyLength < 0 ? nil : copyBytes(section, view.keyStart, view.keyLength),
                        value: view.valueLength < 0 ? nil : copyBytes(section, view.valueStart, view.valueLength),
                        headers: view.headersCount == 0 ? [] : try headers(of: view, in: section),
                        timestampType: header.timestampType))
            }
            guard position == section.count else {
                throw .corruptRecord("\(section.count - position) bytes follow the last record of the batch")
            }
            return records.count >= maxRecords
        }
    }

    /// Checks the structure of every record of a batch (decompressed first when compressed):
    /// lengths, varints, and offset deltas 0, 1, 2 … as a producer writes them.
    static func validateRecords(in batch: UnsafeRawBufferPointer, header: RecordBatchHeader) throws(BrokerError) {
        _ = try withRecords(in: batch, header: header) { (section, start) throws(BrokerError) in
            try validateRecords(in: section, from: start, header: header)
        }
    }

    /// Checks the records in `section` from `start` to its end (see
    /// ``validateRecords(in:header:)``).
    /// Returns the largest record timestamp (base timestamp plus the largest delta).
    @discardableResult
    private static func validateRecords(
        in section: UnsafeRawBufferPointer, from start: Int, header: RecordBatchHeader
    ) throws(BrokerError) -> Int64 {
        let count = try recordCount(header: header, bytes: section.count - start)
        var position = start
        var maxDelta = Int64.min
        for index in 0..<count {
            let view = try parseRecord(in: section, at: position)
            guard view.offsetDelta == Int32(index) else {
                throw .corruptRecord("record \(index) of the batch has offset delta \(view.offsetDelta)")
            }
            maxDelta = max(maxDelta, view.timestampDelta)
            position = view.end
        }
        guard position == section.count else {
            throw .corruptRecord("\(section.count - position) bytes follow the last record of the batch")
        }
        return count == 0 ? header.maxTimestamp : header.baseTimestamp &+ maxDelta
    }

    /// The first offset of the batch that is at least `minimumOffset` and whose record timestamp
    /// is at least `timestamp`, or `nil`. Compressed records are decompressed; when they cannot be
    /// (records an older Skiff stored without looking into them), and for log-append-time batches,
    /// this is the batch's first offset at or after `minimumOffset` when its `maxTimestamp`
    /// qualifies: an offset at or before the exact answer.
    static func firstOffset(
        in batch: UnsafeRawBufferPointer, header: RecordBatchHeader, timestampAtLeast timestamp: Int64,
        offsetAtLeast minimumOffset: Int64
    ) throws(BrokerError) -> Int64? {
        guard header.maxTimestamp >= timestamp, header.lastOffset >= minimumOffset else { return nil }
        let bound = max(header.baseOffset, minimumOffset)
        if header.timestampType == .logAppendTime { return bound }
        guard header.compression == RecordCompression.none else {
            do throws(BrokerError) {
                return try firstOffset(in: batch, header: header, timestamp: timestamp, minimumOffset: minimumOffset)
            } catch {
                return bound
            }
        }
        return try firstOffset(in: batch, header: header, timestamp: timestamp, minimumOffset: minimumOffset)
    }

    private static func firstOffset(
        in batch: UnsafeRawBufferPointer, header: RecordBatchHeader, timestamp: Int64, minimumOffset: Int64
    ) throws(BrokerError) -> Int64? {
        try withRecords(in: batch, header: header) { (section, start) throws(BrokerError) -> Int64? in
            let count = try recordCount(header: header, bytes: section.count - start)
            var position = start
            for _ in 0..<count {
                let view = try parseRecord(in: section, at: position)
                position = view.end
                let offset = header.baseOffset &+ Int64(view.offsetDelta)
                if offset >= minimumOffset && header.baseTimestamp &+ view.timestampDelta >= timestamp {
                    return offset
                }
            }
            return nil
        }
    }

    /// The timestamp of the record at `offset` in the batch, or `nil` when the batch has no such
    /// record. For compressed batches this is the batch's `maxTimestamp`, without decompressing:
    /// partition stats and group time lag ask this of many partitions at once, and the answer is
    /// off by at most the batch's time span (a producer's linger).
    static func timestamp(
        ofOffset offset: Int64, in batch: UnsafeRawBufferPointer, header: RecordBatchHeader
    )
        throws(BrokerError) -> Int64?
    {
        guard offset >= header.baseOffset, offset <= header.lastOffset else { return nil }
        if header.compression != RecordCompression.none || header.timestampType == .logAppendTime {
            return header.maxTimestamp
        }
        let count = try recordCount(header: header, bytes: batch.count - RecordBatchHeader.size)
        var position = RecordBatchHeader.size
        for _ in 0..<count {
            let view = try parseRecord(in: batch, at: position)
            position = view.end
            if header.baseOffset &+ Int64(view.offsetDelta) == offset {
                return header.baseTimestamp &+ view.timestampDelta
            }
        }
        return nil
    }

    /// The batch's record count, checked against the bytes its records occupy (a record takes at
    /// least 7 bytes), so a corrupt count cannot make a loop run away.
    private static func recordCount(header: RecordBatchHeader, bytes: Int) throws(BrokerError) -> Int {
        let count = Int(header.recordsCount)
        guard count >= 0, count <= bytes / 7 else {
            throw .corruptRecord("record count \(header.recordsCount) does not fit in \(bytes) bytes of records")
        }
        return count
    }

    /// A record's fields as positions in its batch, parsed and bounds-checked but not copied.
    struct RecordView {
        var offsetDelta: Int32
        var timestampDelta: Int64
        var keyStart: Int
        var keyLength: Int
        var valueStart: Int
        var valueLength: Int
        var headersStart: Int
        var headersCount: Int
        /// Position just after the record.
        var end: Int
        /// Bytes the record occupies, length prefix included.
        var encodedSize: Int
    }

    /// Parses the record starting at `position`, checking that every field lies inside the record
    /// and that the record's fields add up to exactly its length.
    @inline(__always)
    static func parseRecord(in batch: UnsafeRawBufferPointer, at position: Int) throws(BrokerError) -> RecordView {
        var index = position
        let length = Int(try Varint.readVarint(from: batch, at: &index))
        // attributes, timestampDelta, offsetDelta, keyLength, valueLength, headersCount: ≥ 6 bytes.
        guard length >= 6, length <= batch.count - index else {
            throw .corruptRecord("record at byte \(position) has length \(length), which does not fit the batch")
        }
        let start = index
        let body = UnsafeRawBufferPointer(rebasing: batch[start..<(start + length)])
        var cursor = 1  // attributes: unused
        let timestampDelta = try Varint.readVarlong(from: body, at: &cursor)
        let offsetDelta = try Varint.readVarint(from: body, at: &cursor)
        let keyLength = Int(try Varint.readVarint(from: body, at: &cursor))
        guard keyLength >= -1, keyLength <= body.count - cursor else {
            throw .corruptRecord("record at byte \(position) has key length \(keyLength)")
        }
        let keyStart = cursor
        cursor += max(keyLength, 0)
        let valueLength = Int(try Varint.readVarint(from: body, at: &cursor))
        guard valueLength >= -1, valueLength <= body.count - cursor else {
            throw .corruptRecord("record at byte \(position) has value length \(valueLength)")
        }
        let valueStart = cursor
        cursor += max(valueLength, 0)
        let headersCount = Int(try Varint.readVarint(from: body, at: &cursor))
        guard headersCount >= 0, headersCount <= (body.count - cursor) / 2 else {
            throw .corruptRecord("record at byte \(position) has header count \(headersCount)")
        }
        let headersStart = cursor
        for _ in 0..<headersCount {
            let headerKeyLength = Int(try Varint.readVarint(from: body, at: &cursor))
            guard headerKeyLength >= 0, headerKeyLength <= body.count - cursor else {
                throw .corruptRecord("record at byte \(position) has header key length \(headerKeyLength)")
            }
            cursor += headerKeyLength
            let headerValueLength = Int(try Varint.readVarint(from: body, at: &cursor))
            guard headerValueLength >= -1, headerValueLength <= body.count - cursor else {
                throw .corruptRecord("record at byte \(position) has header value length \(headerValueLength)")
            }
            cursor += max(headerValueLength, 0)
        }
        guard cursor == body.count else {
            throw .corruptRecord("record at byte \(position) is \(length) bytes long but its fields take \(cursor)")
        }
        return RecordView(
            offsetDelta: offsetDelta, timestampDelta: timestampDelta, keyStart: start + keyStart, keyLength: keyLength,
            valueStart: start + valueStart, valueLength: valueLength, headersStart: start + headersStart,
            headersCount: headersCount, end: start + length, encodedSize: start + length - position)
    }

    @inline(__always)
    private static func copyBytes(_ batch: UnsafeRawBufferPointer, _ start: Int, _ count: Int) -> [UInt8] {
        [UInt8](UnsafeRawBufferPointer(rebasing: batch[start..<(start + count)]))
    }

    /// Materialises the headers of a record that ``parseRecord(in:at:)`` already checked.
    private static func headers(
        of view: RecordView, in batch: UnsafeRawBufferPointer
    ) throws(BrokerError)
        -> [RecordHeader]
    {
        var headers: [RecordHeader] = []
        headers.reserveCapacity(view.headersCount)
        var cursor = view.headersStart
        for _ in 0..<view.headersCount {
            let keyLength = Int(try Varint.readVarint(from: batch, at: &cursor))
            let key = String(
                decoding: UnsafeRawBufferPointer(rebasing: batch[cursor..<(cursor + keyLength)]), as: UTF8.self)
            cursor += keyLength
            let valueLength = Int(try Varint.readVarint(from: batch, at: &cursor))
            let value = valueLength < 0 ? nil : copyBytes(batch, cursor, valueLength)
            cursor += max(valueLength, 0)
            headers.append(RecordHeader(key: key, value: value))
        }
        return headers
    }
}
