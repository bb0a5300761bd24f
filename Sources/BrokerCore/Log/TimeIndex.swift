// A segment's time index: the `<baseOffset>.timeindex` file, in the format of Kafka's TimeIndex.
//
// On disk the file is a plain array of 12-byte entries, no header, no checksum:
//
//   byte 0-7   timestamp        Int64, big-endian, milliseconds since the epoch: the largest
//                               record timestamp in the segment up to and including the batch
//                               below.
//   byte 8-11  relative offset  UInt32, big-endian: the last offset of the batch that holds that
//                               timestamp, minus the segment's base offset.
//
// Timestamps and offsets never decrease from one entry to the next (an entry is added only when
// the largest timestamp grows), so the file size is a multiple of 12 and the index can be binary
// searched. Entries are added at the same time as offset index entries (every
// `index.interval.bytes` of log), plus one for the segment's largest timestamp when it is rolled
// or closed, so the last entry holds the segment's largest timestamp.
//
// Meaning of an entry (t, o): every record at offset ≤ o has a timestamp ≤ t, and the batch ending
// at o holds a record with timestamp t. So the first offset with timestamp ≥ T lies after the last
// entry with t < T, and at or before the first entry with t ≥ T.

/// A segment's sparse timestamp → offset index.
struct TimeIndex: Sendable {
    /// One index entry.
    struct Entry: Hashable, Sendable {
        /// The largest timestamp so far in the segment.
        var timestamp: Int64
        /// The last offset of the batch holding it, minus the segment's base offset.
        var relativeOffset: UInt32
    }

    /// Bytes per entry on disk.
    static let entrySize = 12

    /// The segment's base offset.
    let baseOffset: Int64
    /// The entries, sorted by timestamp and offset.
    private(set) var entries: [Entry] = []
    /// How many leading entries the file already holds.
    var persistedCount = 0

    /// An empty index.
    init(baseOffset: Int64) {
        self.baseOffset = baseOffset
    }

    /// Loads the contents of a time index file, checking that its size is a multiple of the entry
    /// size and that timestamps and offsets never decrease.
    init(baseOffset: Int64, contents: [UInt8]) throws(IndexCorruption) {
        self.baseOffset = baseOffset
        guard contents.count % Self.entrySize == 0 else {
            throw IndexCorruption(description: "size \(contents.count) is not a multiple of \(Self.entrySize)")
        }
        let count = contents.count / Self.entrySize
        var entries: [Entry] = []
        entries.reserveCapacity(count)
        var problem: String?
        contents.withUnsafeBytes { raw in
            for i in 0..<count {
                let entry = Entry(
                    timestamp: raw.readBigEndian(at: i * 12), relativeOffset: raw.readBigEndian(at: i * 12 + 8))
                if let last = entries.last,
                    entry.timestamp < last.timestamp || entry.relativeOffset < last.relativeOffset
                {
                    problem = "entry \(i) decreases"
                    return
                }
                if entry.relativeOffset > UInt32(Int32.max) {
                    problem = "entry \(i) has an impossible offset"
                    return
                }
                entries.append(entry)
            }
        }
        if let problem { throw IndexCorruption(description: problem) }
        self.entries = entries
        self.persistedCount = count
    }

    /// The number of entries.
    var count: Int { entries.count }

    /// Whether an index of at most `maxIndexBytes` bytes has no room for another entry.
    func isFull(maxIndexBytes: Int) -> Bool {
        entries.count >= maxIndexBytes / Self.entrySize
    }

    /// The last entry as a timestamp and an absolute offset, if any.
    var lastEntry: (timestamp: Int64, offset: Int64)? {
        entries.last.map { ($0.timestamp, baseOffset + Int64($0.relativeOffset)) }
    }

    /// Adds an entry when `timestamp` is larger than the last entry's (and not negative, Kafka's
    /// "no timestamp"); `offset` is the last offset of the batch holding it.
    mutating func maybeAppend(timestamp: Int64, offset: Int64) {
        guard timestamp >= 0, offset >= baseOffset else { return }
        let relative = UInt32(truncatingIfNeeded: offset - baseOffset)
        if let last = entries.last, timestamp <= last.timestamp || relative < last.relativeOffset { return }
        entries.append(Entry(timestamp: timestamp, relativeOffset: relative))
    }

    /// The last entry whose timestamp is below `timestamp`, as an absolute offset: every record at
    /// or before it is older than `timestamp`, so a search can start right after it. `nil` when
    /// the first entry is already at or after `timestamp` (search from the segment's start).
    func lastOffset(before timestamp: Int64) -> Int64? {
        // Number of entries with entry.timestamp < timestamp.
        var low = 0
        var high = entries.count
        while low < high {
            let middle = (low + high) / 2
            if entries[middle].timestamp < timestamp { low = middle + 1 } else { high = middle }
        }
        return low == 0 ? nil : baseOffset + Int64(entries[low - 1].relativeOffset)
    }

    /// The first entry whose timestamp is at or after `timestamp`, as an absolute offset: the
    /// first offset with a timestamp ≥ `timestamp` is at or before it. `nil` when there is none.
    func firstOffset(atOrAfter timestamp: Int64) -> Int64? {
        var low = 0
        var high = entries.count
        while low < high {
            let middle = (low + high) / 2
            if entries[middle].timestamp < timestamp { low = middle + 1 } else { high = middle }
        }
        return low == entries.count ? nil : baseOffset + Int64(entries[low].relativeOffset)
    }

    /// The on-disk bytes of entries `range`.
    func encode(_ range: Range<Int>) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(range.count * Self.entrySize)
        for entry in entries[range] {
            bytes.appendBigEndian(entry.timestamp)
            bytes.appendBigEndian(entry.relativeOffset)
        }
        return bytes
    }
}
