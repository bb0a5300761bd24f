import Testing

@testable import BrokerCore

struct OffsetIndexTests {
    /// An index over a segment based at 1000 whose entries are for batches ending at 1009, 1019, 1049.
    static func sampleIndex() -> OffsetIndex {
        var index = OffsetIndex(baseOffset: 1000)
        index.append(offset: 1009, position: 4100)
        index.append(offset: 1019, position: 8300)
        index.append(offset: 1049, position: 12_500)
        return index
    }

    /// Lookup returns the greatest entry at or below the target, or the segment start.
    @Test(arguments: [
        (Int64(0), Int64(1000), 0),  // below the segment
        (1000, 1000, 0),
        (1008, 1000, 0),
        (1009, 1009, 4100),
        (1010, 1009, 4100),
        (1019, 1019, 8300),
        (1048, 1019, 8300),
        (1049, 1049, 12_500),
        (Int64.max, 1049, 12_500),
    ])
    func lookup(target: Int64, offset: Int64, position: Int) {
        let found = Self.sampleIndex().lookup(target)
        #expect(found.offset == offset)
        #expect(found.position == position)
    }

    /// An empty index sends every lookup to the start of the segment.
    @Test func emptyIndexLooksUpSegmentStart() {
        let index = OffsetIndex(baseOffset: 7)
        #expect(index.lookup(100).offset == 7)
        #expect(index.lookup(100).position == 0)
        #expect(index.lastEntry == nil)
    }

    /// Binary search agrees with a linear scan on a large index.
    @Test func binarySearchMatchesLinearScan() {
        var index = OffsetIndex(baseOffset: 0)
        var entries: [(Int64, Int)] = []
        for i in 1...1000 {
            index.append(offset: Int64(i * 7), position: i * 4096)
            entries.append((Int64(i * 7), i * 4096))
        }
        for target in stride(from: Int64(0), to: 7100, by: 3) {
            let expected = entries.last { $0.0 <= target } ?? (0, 0)
            let found = index.lookup(target)
            #expect(found.offset == expected.0 && found.position == expected.1, "target \(target)")
        }
    }

    /// Entries encode as 8 big-endian bytes (relative offset, position) and load back identically.
    @Test func fileFormatRoundTrip() throws {
        let index = Self.sampleIndex()
        let bytes = index.encode(0..<index.count)
        #expect(bytes.count == 24)
        #expect(Array(bytes[0..<8]) == [0, 0, 0, 9, 0, 0, 0x10, 0x04])
        let loaded = try OffsetIndex(baseOffset: 1000, contents: bytes, logSize: 20_000)
        #expect(loaded.entries == index.entries)
        #expect(loaded.persistedCount == 3)
    }

    /// A file whose size is not a multiple of 8, whose entries do not increase, or that points past
    /// the log is rejected (and then rebuilt by the segment).
    @Test func corruptFilesRejected() {
        let bytes = Self.sampleIndex().encode(0..<3)
        #expect(throws: IndexCorruption.self) {
            try OffsetIndex(baseOffset: 1000, contents: bytes + [0], logSize: 20_000)
        }
        let swapped = Array(bytes[8..<16] + bytes[0..<8] + bytes[16..<24])
        #expect(throws: IndexCorruption.self) { try OffsetIndex(baseOffset: 1000, contents: swapped, logSize: 20_000) }
        #expect(throws: IndexCorruption.self) { try OffsetIndex(baseOffset: 1000, contents: bytes, logSize: 12_500) }
    }

    /// The index is full at segment.index.bytes / 8 entries.
    @Test func fullness() {
        let index = Self.sampleIndex()
        #expect(index.isFull(maxIndexBytes: 24))
        #expect(index.isFull(maxIndexBytes: 31))
        #expect(!index.isFull(maxIndexBytes: 32))
    }
}
