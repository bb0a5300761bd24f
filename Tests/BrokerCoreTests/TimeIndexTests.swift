import Testing

@testable import BrokerCore

struct TimeIndexTests {
    /// A time index over a segment based at 100 with entries (t=1000 → 104), (2000 → 110), (3000 → 120).
    static func sampleIndex() -> TimeIndex {
        var index = TimeIndex(baseOffset: 100)
        index.maybeAppend(timestamp: 1000, offset: 104)
        index.maybeAppend(timestamp: 2000, offset: 110)
        index.maybeAppend(timestamp: 3000, offset: 120)
        return index
    }

    /// Entries are added only when the timestamp grows; "no timestamp" (-1) is never indexed.
    @Test func maybeAppendKeepsTimestampsIncreasing() {
        var index = Self.sampleIndex()
        index.maybeAppend(timestamp: 3000, offset: 130)
        index.maybeAppend(timestamp: 2500, offset: 131)
        #expect(index.count == 3)
        index.maybeAppend(timestamp: 3001, offset: 140)
        #expect(index.lastEntry?.timestamp == 3001)
        #expect(index.lastEntry?.offset == 140)
        var empty = TimeIndex(baseOffset: 0)
        empty.maybeAppend(timestamp: -1, offset: 3)
        #expect(empty.count == 0)
    }

    /// `lastOffset(before:)` is where a search for the first offset with timestamp ≥ T may start
    /// after; `firstOffset(atOrAfter:)` bounds the answer from above.
    @Test(arguments: [
        (Int64(0), Int64?.none, Int64?.some(104)),
        (1000, nil, 104),
        (1001, 104, 110),
        (2000, 104, 110),
        (2500, 110, 120),
        (3000, 110, 120),
        (3001, 120, nil),
    ])
    func lookups(timestamp: Int64, searchAfter: Int64?, atOrBefore: Int64?) {
        let index = Self.sampleIndex()
        #expect(index.lastOffset(before: timestamp) == searchAfter)
        #expect(index.firstOffset(atOrAfter: timestamp) == atOrBefore)
    }

    /// Entries encode as 12 big-endian bytes (timestamp, relative offset) and load back identically.
    @Test func fileFormatRoundTrip() throws {
        let index = Self.sampleIndex()
        let bytes = index.encode(0..<index.count)
        #expect(bytes.count == 36)
        #expect(Array(bytes[0..<12]) == [0, 0, 0, 0, 0, 0, 0x03, 0xe8, 0, 0, 0, 4])
        let loaded = try TimeIndex(baseOffset: 100, contents: bytes)
        #expect(loaded.entries == index.entries)
    }

    /// A size that is not a multiple of 12 or decreasing timestamps are rejected.
    @Test func corruptFilesRejected() {
        let bytes = Self.sampleIndex().encode(0..<3)
        #expect(throws: IndexCorruption.self) { try TimeIndex(baseOffset: 100, contents: Array(bytes.dropLast())) }
        let swapped = Array(bytes[12..<24] + bytes[0..<12] + bytes[24..<36])
        #expect(throws: IndexCorruption.self) { try TimeIndex(baseOffset: 100, contents: swapped) }
    }
}
