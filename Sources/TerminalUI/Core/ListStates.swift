import AdminProtocol

/// The topic-list column `s` sorts by.
public enum TopicSort: String, CaseIterable, Hashable, Sendable {
    case name, partitions, messages, size, lastWrite, groups

    /// The next sort column.
    public var next: TopicSort {
        let all = Self.allCases
        return all[(all.firstIndex(of: self)! + 1) % all.count]
    }
}

/// The topic list: all topics as loaded, plus a cached sorted and filtered index so rendering
/// 10,000 topics touches only the visible rows (the index changes only when its inputs do).
public struct TopicsState: Hashable, Sendable {
    /// Every topic, in the broker's order.
    public private(set) var all: [TopicListing] = []
    /// The names, for "already exists" checks.
    public private(set) var names: Set<String> = []
    private var lowercasedNames: [[UInt8]] = []
    private var sorted: [Int] = []
    /// Indices into `all` of the rows shown, in order.
    public private(set) var visible: [Int] = []
    /// The filter text (case-insensitive substring of the name).
    public private(set) var filter = ""
    /// The sort column (name ascending; the others largest first).
    public private(set) var sort = TopicSort.name
    /// Whether the sort order is turned around (`S`): names Z to A, the others smallest first.
    public private(set) var reversed = false
    /// Whether internal topics (`__consumer_offsets`) are listed.
    public private(set) var showInternal = false
    /// The selected row, an index into `visible`.
    public var cursor = 0
    /// The first row shown.
    public var scroll = 0
    /// Whether a list has arrived.
    public private(set) var loaded = false
    /// A topic to select when it appears (after create).
    var pendingSelection: String?

    /// The selected topic.
    public var selected: TopicListing? { visible.indices.contains(cursor) ? all[visible[cursor]] : nil }

    /// Replaces the list, keeping the selection on the same topic when it still exists.
    mutating func setTopics(_ topics: [TopicListing]) {
        let keep = pendingSelection ?? selected?.name
        all = topics
        names = Set(topics.map(\.name))
        lowercasedNames = topics.map { Array($0.name.lowercased().utf8) }
        loaded = true
        resort()
        refilter(select: keep)
        if let p = pendingSelection, names.contains(p) { pendingSelection = nil }
    }

    mutating func setFilter(_ text: String) {
        guard text != filter else { return }
        let keep = selected?.name
        filter = text
        refilter(select: keep)
    }

    mutating func cycleSort() {
        let keep = selected?.name
        sort = sort.next
        reversed = false
        resort()
        refilter(select: keep)
    }

    /// Turns the sort order around, keeping the selected topic selected.
    mutating func reverseSort() {
        let keep = selected?.name
        reversed.toggle()
        resort()
        refilter(select: keep)
    }

    /// Whether the list runs from small to large (A to Z): the sort marker's direction.
    public var isAscending: Bool { (sort == .name) != reversed }

    mutating func toggleInternal() {
        let keep = selected?.name
        showInternal.toggle()
        refilter(select: keep)
    }

    private mutating func resort() {
        let t = all
        let reversed = reversed
        let byName: (Int, Int) -> Bool = { t[$0].name < t[$1].name }
        // Largest first (smallest first when reversed); equal ones by name.
        func desc<V: Comparable>(_ key: @escaping (TopicListing) -> V) -> (Int, Int) -> Bool {
            { a, b in key(t[a]) != key(t[b]) ? (key(t[a]) > key(t[b])) != reversed : byName(a, b) }
        }
        let order: (Int, Int) -> Bool
        switch sort {
        case .name: order = reversed ? { t[$0].name > t[$1].name } : byName
        case .partitions: order = desc(\.partitionCount)
        case .messages: order = desc(\.messageCount)
        case .size: order = desc(\.sizeBytes)
        case .lastWrite: order = desc(\.lastWriteTimeMs)
        case .groups: order = desc(\.consumerGroups.count)
        }
        sorted = Array(all.indices).sorted(by: order)
    }

    private mutating func refilter(select name: String?) {
        let needle = Array(filter.lowercased().utf8)
        visible = sorted.filter { i in
            (showInternal || !all[i].isInternal) && bytes(lowercasedNames[i], contain: needle)
        }
        if let name, let row = visible.firstIndex(where: { all[$0].name == name }) {
            cursor = row
        }
        cursor = min(cursor, max(0, visible.count - 1))
    }
}

/// The group-list column `s` sorts by.
public enum GroupSort: String, CaseIterable, Hashable, Sendable {
    case name, state, members, lag

    /// The next sort column.
    public var next: GroupSort {
        let all = Self.allCases
        return all[(all.firstIndex(of: self)! + 1) % all.count]
    }
}

/// The consumer-group list and each group's total-lag history for the trend sparkline.
public struct GroupsState: Hashable, Sendable {
    /// How many refreshes the trend covers.
    public static let trendLength = 20

    /// Every group.
    public private(set) var all: [GroupListing] = []
    /// Indices into `all` of the rows shown, in order.
    public private(set) var visible: [Int] = []
    /// The filter text (case-insensitive substring of the group id).
    public private(set) var filter = ""
    /// The sort column (name ascending; the others largest first).
    public private(set) var sort = GroupSort.name
    /// Whether the sort order is turned around (`S`).
    public private(set) var reversed = false
    /// The selected row, an index into `visible`.
    public var cursor = 0
    /// The first row shown.
    public var scroll = 0
    /// Whether a list has arrived.
    public private(set) var loaded = false
    /// Total lag per group at each of the last refreshes, oldest first.
    public private(set) var lagHistory: [String: [Int64]] = [:]

    /// The selected group.
    public var selected: GroupListing? { visible.indices.contains(cursor) ? all[visible[cursor]] : nil }

    mutating func setGroups(_ groups: [GroupListing]) {
        let keep = selected?.groupId
        all = groups
        loaded = true
        var history: [String: [Int64]] = [:]
        for g in groups {
            history[g.groupId] = Array(((lagHistory[g.groupId] ?? []) + [g.totalLag]).suffix(Self.trendLength))
        }
        lagHistory = history
        reindex(select: keep)
    }

    mutating func setFilter(_ text: String) {
        guard text != filter else { return }
        let keep = selected?.groupId
        filter = text
        reindex(select: keep)
    }

    mutating func cycleSort() {
        let keep = selected?.groupId
        sort = sort.next
        reversed = false
        reindex(select: keep)
    }

    /// Turns the sort order around, keeping the selected group selected.
    mutating func reverseSort() {
        let keep = selected?.groupId
        reversed.toggle()
        reindex(select: keep)
    }

    /// Whether the list runs from small to large (A to Z): the sort marker's direction.
    public var isAscending: Bool { (sort == .name || sort == .state) != reversed }

    private mutating func reindex(select id: String?) {
        let g = all
        let needle = filter.lowercased()
        let reversed = reversed
        let byName: (Int, Int) -> Bool = { g[$0].groupId < g[$1].groupId }
        // In the column's own order (turned around when reversed); equal ones by name.
        func by<V: Comparable>(_ key: @escaping (GroupListing) -> V, largestFirst: Bool) -> (Int, Int) -> Bool {
            { a, b in
                key(g[a]) != key(g[b]) ? (key(g[a]) > key(g[b])) == (largestFirst != reversed) : byName(a, b)
            }
        }
        var rows = all.indices.filter { needle.isEmpty || g[$0].groupId.lowercased().contains(needle) }
        switch sort {
        case .name: rows.sort(by: reversed ? { g[$0].groupId > g[$1].groupId } : byName)
        case .state: rows.sort(by: by(\.state, largestFirst: false))
        case .members: rows.sort(by: by(\.memberCount, largestFirst: true))
        case .lag: rows.sort(by: by(\.totalLag, largestFirst: true))
        }
        visible = rows
        if let id, let row = visible.firstIndex(where: { all[$0].groupId == id }) { cursor = row }
        cursor = min(cursor, max(0, visible.count - 1))
    }
}

/// The topic screen: two lists, the partitions and the consuming groups, one of them with the cursor.
public struct TopicState: Hashable, Sendable {
    /// The topic's name.
    public var name: String
    /// The last description; nil until it arrives.
    public var description: DescribeTopicResponse?
    /// The selected partition row.
    public var cursor = 0
    /// The first partition row shown.
    public var scroll = 0
    /// Whether the consuming groups have the cursor (the partitions otherwise).
    public var groupsFocused = false
    /// The selected consuming-group row.
    public var groupCursor = 0
    /// The first consuming-group row shown.
    public var groupScroll = 0
    /// The last error loading it.
    public var error: String?

    /// A topic screen waiting for its description.
    public init(name: String) { self.name = name }

    /// The selected partition, while the partitions have the cursor.
    public var selectedPartition: PartitionInfo? {
        guard !groupsFocused, let p = description?.partitions, p.indices.contains(cursor) else { return nil }
        return p[cursor]
    }

    /// The selected consuming group, while the groups have the cursor.
    public var selectedGroup: TopicGroupLag? {
        guard groupsFocused, let g = description?.consumerGroups, g.indices.contains(groupCursor) else { return nil }
        return g[groupCursor]
    }

    /// Moves the cursor by `delta` rows through the partitions and on into the groups below
    /// them (and back), each list scrolled to keep its row in sight.
    mutating func move(by delta: Int, partitionRows: Int, groupRows: Int) {
        let p = description?.partitions.count ?? 0
        let g = description?.consumerGroups.count ?? 0
        let at = groupsFocused ? p + groupCursor : cursor
        let to = min(max(0, at.addingClamped(delta)), max(0, p + g - 1))
        if to >= p && g > 0 {
            groupsFocused = true
            groupCursor = to - p
        } else {
            groupsFocused = false
            cursor = to
        }
        clamp(partitionRows: partitionRows, groupRows: groupRows)
    }

    /// Switches the cursor between the partitions and the groups (Tab).
    mutating func switchList(partitionRows: Int, groupRows: Int) {
        groupsFocused = !groupsFocused && !(description?.consumerGroups.isEmpty ?? true)
        clamp(partitionRows: partitionRows, groupRows: groupRows)
    }

    /// Keeps both cursors inside their lists and in sight.
    mutating func clamp(partitionRows: Int, groupRows: Int) {
        let g = description?.consumerGroups.count ?? 0
        if g == 0 { groupsFocused = false }
        clampList(cursor: &cursor, scroll: &scroll, count: description?.partitions.count ?? 0, height: partitionRows)
        clampList(cursor: &groupCursor, scroll: &groupScroll, count: g, height: groupRows)
    }
}

/// The broker screen, with a short history of the produce and fetch rates.
public struct BrokerState: Hashable, Sendable {
    /// The last answer.
    public var info: ClusterInfoResponse?
    /// The last storage answer; nil when the broker has none.
    public var storage: DescribeStorageResponse?
    /// Produce rates at the last refreshes (×10, for the sparkline).
    public var produceHistory: [Int64] = []
    /// Fetch rates at the last refreshes (×10, for the sparkline).
    public var fetchHistory: [Int64] = []
}

/// Whether `needle` occurs in `haystack` (both already lowercased UTF-8): a plain byte search,
/// much cheaper than `String.contains` when filtering 10,000 names per keystroke.
func bytes(_ haystack: [UInt8], contain needle: [UInt8]) -> Bool {
    guard !needle.isEmpty else { return true }
    guard haystack.count >= needle.count else { return false }
    let first = needle[0]
    var i = 0
    let last = haystack.count - needle.count
    while i <= last {
        if haystack[i] == first {
            var j = 1
            while j < needle.count && haystack[i + j] == needle[j] { j += 1 }
            if j == needle.count { return true }
        }
        i += 1
    }
    return false
}
