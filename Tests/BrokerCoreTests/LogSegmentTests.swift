import Testing

@testable import BrokerCore

struct LogSegmentTests {
    let io = PosixStorageIO()
    let files = SegmentFileCache(capacity: 8)

    /// The position and header of the first checked batch holding offsets from `offset` on.
    func firstBatch(_ segment: LogSegment, from offset: Int64) throws -> (position: Int, header: RecordBatchHeader)? {
        var found: (position: Int, header: RecordBatchHeader)?
        _ = try segment.walk(from: offset, limit: segment.size, endOffset: Int64.max, chunkSize: 512) { visit in
            if case .batch(let header, _, let position) = visit { found = (position, header) }
            return false
        }
        return found
    }

    /// Appends `count` batches of 1…5 records from `baseOffset`; returns each batch's offsets,
    /// position and size.
    func fill(
        _ segment: LogSegment, batches count: Int, interval: Int = 200, timestamp: (Int) -> Int64 = { Int64($0) }
    )
        throws -> [(offsets: ClosedRange<Int64>, position: Int, size: Int)]
    {
        var layout: [(offsets: ClosedRange<Int64>, position: Int, size: Int)] = []
        var next = segment.baseOffset
        for i in 0..<count {
            let time = timestamp(i)
            let records = makeRecords(0..<(1 + i % 5), timestamp: { _ in time })
            let batch = try RecordBatchEncoder.encode(records, baseOffset: next, defaultTimestamp: 0)
            let header = try RecordBatchHeader(parsing: batch)
            let position = segment.size
            try batch.withUnsafeBytes {
                try segment.append($0, header: header, indexIntervalBytes: interval, sync: false)
            }
            layout.append((next...header.lastOffset, position, batch.count))
            next = header.lastOffset + 1
        }
        return layout
    }

    /// Segment files are the base offset zero-padded to 20 digits; other names are not segments.
    @Test func fileNames() {
        #expect(LogSegment.fileName(baseOffset: 368_769, suffix: ".log") == "00000000000000368769.log")
        #expect(LogSegment.baseOffset(fileName: "00000000000000368769.timeindex", suffix: ".timeindex") == 368_769)
        #expect(LogSegment.baseOffset(fileName: "368769.log", suffix: ".log") == nil)
        #expect(LogSegment.baseOffset(fileName: "0000000000000036876x.log", suffix: ".log") == nil)
        #expect(LogSegment.baseOffset(fileName: "00000000000000368769.log.tmp", suffix: ".log") == nil)
    }

    /// After appends, the batch holding every offset is found through the sparse index plus a
    /// bounded scan, and offsets past the end are not.
    @Test func findBatchForEveryOffset() throws {
        let directory = TemporaryDirectory()
        let segment = try LogSegment.create(in: directory.path, baseOffset: 100, io: io, files: files, now: 0)
        let layout = try fill(segment, batches: 60)
        #expect(segment.size == layout.reduce(0) { $0 + $1.size })
        #expect(segment.nextOffset == layout.last!.offsets.upperBound + 1)
        #expect(segment.rollStatus.offsetIndexEntries > 5)
        for batch in layout {
            for offset in batch.offsets {
                let found = try #require(try firstBatch(segment, from: offset))
                #expect(found.position == batch.position)
                #expect(found.header.baseOffset == batch.offsets.lowerBound)
            }
        }
        #expect(try firstBatch(segment, from: segment.nextOffset) == nil)
    }

    /// Index files written on flush load back; a reloaded segment knows its size, next offset and
    /// largest timestamp, and finds the same positions.
    @Test func indexesPersistAndReload() throws {
        let directory = TemporaryDirectory()
        let segment = try LogSegment.create(in: directory.path, baseOffset: 0, io: io, files: files, now: 0)
        let layout = try fill(segment, batches: 40, timestamp: { 1000 + Int64($0) })
        segment.finalizeTimeIndex()
        try segment.flush(includingIndexes: true)
        let reopened = try LogSegment.open(in: directory.path, baseOffset: 0, io: io, files: files, now: 0)
        #expect(try reopened.loadIndexes() == nil)
        #expect(reopened.nextOffset == segment.nextOffset)
        #expect(reopened.maxTimestamp == 1039)
        #expect(reopened.rollStatus.offsetIndexEntries == segment.rollStatus.offsetIndexEntries)
        for batch in layout {
            #expect(try firstBatch(reopened, from: batch.offsets.upperBound)?.position == batch.position)
        }
    }

    /// Recovery keeps every complete batch, cuts a torn last batch (keeping the cut bytes beside
    /// the log), and rebuilds an index equal to the one appends built.
    @Test func recoveryCutsTornTailAndRebuildsIndex() throws {
        let directory = TemporaryDirectory()
        let segment = try LogSegment.create(in: directory.path, baseOffset: 0, io: io, files: files, now: 0)
        let layout = try fill(segment, batches: 30)
        try segment.flush(includingIndexes: true)
        let indexBytes = try #require(try io.readWholeFile(segment.offsetIndexPath))
        let original = try #require(try io.readWholeFile(segment.logPath))
        try io.truncate(try segment.openLog(), to: Int64(layout.last!.position + 10))
        let reopened = try LogSegment.open(in: directory.path, baseOffset: 0, io: io, files: files, now: 0)
        let result = try reopened.recover(indexIntervalBytes: 200, isActive: true, endOffset: nil)
        #expect(result.keptBytes == layout.last!.position)
        #expect(result.truncatedBytes == 10)
        #expect(result.damage.isEmpty)
        #expect(reopened.nextOffset == layout.last!.offsets.lowerBound)
        #expect(try io.size(of: reopened.openLog()) == Int64(layout.last!.position))
        let cut = try #require(result.cutFile)
        #expect(cut == "00000000000000000000.log.cut-at-\(layout.last!.position)")
        let kept = try #require(try io.readWholeFile(directory.path + "/" + cut))
        #expect(kept == Array(original[layout.last!.position..<(layout.last!.position + 10)]))
        try reopened.flush(includingIndexes: true)
        let rebuilt = try #require(try io.readWholeFile(reopened.offsetIndexPath))
        // The rebuilt index is the original minus any entry for the cut batch.
        #expect(Array(indexBytes.prefix(rebuilt.count)) == rebuilt)
        #expect(indexBytes.count - rebuilt.count <= OffsetIndex.entrySize)
    }

    /// The first offset with a timestamp at or after T matches a brute-force scan, including
    /// timestamps that go backwards between batches.
    @Test func findOffsetForTimestamp() throws {
        let directory = TemporaryDirectory()
        let segment = try LogSegment.create(in: directory.path, baseOffset: 0, io: io, files: files, now: 0)
        let stamp: (Int) -> Int64 = { 1000 + Int64($0) * 10 - ($0 % 4 == 0 ? 35 : 0) }
        let layout = try fill(segment, batches: 50, timestamp: stamp)
        var timestamps: [(Int64, Int64)] = []
        for (i, batch) in layout.enumerated() { for offset in batch.offsets { timestamps.append((offset, stamp(i))) } }
        for target in stride(from: Int64(900), through: 1600, by: 3) {
            let expected = timestamps.first { $0.1 >= target }?.0
            let found = try segment.findOffset(forTimestamp: target, startingOffset: 0, endOffset: segment.nextOffset)
            #expect(found == expected, "timestamp \(target)")
        }
        // A starting offset excludes earlier records.
        #expect(try segment.findOffset(forTimestamp: 0, startingOffset: 17, endOffset: segment.nextOffset) == 17)
    }

    /// A record's value may hold a complete, valid batch. When the header of the batch around it
    /// is damaged, the reader's search for the next valid batch must not take that embedded batch
    /// for records at those offsets: it is not followed by the end of the data, an indexed batch
    /// start or a batch continuing its offsets, so the search goes on to the real next batch.
    @Test(arguments: [8, 16])  // the length field, the magic byte
    func anEmbeddedBatchIsNotTakenForRecords(damagedByte: Int) throws {
        let directory = TemporaryDirectory()
        let segment = try LogSegment.create(in: directory.path, baseOffset: 0, io: io, files: files, now: 0)
        func append(_ records: [ProducerRecord], at base: Int64) throws {
            let batch = try RecordBatchEncoder.encode(records, baseOffset: base, defaultTimestamp: 0)
            let header = try RecordBatchHeader(parsing: batch)
            try batch.withUnsafeBytes {
                try segment.append($0, header: header, indexIntervalBytes: 1 << 20, sync: false)
            }
        }
        try append(makeRecords(0..<3), at: 0)
        let forged = try RecordBatchEncoder.encode(
            [ProducerRecord(key: Array("forged".utf8), value: Array("never produced".utf8))], baseOffset: 3,
            defaultTimestamp: 0)
        let holder = segment.size
        try append([ProducerRecord(key: Array("holder".utf8), value: forged)], at: 3)
        try append(makeRecords(4..<7), at: 4)
        try flip(segment.logPath, at: holder + damagedByte, mask: 0x40)
        var seen: [(offset: Int64, value: [UInt8]?)] = []
        var damage: [DamagedRange] = []
        _ = try segment.walk(from: 0, limit: segment.size, endOffset: 7, chunkSize: 512) {
            (visit) throws(BrokerError) -> Bool in
            switch visit {
            case .batch(let header, let bytes, _):
                var budget = Int.max
                var records: [Record] = []
                _ = try RecordBatchDecoder.decodeRecords(
                    in: bytes, header: header, from: 0, maxRecords: 100, byteBudget: &budget, into: &records)
                seen += records.map { ($0.offset, $0.value) }
            case .damaged(let range, _):
                damage.append(range)
            }
            return true
        }
        #expect(seen.map(\.offset) == [0, 1, 2, 4, 5, 6])
        #expect(!seen.contains { $0.value == Array("never produced".utf8) })
        #expect(damage.count == 1 && damage[0].firstOffset == 3 && damage[0].lastOffset == 3)
        #expect(damage.first?.position == holder)
    }
}
