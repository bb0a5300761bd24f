import AdminProtocol

/// Where the messages screen starts reading.
public enum StartPosition: Hashable, Sendable {
    /// At the low watermark.
    case oldest
    /// The last page before the high watermark.
    case newest
    /// At an offset (one partition only).
    case offset(Int64)
    /// At the first record at or after a time (ms since the epoch).
    case timestamp(Int64)
    /// The last `n` records of each partition shown (kcat's `-o -n`).
    case last(Int64)
}

/// One record in the messages window, with its previews computed once.
public struct MessageRow: Hashable, Sendable {
    /// The record's partition.
    public var partition: Int32
    /// The record.
    public var record: FetchedRecord
    /// The key, one line, safe to show; without an ellipsis when cut (see ``keyIsCut``).
    public var keyPreview: String
    /// The value, one line, safe to show; without an ellipsis when cut (see ``valueIsCut``).
    public var valuePreview: String
    /// Whether the key is longer than its preview (the view adds the ellipsis of its glyphs).
    public var keyIsCut: Bool
    /// Whether the value is longer than its preview.
    public var valueIsCut: Bool
    /// Lowercased key and value text, for the `/` filter.
    var searchText: String

    /// A row for `record` of `partition`.
    public init(partition: Int32, record: FetchedRecord) {
        self.partition = partition
        self.record = record
        keyPreview = Payload.preview(record.key, limit: Self.keyLimit, ellipsis: "")
        valuePreview = Payload.preview(record.value, limit: Self.valueLimit, ellipsis: "")
        keyIsCut = (record.key?.count ?? 0) > Self.keyLimit
        valueIsCut = (record.value?.count ?? 0) > Self.valueLimit
        searchText = (keyPreview + "\u{0}" + valuePreview).lowercased()
    }

    /// The bytes of a key and of a value that previews show.
    static let keyLimit = 256
    static let valueLimit = 512

    /// Whether `a` is shown before `b` when partitions are merged: by time, then partition, then offset.
    static func mergedOrder(_ a: MessageRow, _ b: MessageRow) -> Bool {
        if a.record.timestampMs != b.record.timestampMs { return a.record.timestampMs < b.record.timestampMs }
        if a.partition != b.partition { return a.partition < b.partition }
        return a.record.offset < b.record.offset
    }
}

/// The offsets of one partition the window holds: `start ..< end`, contiguous.
public struct OffsetRange: Hashable, Sendable {
    /// The first offset held.
    public var start: Int64
    /// One past the last offset held.
    public var end: Int64
}

/// A partition's watermarks as last seen.
public struct Watermarks: Hashable, Sendable {
    /// The low watermark.
    public var low: Int64
    /// The high watermark.
    public var high: Int64
}

/// The messages screen. It never loads a whole partition: it holds a window of at most
/// ``MessagesState/maxRows`` records and fetches a page more at either end on demand, dropping
/// records at the other end, so a partition with millions of records costs the same as one with ten.
public struct MessagesState: Hashable, Sendable {
    /// Records fetched per page (split over the partitions when showing all of them).
    public static let pageSize = 100
    /// The most records the window holds.
    public static let maxRows = 500

    /// Which way a fetch extends the window.
    public enum Direction: Hashable, Sendable {
        /// Replace the window (a new start position).
        case replace(StartPosition)
        /// Add newer records at the end.
        case newer
        /// Add older records at the start.
        case older
    }

    /// A fetch in flight.
    public struct PendingFetch: Hashable, Sendable {
        /// The request id.
        public var id: Int
        /// Which way it extends the window.
        public var direction: Direction
        /// What was asked of each partition.
        public var parts: [PartitionFetch]
    }

    /// A search on the broker (`s`, or `F` for find-by-key) and how far it got; the window shows
    /// its matches as they arrive.
    public struct BrokerSearch: Hashable, Sendable {
        /// What was asked, as a person reads it (`key=AAPL`, `value:halt from:-1h`).
        public var label: String
        /// The request sent.
        public var request: SearchRequest
        /// The search's subscription id while it runs; nil once it is over.
        public var subscription: Int?
        /// Offsets the search looks at (from the broker's answer); nil until it answers.
        public var totalOffsets: Int64?
        /// Offsets looked at so far.
        public var scannedOffsets: Int64 = 0
        /// Matches so far (the window keeps the newest ``MessagesState/maxRows``).
        public var matches: Int64 = 0
        /// When it ended: whether every offset of the range was looked at, and why not.
        public var done: SearchEnd?
        /// The partition a find-by-key computed with murmur2, for the summary.
        public var keyPartition: Int32?
    }

    /// One end of a marked range (`Space`).
    public struct Mark: Hashable, Sendable {
        /// The record's partition.
        public var partition: Int32
        /// The record's offset.
        public var offset: Int64
    }

    /// How a search ended.
    public struct SearchEnd: Hashable, Sendable {
        /// Every offset of the range was looked at.
        public var complete: Bool
        /// Why it stopped early; empty when complete.
        public var reason: String
    }

    /// The topic.
    public var topic: String
    /// The partition shown; nil = all partitions merged by timestamp.
    public internal(set) var partition: Int32?
    /// The topic's partition count; nil until known.
    public internal(set) var partitionCount: Int32?
    /// The records in the window, in display order.
    public internal(set) var rows: [MessageRow] = []
    /// The offsets each partition has in the window.
    public internal(set) var ranges: [Int32: OffsetRange] = [:]
    /// Each partition's watermarks as last seen.
    public internal(set) var watermarks: [Int32: Watermarks] = [:]
    /// Where the window was started.
    public internal(set) var start: StartPosition
    /// The filter text (case-insensitive, key or value).
    public internal(set) var filter = ""
    /// Indices into `rows` of the rows shown.
    public internal(set) var visible: [Int] = []
    /// The selected row, an index into `visible`.
    public internal(set) var cursor = 0
    /// The first row shown.
    public internal(set) var scroll = 0
    /// The fetch in flight.
    public internal(set) var pending: PendingFetch?
    /// Whether the detail pane is open.
    public internal(set) var detailOpen = false
    /// The detail pane's format; nil = chosen per record.
    public internal(set) var format: PayloadFormat?
    /// The detail pane's first line.
    public internal(set) var detailScroll = 0
    /// Where a marked range starts (`Space`); the cursor is its other end.
    public internal(set) var mark: Mark?
    /// Whether the detail pane shows the key as hex bytes (`X`).
    public internal(set) var keyAsHex = false
    /// The detail pane's lines for the selected record, laid out for the screen's width; kept in
    /// step by ``AppState/syncDetail()`` after every action.
    public internal(set) var detail: DetailText?
    /// Whether follow mode (live tail) is on.
    public internal(set) var follow = false
    /// Records a live tail brought while the cursor was above the last row (the view then stays
    /// where it is: "paused, N new"); zero once it is back on the last row.
    public internal(set) var pausedNew = 0
    /// The live-tail subscription, while running.
    public internal(set) var followSubscription: Int?
    /// Why the broker ended the live tail (e.g. "topic 'prices' was deleted"); shown in the
    /// summary line until follow is turned on again.
    public internal(set) var followEnded: String?
    /// The find-by-key search, while shown.
    public internal(set) var search: BrokerSearch?
    /// Whether the first fetch waits for the topic's partition count.
    var waitingForPartitions = false

    /// A messages screen that will start at `start`.
    public init(topic: String, partition: Int32?, start: StartPosition) {
        self.topic = topic
        self.partition = partition
        self.start = start
    }

    /// The selected row.
    public var selected: MessageRow? { visible.indices.contains(cursor) ? rows[visible[cursor]] : nil }

    /// The partitions shown.
    var shownPartitions: [Int32] {
        if let partition { return [partition] }
        guard let n = partitionCount else { return [] }
        return Array(0..<n)
    }

    /// Records fetched from each partition per page.
    var perPartitionPage: Int {
        let n = max(1, shownPartitions.count)
        return max(1, min(Self.pageSize, 3 * Self.pageSize / n))
    }

    /// Whether there are records after the window.
    public var hasNewer: Bool {
        shownPartitions.contains { p in
            guard let r = ranges[p] else { return true }
            return r.end < (watermarks[p]?.high ?? .max)
        }
    }

    /// Whether there are records before the window.
    public var hasOlder: Bool {
        shownPartitions.contains { p in
            guard let r = ranges[p] else { return false }
            return r.start > (watermarks[p]?.low ?? 0)
        }
    }

    // MARK: - Building fetches

    /// The fetch that starts the window at `position`.
    func replaceParts(_ position: StartPosition) -> [PartitionFetch] {
        let n = Int32(perPartitionPage)
        return shownPartitions.map { p in
            switch position {
            case .oldest: PartitionFetch(partition: p, start: .earliest, maxRecords: n)
            case .newest: PartitionFetch(partition: p, start: .lastN(Int64(n)), maxRecords: n)
            case .offset(let o):
                PartitionFetch(partition: p, start: .offset(clampedOffset(o, partition: p)), maxRecords: n)
            case .timestamp(let t): PartitionFetch(partition: p, start: .timestamp(t), maxRecords: n)
            case .last(let k): PartitionFetch(partition: p, start: .lastN(k), maxRecords: Int32(min(Int64(n), k)))
            }
        }
    }

    /// `offset` moved inside the partition's watermarks when they are known.
    func clampedOffset(_ offset: Int64, partition p: Int32) -> Int64 {
        guard let w = watermarks[p] else { return max(0, offset) }
        return min(max(offset, w.low), w.high)
    }

    /// The fetch that adds the next page after the window.
    func newerParts() -> [PartitionFetch] {
        let n = Int64(perPartitionPage)
        return shownPartitions.compactMap { p in
            guard let r = ranges[p] else { return PartitionFetch(partition: p, start: .lastN(n), maxRecords: Int32(n)) }
            if let w = watermarks[p], r.end >= w.high { return nil }
            return PartitionFetch(partition: p, start: .offset(r.end), maxRecords: Int32(n))
        }
    }

    /// The fetch that adds the page before the window.
    func olderParts() -> [PartitionFetch] {
        let n = Int64(perPartitionPage)
        return shownPartitions.compactMap { p in
            guard let r = ranges[p] else { return nil }
            let low = watermarks[p]?.low ?? 0
            guard r.start > low else { return nil }
            let from = max(low, r.start - n)
            return PartitionFetch(partition: p, start: .offset(from), maxRecords: Int32(r.start - from))
        }
    }

    // MARK: - Applying results

    /// Puts fetched records into the window, keeping it bounded and the selection on the same record.
    mutating func apply(_ fetched: [FetchedPartition], for fetch: PendingFetch, listHeight: Int) {
        let anchor = selectionAnchor()
        for f in fetched {
            watermarks[f.partition] = Watermarks(low: f.logStartOffset, high: f.highWatermark)
        }
        switch fetch.direction {
        case .replace(let position):
            rows = []
            ranges = [:]
            for f in fetched {
                rows += f.records.map { MessageRow(partition: f.partition, record: $0) }
                if let first = f.records.first, let last = f.records.last {
                    ranges[f.partition] = OffsetRange(start: first.offset, end: last.offset + 1)
                } else {
                    ranges[f.partition] = OffsetRange(start: f.highWatermark, end: f.highWatermark)
                }
            }
            sortRows()
            if rows.count > Self.maxRows {
                if case .newest = position {
                    trimFront(rows.count - Self.maxRows)
                } else {
                    trimBack(rows.count - Self.maxRows)
                }
            }
            refilter()
            if case .newest = position { cursor = max(0, visible.count - 1) } else { cursor = 0 }
            scroll = 0
            clampList(cursor: &cursor, scroll: &scroll, count: visible.count, height: listHeight)
            return
        case .newer:
            for f in fetched {
                let end = ranges[f.partition]?.end ?? f.logStartOffset
                let new = f.records.filter { $0.offset >= end }
                rows += new.map { MessageRow(partition: f.partition, record: $0) }
                if let last = new.last {
                    let start = ranges[f.partition]?.start ?? new[0].offset
                    ranges[f.partition] = OffsetRange(start: start, end: last.offset + 1)
                } else if ranges[f.partition] == nil {
                    ranges[f.partition] = OffsetRange(start: f.highWatermark, end: f.highWatermark)
                }
            }
            if partition == nil { sortRows() }
            if rows.count > Self.maxRows { trimFront(rows.count - Self.maxRows) }
        case .older:
            var older: [MessageRow] = []
            for f in fetched {
                guard let range = ranges[f.partition] else { continue }
                let asked = fetch.parts.first { $0.partition == f.partition }
                let new = f.records.filter { $0.offset < range.start }
                older += new.map { MessageRow(partition: f.partition, record: $0) }
                var start = new.first?.offset ?? range.start
                if new.isEmpty, case .offset(let from)? = asked?.start { start = max(f.logStartOffset, from) }
                ranges[f.partition] = OffsetRange(start: min(start, range.start), end: range.end)
            }
            rows = older + rows
            if partition == nil { sortRows() }
            if rows.count > Self.maxRows { trimBack(rows.count - Self.maxRows) }
        }
        refilter()
        restoreSelection(anchor, listHeight: listHeight)
    }

    /// Appends pushed records of a live tail; the view sticks to the bottom when it was there.
    mutating func appendPushed(partition p: Int32, highWatermark: Int64, records: [FetchedRecord], listHeight: Int) {
        let atBottom = visible.isEmpty || cursor >= visible.count - 1
        let anchor = selectionAnchor()
        let low = watermarks[p]?.low ?? 0
        watermarks[p] = Watermarks(low: low, high: highWatermark)
        let end = ranges[p]?.end ?? 0
        let new = records.filter { $0.offset >= end }
        guard let last = new.last else { return }
        rows += new.map { MessageRow(partition: p, record: $0) }
        if !atBottom { pausedNew += new.count }
        ranges[p] = OffsetRange(start: ranges[p]?.start ?? new[0].offset, end: last.offset + 1)
        if partition == nil { sortRows() }
        if rows.count > Self.maxRows { trimFront(rows.count - Self.maxRows) }
        refilter()
        if atBottom {
            cursor = max(0, visible.count - 1)
            clampList(cursor: &cursor, scroll: &scroll, count: visible.count, height: listHeight)
        } else {
            restoreSelection(anchor, listHeight: listHeight)
        }
    }

    /// Empties the window for a search's matches.
    mutating func startSearchWindow(listHeight: Int) {
        rows = []
        ranges = [:]
        refilter()
        cursor = 0
        scroll = 0
    }

    /// Adds matches a search pushed (keeping the newest ``maxRows``), selection following the
    /// newest while it was on the last row.
    mutating func appendMatches(partition p: Int32, records: [FetchedRecord], listHeight: Int) {
        let atBottom = visible.isEmpty || cursor >= visible.count - 1
        let anchor = selectionAnchor()
        rows += records.map { MessageRow(partition: p, record: $0) }
        if rows.count > Self.maxRows { trimFront(rows.count - Self.maxRows) }
        refilter()
        if atBottom {
            cursor = max(0, visible.count - 1)
            clampList(cursor: &cursor, scroll: &scroll, count: visible.count, height: listHeight)
        } else {
            restoreSelection(anchor, listHeight: listHeight)
        }
    }

    mutating func setFilter(_ text: String, listHeight: Int) {
        guard text != filter else { return }
        let anchor = selectionAnchor()
        filter = text
        refilter()
        restoreSelection(anchor, listHeight: listHeight)
    }

    mutating func move(to row: Int, listHeight: Int) {
        cursor = row
        clampList(cursor: &cursor, scroll: &scroll, count: visible.count, height: listHeight)
        detailScroll = 0
        if isAtBottom { pausedNew = 0 }
    }

    /// Whether the cursor is on the last row (where a live tail keeps it).
    public var isAtBottom: Bool { visible.isEmpty || cursor >= visible.count - 1 }

    /// Whether follow mode is on but the view stays put because the cursor moved up.
    public var isFollowPaused: Bool { follow && !isAtBottom }

    private mutating func sortRows() {
        if partition == nil {
            rows.sort(by: MessageRow.mergedOrder)
        } else {
            rows.sort { $0.record.offset < $1.record.offset }
        }
    }

    /// Drops `k` rows from the start; each partition's range starts after what was dropped.
    private mutating func trimFront(_ k: Int) {
        var starts: [Int32: Int64] = [:]
        for row in rows.prefix(k) { starts[row.partition] = max(starts[row.partition] ?? .min, row.record.offset + 1) }
        rows.removeFirst(k)
        for (p, s) in starts {
            guard var r = ranges[p] else { continue }
            r.start = max(r.start, s)
            r.end = max(r.end, r.start)
            ranges[p] = r
        }
        rows.removeAll { r in ranges[r.partition].map { r.record.offset < $0.start } ?? false }
    }

    /// Drops `k` rows from the end; each partition's range ends before what was dropped.
    private mutating func trimBack(_ k: Int) {
        var ends: [Int32: Int64] = [:]
        for row in rows.suffix(k) { ends[row.partition] = min(ends[row.partition] ?? .max, row.record.offset) }
        rows.removeLast(k)
        for (p, e) in ends {
            guard var r = ranges[p] else { continue }
            r.end = min(r.end, e)
            r.start = min(r.start, r.end)
            ranges[p] = r
        }
        rows.removeAll { r in ranges[r.partition].map { r.record.offset >= $0.end } ?? false }
    }

    private mutating func refilter() {
        let needle = filter.lowercased()
        visible = needle.isEmpty ? Array(rows.indices) : rows.indices.filter { rows[$0].searchText.contains(needle) }
    }

    private struct Anchor {
        var partition: Int32
        var offset: Int64
        var timestamp: Int64
        var rowOnScreen: Int
    }

    private func selectionAnchor() -> Anchor? {
        selected.map {
            Anchor(
                partition: $0.partition, offset: $0.record.offset, timestamp: $0.record.timestampMs,
                rowOnScreen: cursor - scroll)
        }
    }

    private mutating func restoreSelection(_ anchor: Anchor?, listHeight: Int) {
        guard let anchor else {
            clampList(cursor: &cursor, scroll: &scroll, count: visible.count, height: listHeight)
            return
        }
        if let i = visible.firstIndex(where: {
            rows[$0].partition == anchor.partition && rows[$0].record.offset == anchor.offset
        }) {
            cursor = i
        } else {
            // The record was dropped: select the nearest one in display order.
            let probe = MessageRow.Probe(
                partition: anchor.partition, offset: anchor.offset, timestamp: anchor.timestamp)
            cursor =
                visible.firstIndex { probe.isBefore(rows[$0], merged: partition == nil) } ?? max(0, visible.count - 1)
        }
        scroll = cursor - anchor.rowOnScreen
        clampList(cursor: &cursor, scroll: &scroll, count: visible.count, height: listHeight)
    }
}

extension MessageRow {
    /// A position in display order without a record.
    struct Probe {
        var partition: Int32
        var offset: Int64
        var timestamp: Int64

        func isBefore(_ row: MessageRow, merged: Bool) -> Bool {
            guard merged else { return offset <= row.record.offset }
            if timestamp != row.record.timestampMs { return timestamp < row.record.timestampMs }
            if partition != row.partition { return partition < row.partition }
            return offset <= row.record.offset
        }
    }
}
