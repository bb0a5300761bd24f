// A segment's offset index: the `<baseOffset>.index` file, in the format of Kafka's OffsetIndex.
//
// On disk the file is a plain array of 8-byte entries, no header, no checksum:
//
//   byte 0-3  relative offset  UInt32, big-endian: an offset minus the segment's base offset.
//                              It is the LAST offset of the batch that starts at the position.
//   byte 4-7  position         UInt32, big-endian: byte position in the segment's `.log` file
//                              where that batch starts.
//
// Entries are sorted: both fields strictly increase from one entry to the next, so the file
// size is a multiple of 8 and the index can be binary searched. The index is sparse: an entry is
// added for a batch once more than `index.interval.bytes` of log have been written since the
// previous entry, so finding an offset means looking up the greatest entry at or below it and
// then scanning at most about `index.interval.bytes` of batch headers. The segment rolls when the
// index holds `segment.index.bytes / 8` entries.
//
// The entries live in memory; the file receives the entries added since it was last written when
// the segment is flushed, rolled or closed. After a crash the index of every segment from the
// recovery point on is rebuilt from the log, so the file needs no checksum.

/// A problem found while loading an index file; the index is then rebuilt from the log.
struct IndexCorruption: Error, CustomStringConvertible {
    /// What is wrong with the file.
    var description: String
}

/// A segment's sparse offset → file position index. Public for the micro-benchmarks
/// (`Benchmarks/`); the broker reaches it only through its segments.
public struct OffsetIndex: Sendable {
    /// One index entry.
    struct Entry: Hashable, Sendable {
        /// Offset minus the segment's base offset.
        var relativeOffset: UInt32
        /// Byte position of the batch in the `.log` file.
        var position: UInt32
    }

    /// Bytes per entry on disk.
    static let entrySize = 8

    /// The segment's base offset.
    let baseOffset: Int64
    /// The entries, sorted by offset and position.
    private(set) var entries: [Entry] = []
    /// How many leading entries the file already holds.
    var persistedCount = 0

    /// An empty index.
    public init(baseOffset: Int64) {
        self.baseOffset = baseOffset
    }

    /// Loads the contents of an index file, checking that its size is a multiple of the entry size,
    /// that entries increase, and that every position lies before `logSize`.
    init(baseOffset: Int64, contents: [UInt8], logSize: Int) throws(IndexCorruption) {
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
                    relativeOffset: raw.readBigEndian(at: i * 8), position: raw.readBigEndian(at: i * 8 + 4))
                if let last = entries.last,
                    entry.relativeOffset <= last.relativeOffset || entry.position <= last.position
                {
                    problem = "entry \(i) does not increase"
                    return
                }
                if Int(entry.position) >= logSize || entry.relativeOffset > UInt32(Int32.max) {
                    problem = "entry \(i) points past the log"
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
    public var count: Int { entries.count }

    /// Whether an index of at most `maxIndexBytes` bytes has no room for another entry.
    func isFull(maxIndexBytes: Int) -> Bool {
        entries.count >= maxIndexBytes / Self.entrySize
    }

    /// The last entry as an absolute offset and a position, if any.
    var lastEntry: (offset: Int64, position: Int)? {
        entries.last.map { (baseOffset + Int64($0.relativeOffset), Int($0.position)) }
    }

    /// Adds an entry for the batch at `position` whose last offset is `offset`. Both must be
    /// greater than those of the last entry (the segment guarantees it).
    public mutating func append(offset: Int64, position: Int) {
        guard let relative = UInt32(exactly: offset - baseOffset), let position = UInt32(exactly: position) else {
            return
        }
        let entry = Entry(relativeOffset: relative, position: position)
        if let last = entries.last, entry.relativeOffset <= last.relativeOffset || entry.position <= last.position {
            return
        }
        entries.append(entry)
    }

    /// The greatest entry whose offset is at most `offset`, as an absolute offset and position;
    /// `(baseOffset, 0)` when there is none. A scan for `offset` can start at that position.
    public func lookup(_ offset: Int64) -> (offset: Int64, position: Int) {
        guard offset >= baseOffset, let first = entries.first else { return (baseOffset, 0) }
        let relative = offset - baseOffset
        if relative < Int64(first.relativeOffset) { return (baseOffset, 0) }
        var low = 0
        var high = entries.count - 1
        // Invariant: entries[low].relativeOffset <= relative; find the last such entry.
        while low < high {
            let middle = (low + high + 1) / 2
            if Int64(entries[middle].relativeOffset) <= relative {
                low = middle
            } else {
                high = middle - 1
            }
        }
        return (baseOffset + Int64(entries[low].relativeOffset), Int(entries[low].position))
    }

    /// The position of the first entry whose position is greater than `position`, if any: where
    /// the next batch known to start lies, for a reader stepping over damage.
    func firstPosition(after position: Int) -> Int? {
        var low = 0
        var high = entries.count
        while low < high {
            let middle = (low + high) / 2
            if Int(entries[middle].position) <= position { low = middle + 1 } else { high = middle }
        }
        return low < entries.count ? Int(entries[low].position) : nil
    }

    /// Whether an entry points at `position` (a batch is known to start there).
    func hasEntry(atPosition position: Int) -> Bool {
        firstPosition(after: position - 1) == position
    }

    /// The on-disk bytes of entries `range`.
    func encode(_ range: Range<Int>) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(range.count * Self.entrySize)
        for entry in entries[range] {
            bytes.appendBigEndian(entry.relativeOffset)
            bytes.appendBigEndian(entry.position)
        }
        return bytes
    }
}
