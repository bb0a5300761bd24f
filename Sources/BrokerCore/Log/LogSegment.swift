// One segment of a partition log: three files named after the segment's base offset (the first
// offset it may hold), zero-padded to 20 digits so that `ls` sorts them:
//
//   00000000000000368769.log        the record batches, back to back, exactly as in
//                                   RecordBatch.swift (no file header, no padding)
//   00000000000000368769.index      offset → position index, see OffsetIndex.swift
//   00000000000000368769.timeindex  timestamp → offset index, see TimeIndex.swift
//
// Within a segment, batches are contiguous: each batch's baseOffset is the previous batch's last
// offset + 1, and every offset − baseOffset fits in an Int32 (like Kafka, which reads relative
// offsets as signed). Only the active (last) segment of a partition is appended to.

import Synchronization

/// One segment: a `.log` file plus its in-memory indexes.
///
/// All mutation happens under the owning ``PartitionLog``'s lock; the segment's own lock only
/// makes its mutable state visible to readers, which run outside the partition lock and never
/// read past ``size``.
final class LogSegment: Sendable {
    static let logSuffix = ".log"
    static let offsetIndexSuffix = ".index"
    static let timeIndexSuffix = ".timeindex"

    /// The first offset the segment may hold; also its name.
    let baseOffset: Int64
    /// The partition directory.
    let directory: String
    /// The open `.log` file; closed when the last reader and the partition let go of the segment.
    let log: StorageFile
    /// The file system.
    let io: any StorageIO
    private let state: Mutex<State>

    /// What a segment knows about itself, beyond its files' names.
    struct State {
        /// Bytes of complete batches in the `.log` file; readers never read past it.
        var size: Int
        /// One past the last offset in the segment (the base offset when empty).
        var nextOffset: Int64
        var offsetIndex: OffsetIndex
        var timeIndex: TimeIndex
        /// Log bytes appended since the last index entry.
        var bytesSinceLastIndexEntry = 0
        /// The largest batch timestamp, -1 when none (Kafka's "no timestamp").
        var maxTimestamp: Int64 = -1
        /// The last offset of the batch holding ``maxTimestamp``.
        var offsetOfMaxTimestamp: Int64
        /// The first batch's maxTimestamp, which `segment.ms` rolling measures from.
        var firstBatchTimestamp: Int64?
        /// When this segment object was created (clock time), for rolling segments without timestamps.
        var createdTime: Int64
        /// Bytes were written to the `.log` file since the last `fsync`.
        var logUnsynced = false
        /// A failed append may have left bytes past ``size`` in the file; cut them before the next write.
        var mayHaveTailGarbage = false
        /// The index files do not hold a prefix of the in-memory entries; rewrite them whole.
        var indexFilesStale = false

        init(baseOffset: Int64, size: Int, createdTime: Int64) {
            self.size = size
            nextOffset = baseOffset
            offsetIndex = OffsetIndex(baseOffset: baseOffset)
            timeIndex = TimeIndex(baseOffset: baseOffset)
            offsetOfMaxTimestamp = baseOffset
            self.createdTime = createdTime
        }

        /// Accounts for a batch written at `position`, adding index entries like Kafka's
        /// LogSegment.append: an entry for this batch when more than `indexIntervalBytes` were
        /// written since the previous entry.
        mutating func record(_ header: RecordBatchHeader, at position: Int, indexIntervalBytes: Int) {
            if firstBatchTimestamp == nil { firstBatchTimestamp = header.maxTimestamp }
            if header.maxTimestamp > maxTimestamp {
                maxTimestamp = header.maxTimestamp
                offsetOfMaxTimestamp = header.lastOffset
            }
            if bytesSinceLastIndexEntry > indexIntervalBytes {
                offsetIndex.append(offset: header.lastOffset, position: position)
                timeIndex.maybeAppend(timestamp: maxTimestamp, offset: offsetOfMaxTimestamp)
                bytesSinceLastIndexEntry = 0
            }
            bytesSinceLastIndexEntry += header.totalSize
            size = position + header.totalSize
            nextOffset = header.lastOffset + 1
        }
    }

    private init(directory: String, baseOffset: Int64, log: StorageFile, io: any StorageIO, state: State) {
        self.directory = directory
        self.baseOffset = baseOffset
        self.log = log
        self.io = io
        self.state = Mutex(state)
    }

    // MARK: Names

    /// `<baseOffset zero-padded to 20 digits><suffix>`.
    static func fileName(baseOffset: Int64, suffix: String) -> String {
        let digits = String(baseOffset)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits + suffix
    }

    /// The largest offset Skiff accepts from disk (file names, checkpoints), far below `Int64.max`
    /// so that offset arithmetic can never overflow.
    static let maxOffset: Int64 = 1 << 62

    /// The base offset in a segment file name with `suffix`, or `nil` when the name is not one.
    static func baseOffset(fileName: String, suffix: String) -> Int64? {
        guard fileName.hasSuffix(suffix) else { return nil }
        let stem = fileName.dropLast(suffix.count)
        guard stem.count == 20, stem.allSatisfy({ $0.isASCII && $0.isNumber }), let offset = Int64(stem),
            offset <= maxOffset
        else { return nil }
        return offset
    }

    /// Whether a batch's offsets may sit in this segment: its last offset fits a relative offset
    /// (an Int32, as Kafka reads it) and, when `expected` is given, it starts exactly there.
    /// Written without `lastOffset` so that corrupt values cannot overflow.
    func offsetsFit(_ header: RecordBatchHeader, expected: Int64?) -> Bool {
        guard header.lastOffsetDelta >= 0, header.baseOffset >= baseOffset else { return false }
        if let expected, header.baseOffset != expected { return false }
        return header.baseOffset - baseOffset <= Int64(Int32.max) - Int64(header.lastOffsetDelta)
    }

    var logPath: String { directory + "/" + Self.fileName(baseOffset: baseOffset, suffix: Self.logSuffix) }
    var offsetIndexPath: String {
        directory + "/" + Self.fileName(baseOffset: baseOffset, suffix: Self.offsetIndexSuffix)
    }
    var timeIndexPath: String { directory + "/" + Self.fileName(baseOffset: baseOffset, suffix: Self.timeIndexSuffix) }

    // MARK: Creating and opening

    /// Creates a new, empty segment: empty `.log`, `.index` and `.timeindex` files.
    static func create(
        in directory: String, baseOffset: Int64, io: any StorageIO, now: Int64
    ) throws(BrokerError)
        -> LogSegment
    {
        let paths = [
            Self.logSuffix, Self.offsetIndexSuffix, Self.timeIndexSuffix,
        ].map { directory + "/" + fileName(baseOffset: baseOffset, suffix: $0) }
        do {
            let log = try io.openFile(paths[0], mode: .truncate)
            _ = try io.openFile(paths[1], mode: .truncate)
            _ = try io.openFile(paths[2], mode: .truncate)
            return LogSegment(
                directory: directory, baseOffset: baseOffset, log: log, io: io,
                state: State(baseOffset: baseOffset, size: 0, createdTime: now))
        } catch {
            for path in paths { try? io.removeFile(path) }
            throw error
        }
    }

    /// Opens the `.log` file of an existing segment. Its indexes are not loaded yet: call
    /// ``loadIndexes()`` or ``recover(indexIntervalBytes:)``.
    static func open(
        in directory: String, baseOffset: Int64, io: any StorageIO, now: Int64
    ) throws(BrokerError)
        -> LogSegment
    {
        let path = directory + "/" + fileName(baseOffset: baseOffset, suffix: Self.logSuffix)
        let log = try io.openFile(path, mode: .existing)
        let size = try io.size(of: log)
        guard size <= Int64(Int32.max) else {
            throw .storage("open \(log.displayName): \(size) bytes is larger than a segment can be")
        }
        var state = State(baseOffset: baseOffset, size: Int(size), createdTime: now)
        state.indexFilesStale = true
        return LogSegment(directory: directory, baseOffset: baseOffset, log: log, io: io, state: state)
    }

    /// Loads and checks the index files of a segment that needs no recovery, and reads the batch
    /// headers after the last index entry to learn the segment's next offset.
    ///
    /// Returns `nil` when all is well, or what is wrong (a missing or inconsistent index, a tail
    /// that does not parse): the caller then rebuilds with ``recover(indexIntervalBytes:)``.
    func loadIndexes() throws(BrokerError) -> String? {
        let size = self.size
        guard let offsetBytes = try io.readWholeFile(offsetIndexPath) else { return "the offset index is missing" }
        guard let timeBytes = try io.readWholeFile(timeIndexPath) else { return "the time index is missing" }
        let offsetIndex: OffsetIndex
        let timeIndex: TimeIndex
        do {
            offsetIndex = try OffsetIndex(baseOffset: baseOffset, contents: offsetBytes, logSize: size)
            timeIndex = try TimeIndex(baseOffset: baseOffset, contents: timeBytes)
        } catch {
            return "the index is corrupt: \(error)"
        }
        var loaded = State(baseOffset: baseOffset, size: size, createdTime: state.withLock { $0.createdTime })
        loaded.offsetIndex = offsetIndex
        loaded.timeIndex = timeIndex
        if let last = timeIndex.lastEntry {
            loaded.maxTimestamp = last.timestamp
            loaded.offsetOfMaxTimestamp = last.offset
        }
        var reader = SegmentReader(segment: self, limit: size, chunkSize: 64 * 1024)
        do {
            if size > 0 {
                let first = try reader.header(at: 0)
                guard offsetsFit(first, expected: baseOffset) else {
                    return "the first batch starts at offset \(first.baseOffset), not at the segment's base offset"
                }
                loaded.firstBatchTimestamp = first.maxTimestamp
            }
            let lastEntry = offsetIndex.lastEntry
            var position = lastEntry?.position ?? 0
            var expected: Int64? = nil
            while position < size {
                let header = try reader.header(at: position)
                if let expected, header.baseOffset != expected {
                    return "the batch at byte \(position) starts at offset \(header.baseOffset), expected \(expected)"
                }
                if let lastEntry, position == lastEntry.position, header.lastOffset != lastEntry.offset {
                    return
                        "the last index entry says offset \(lastEntry.offset), its batch ends at \(header.lastOffset)"
                }
                guard header.lastOffsetDelta >= 0, header.baseOffset >= baseOffset,
                    header.lastOffset - baseOffset <= Int64(Int32.max)
                else { return "the batch at byte \(position) has offsets outside the segment" }
                guard header.totalSize <= size - position else {
                    return "the batch at byte \(position) runs past the end of the file"
                }
                if header.maxTimestamp > loaded.maxTimestamp {
                    loaded.maxTimestamp = header.maxTimestamp
                    loaded.offsetOfMaxTimestamp = header.lastOffset
                }
                loaded.nextOffset = header.lastOffset + 1
                expected = loaded.nextOffset
                position += header.totalSize
            }
            loaded.bytesSinceLastIndexEntry = size - (lastEntry?.position ?? 0)
            if let lastTime = timeIndex.lastEntry, lastTime.offset >= loaded.nextOffset {
                return "the time index points at offset \(lastTime.offset), past the log"
            }
        } catch {
            if case .storage = error { throw error }
            return "\(error)"
        }
        state.withLock { $0 = loaded }
        return nil
    }

    /// What ``recover(indexIntervalBytes:)`` found.
    struct RecoveryResult {
        /// Bytes of valid batches kept.
        var validBytes: Int
        /// Bytes cut from the end of the file (a torn write or corruption).
        var truncatedBytes: Int
        /// Why the first invalid batch was rejected, when bytes were cut.
        var problem: String?
    }

    /// Re-reads every batch of the `.log` file, checking its length, magic, CRC and offsets;
    /// rebuilds both indexes from scratch; cuts the file at the first invalid batch. The index
    /// files are rewritten on the next ``flush(includingIndexes:)``.
    func recover(indexIntervalBytes: Int) throws(BrokerError) -> RecoveryResult {
        let fileSize = Int(try io.size(of: log))
        var recovered = State(baseOffset: baseOffset, size: 0, createdTime: state.withLock { $0.createdTime })
        var reader = SegmentReader(segment: self, limit: fileSize, chunkSize: 1 << 20)
        var position = 0
        var problem: String?
        while position < fileSize {
            do {
                let header = try reader.header(at: position)
                guard header.totalSize <= fileSize - position else {
                    problem =
                        "the batch at byte \(position) needs \(header.totalSize) bytes, \(fileSize - position) remain"
                    break
                }
                let crc = try reader.checksum(
                    from: position + RecordBatchHeader.attributesPosition,
                    count: header.totalSize - RecordBatchHeader.attributesPosition)
                guard crc == header.crc else {
                    problem = "the batch at byte \(position) fails its CRC"
                    break
                }
                guard offsetsFit(header, expected: recovered.nextOffset) else {
                    problem =
                        "the batch at byte \(position) has base offset \(header.baseOffset), expected \(recovered.nextOffset)"
                    break
                }
                recovered.record(header, at: position, indexIntervalBytes: indexIntervalBytes)
                position += header.totalSize
            } catch {
                if case .storage = error { throw error }
                problem = "the batch at byte \(position) is invalid: \(error)"
                break
            }
        }
        if position < fileSize {
            try io.truncate(log, to: Int64(position))
        }
        recovered.logUnsynced = true
        recovered.indexFilesStale = true
        state.withLock { $0 = recovered }
        return RecoveryResult(validBytes: position, truncatedBytes: fileSize - position, problem: problem)
    }

    // MARK: Appending

    /// Writes one complete batch (offsets already assigned) at the end of the log, `fsync`ing it
    /// when `sync`. On any failure the file is cut back to its previous size and the segment is
    /// unchanged, so the failed batch never becomes visible.
    func append(
        _ batch: UnsafeRawBufferPointer, header: RecordBatchHeader, indexIntervalBytes: Int, sync: Bool
    )
        throws(BrokerError)
    {
        let (position, mustCut) = state.withLock { ($0.size, $0.mayHaveTailGarbage) }
        if mustCut {
            try io.truncate(log, to: Int64(position))
            state.withLock { $0.mayHaveTailGarbage = false }
        }
        do {
            try io.write(log, batch, at: Int64(position))
            if sync { try io.sync(log) }
        } catch {
            do {
                try io.truncate(log, to: Int64(position))
            } catch {
                state.withLock { $0.mayHaveTailGarbage = true }
            }
            throw error
        }
        state.withLock { state in
            state.record(header, at: position, indexIntervalBytes: indexIntervalBytes)
            state.logUnsynced = !sync
        }
    }

    /// Adds the time index entry for the segment's largest timestamp (when the index does not
    /// end with it), as Kafka does when a segment stops being active or is closed.
    func finalizeTimeIndex() {
        state.withLock { $0.timeIndex.maybeAppend(timestamp: $0.maxTimestamp, offset: $0.offsetOfMaxTimestamp) }
    }

    // MARK: Flushing

    /// `fsync`s the log file if it has unsynced writes; when `includingIndexes`, also writes the
    /// index entries the files lack and `fsync`s them.
    func flush(includingIndexes: Bool) throws(BrokerError) {
        if state.withLock({ $0.logUnsynced }) {
            try io.sync(log)
            state.withLock { $0.logUnsynced = false }
        }
        if includingIndexes { try writeIndexes() }
    }

    /// Writes the index entries the files lack (all of them when the files are stale) and
    /// `fsync`s the files written.
    func writeIndexes() throws(BrokerError) {
        let pending = state.withLock { s in
            let rewrite = s.indexFilesStale
            let offsetStart = rewrite ? 0 : s.offsetIndex.persistedCount
            let timeStart = rewrite ? 0 : s.timeIndex.persistedCount
            return (
                rewrite: rewrite,
                offsetStart: offsetStart, offsetCount: s.offsetIndex.count,
                offsetBytes: s.offsetIndex.encode(offsetStart..<s.offsetIndex.count),
                timeStart: timeStart, timeCount: s.timeIndex.count,
                timeBytes: s.timeIndex.encode(timeStart..<s.timeIndex.count)
            )
        }
        if pending.rewrite || !pending.offsetBytes.isEmpty {
            try writeIndexFile(
                offsetIndexPath, pending.offsetBytes, at: pending.offsetStart * OffsetIndex.entrySize,
                rewrite: pending.rewrite)
        }
        if pending.rewrite || !pending.timeBytes.isEmpty {
            try writeIndexFile(
                timeIndexPath, pending.timeBytes, at: pending.timeStart * TimeIndex.entrySize, rewrite: pending.rewrite)
        }
        state.withLock { s in
            s.offsetIndex.persistedCount = pending.offsetCount
            s.timeIndex.persistedCount = pending.timeCount
            s.indexFilesStale = false
        }
    }

    private func writeIndexFile(_ path: String, _ bytes: [UInt8], at position: Int, rewrite: Bool) throws(BrokerError) {
        let file = try io.openFile(path, mode: rewrite ? .truncate : .create)
        try bytes.withBytes { (raw) throws(BrokerError) in try io.write(file, raw, at: Int64(position)) }
        if !rewrite {
            // A failed earlier write may have left a partial entry past the persisted entries.
            try io.truncate(file, to: Int64(position + bytes.count))
        }
        try io.sync(file)
    }

    // MARK: Reading

    /// Bytes of complete batches.
    var size: Int { state.withLock { $0.size } }

    /// One past the last offset in the segment (the base offset when empty).
    var nextOffset: Int64 { state.withLock { $0.nextOffset } }

    /// The largest batch timestamp, or -1 when the segment has none.
    var maxTimestamp: Int64 { state.withLock { $0.maxTimestamp } }

    /// Numbers the partition uses to decide whether to roll.
    struct RollStatus {
        var size: Int
        var offsetIndexEntries: Int
        var timeIndexEntries: Int
        var firstBatchTimestamp: Int64?
        var createdTime: Int64
    }

    /// Numbers the partition uses to decide whether to roll.
    var rollStatus: RollStatus {
        state.withLock {
            RollStatus(
                size: $0.size, offsetIndexEntries: $0.offsetIndex.count, timeIndexEntries: $0.timeIndex.count,
                firstBatchTimestamp: $0.firstBatchTimestamp, createdTime: $0.createdTime)
        }
    }

    /// The timestamp retention compares with `retention.ms`: the largest record timestamp, or the
    /// file's modification time when the records carry none (as Kafka does).
    func largestTimestampForRetention() throws(BrokerError) -> Int64 {
        let largest = maxTimestamp
        return largest >= 0 ? largest : try io.modificationTime(of: log)
    }

    /// The position and header of the first batch whose last offset is at least `offset`, or
    /// `nil` when no batch below `reader.limit` qualifies.
    func findBatch(
        containing offset: Int64, reader: inout SegmentReader
    ) throws(BrokerError)
        -> (position: Int, header: RecordBatchHeader)?
    {
        var position = state.withLock { $0.offsetIndex.lookup(offset).position }
        if position >= reader.limit { position = 0 }
        while position < reader.limit {
            let header = try reader.header(at: position)
            if header.lastOffset >= offset { return (position, header) }
            position += header.totalSize
        }
        return nil
    }

    /// The first offset in `[startingOffset, endOffset)` whose record timestamp is at least
    /// `timestamp`, or `nil`: starts after the last time index entry below `timestamp`, then
    /// scans batch headers, decoding records only in a batch whose `maxTimestamp` qualifies.
    func findOffset(
        forTimestamp timestamp: Int64, startingOffset: Int64, endOffset: Int64
    ) throws(BrokerError)
        -> Int64?
    {
        let start = state.withLock { s in
            let after = s.timeIndex.lastOffset(before: timestamp).map { $0 + 1 } ?? baseOffset
            let from = max(after, startingOffset)
            return (offset: from, position: s.offsetIndex.lookup(from).position)
        }
        var reader = SegmentReader(segment: self, limit: size, chunkSize: 64 * 1024)
        var position = start.position < reader.limit ? start.position : 0
        while position < reader.limit {
            let header = try reader.header(at: position)
            if header.baseOffset >= endOffset { return nil }
            if header.lastOffset >= start.offset && header.maxTimestamp >= timestamp {
                let found = try reader.withBatch(at: position, header: header) { (bytes) throws(BrokerError) in
                    try RecordBatchDecoder.firstOffset(
                        in: bytes, header: header, timestampAtLeast: timestamp, offsetAtLeast: start.offset)
                }
                if let found { return found < endOffset ? found : nil }
            }
            position += header.totalSize
        }
        return nil
    }

    // MARK: Deleting

    /// Removes the segment's files (the `.log` first: leftover index files are cleaned up on the
    /// next open). Readers that still hold the segment keep reading from the open descriptor.
    func deleteFiles() throws(BrokerError) {
        try io.removeFile(logPath)
        try io.removeFile(offsetIndexPath)
        try io.removeFile(timeIndexPath)
    }
}

/// Reads a segment's `.log` file through a window of bytes, so that walking consecutive batches
/// costs a few large `pread`s rather than one per header. Never reads at or past `limit`.
struct SegmentReader {
    /// The segment read.
    let segment: LogSegment
    /// Bytes of the file that may be read.
    let limit: Int
    /// How much to read at once.
    let chunkSize: Int
    private var buffer: [UInt8] = []
    private var windowStart = 0
    private var windowCount = 0

    init(segment: LogSegment, limit: Int, chunkSize: Int) {
        self.segment = segment
        self.limit = limit
        self.chunkSize = max(chunkSize, RecordBatchHeader.size)
    }

    /// Makes bytes `[position, position + count)` available, reading a chunk when they are not.
    mutating func load(_ position: Int, _ count: Int) throws(BrokerError) {
        guard position >= 0, count >= 0, count <= limit - position else {
            throw .corruptRecord(
                "\(count) bytes at byte \(position) of \(segment.log.displayName) run past its end (\(limit))")
        }
        if position >= windowStart && position + count <= windowStart + windowCount { return }
        let want = min(max(count, chunkSize), limit - position)
        if buffer.count < want { buffer = .uninitialized(count: want) }
        let file = segment.log
        let io = segment.io
        windowCount = 0
        let read = try buffer.withMutableBytes { (raw) throws(BrokerError) -> Int in
            try io.read(file, into: UnsafeMutableRawBufferPointer(rebasing: raw[0..<want]), at: Int64(position))
        }
        windowStart = position
        windowCount = read
        guard read >= count else {
            throw .storage("read \(file.displayName): the file ends at byte \(position + read), expected \(limit)")
        }
    }

    /// Calls `body` with bytes `[position, position + count)`, which ``load(_:_:)`` made available.
    func withBytes<R>(
        _ position: Int, _ count: Int, _ body: (UnsafeRawBufferPointer) throws(BrokerError) -> R
    )
        throws(BrokerError) -> R
    {
        let start = position - windowStart
        return try buffer.withBytes { (raw) throws(BrokerError) -> R in
            try body(UnsafeRawBufferPointer(rebasing: raw[start..<(start + count)]))
        }
    }

    /// The batch header at `position`.
    /// - Throws: ``BrokerError/corruptRecord(_:)`` when fewer than a header's bytes remain before
    ///   `limit` or the header is invalid.
    mutating func header(at position: Int) throws(BrokerError) -> RecordBatchHeader {
        guard limit - position >= RecordBatchHeader.size else {
            throw .corruptRecord(
                "only \(limit - position) bytes remain at byte \(position) of \(segment.log.displayName), too few for a batch header"
            )
        }
        try load(position, RecordBatchHeader.size)
        return try withBytes(position, RecordBatchHeader.size) { (raw) throws(BrokerError) in
            try RecordBatchHeader(parsing: raw)
        }
    }

    /// Calls `body` with the complete batch at `position`, whose header is `header`.
    mutating func withBatch<R>(
        at position: Int, header: RecordBatchHeader, _ body: (UnsafeRawBufferPointer) throws(BrokerError) -> R
    ) throws(BrokerError) -> R {
        try load(position, header.totalSize)
        return try withBytes(position, header.totalSize, body)
    }

    /// The CRC-32C of `[position, position + count)`, read chunk by chunk, so that checking a
    /// huge (or corrupt, huge-looking) batch never holds it whole in memory.
    mutating func checksum(from position: Int, count: Int) throws(BrokerError) -> UInt32 {
        var crc: UInt32 = 0
        var next = position
        var remaining = count
        while remaining > 0 {
            let step = min(remaining, chunkSize)
            try load(next, step)
            crc = try withBytes(next, step) { (raw) throws(BrokerError) in CRC32C.update(crc, with: raw) }
            next += step
            remaining -= step
        }
        return crc
    }
}
