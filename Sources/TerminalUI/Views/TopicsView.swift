import AdminProtocol
import SkiffText

/// The topic list: NAME, PARTITIONS, MESSAGES, SIZE, LAST WRITE, GROUPS.
enum TopicsView {
    static let columns = [
        Column("NAME", 20, flex: 1, cut: .middle), Column("PARTITIONS", 10, right: true),
        Column("MESSAGES", 12, min: 9, right: true),
        Column("SIZE", 10, min: 8, right: true), Column("LAST WRITE", 10, right: true), Column("GROUPS", 8, flex: 1),
    ]

    /// One row's cells (the presenter).
    static func row(_ t: TopicListing, nowMs: Int64) -> [TableCell] {
        [
            TableCell(t.name, t.isInternal ? .dim : nil),
            TableCell(String(t.partitionCount)),
            TableCell(Format.count(t.messageCount)),
            TableCell(Format.bytes(t.sizeBytes)),
            TableCell(Format.ago(t.lastWriteTimeMs, now: nowMs), .dim),
            TableCell(t.consumerGroups.isEmpty ? "-" : t.consumerGroups.joined(separator: ", ")),
        ]
    }

    static func render(_ state: AppState, layout: Layout, into buffer: inout ScreenBuffer) {
        let t = state.topics
        let g = buffer.glyphs
        let top = layout.contentTop
        var summary: String
        if !t.loaded {
            summary = "loading topics" + g.ellipsis
        } else {
            summary = "\(Format.count(Int64(t.visible.count))) topics"
            if !t.filter.isEmpty { summary += " matching \"\(t.filter)\"" }
            summary = g.joined([
                summary, "sorted by \(sortTitle(t.sort))", "internal topics \(t.showInternal ? "shown" : "hidden")",
            ])
        }
        Chrome.summary(summary, y: top, into: &buffer)
        let table = Table(columns, width: buffer.width - 2)
        let sortedColumn = TopicSort.allCases.firstIndex(of: t.sort)
        table.drawHeader(
            into: &buffer, y: top + 1, sorted: sortedColumn, marker: t.sort == .name ? g.ascending : g.descending)
        let height = layout.contentHeight - 2
        if t.loaded && t.visible.isEmpty {
            let text =
                t.filter.isEmpty
                ? "no topics yet: press c to create one"
                : "no topic matches \"\(t.filter)\" (Esc in the filter clears it)"
            buffer.write("  " + text, x: 0, y: top + 2, role: .dim)
            return
        }
        table.drawRows(
            count: t.visible.count, cursor: t.cursor, scroll: t.scroll, top: top + 2, height: height, into: &buffer
        ) {
            row(t.all[t.visible[$0]], nowMs: state.nowMs)
        }
    }

    static func sortTitle(_ sort: TopicSort) -> String {
        switch sort {
        case .name: "name"
        case .partitions: "partitions"
        case .messages: "messages"
        case .size: "size"
        case .lastWrite: "last write"
        case .groups: "groups"
        }
    }
}

/// The consumer group list: GROUP, STATE, MEMBERS, TOPICS, LAG, TREND.
enum GroupsView {
    static let columns = [
        Column("GROUP", 16, flex: 2, cut: .middle), Column("STATE", 19, min: 11), Column("MEMBERS", 7, right: true),
        Column("TOPICS", 8, flex: 1), Column("LAG", 10, min: 8, right: true),
        Column("TREND", GroupsState.trendLength, min: 10),
    ]

    static func row(_ g: GroupListing, history: [Int64], bars: [Character] = Sparkline.bars) -> [TableCell] {
        [
            TableCell(g.groupId),
            TableCell(g.state, stateRole(g.state)),
            TableCell(String(g.memberCount)),
            TableCell(g.topics.isEmpty ? "-" : g.topics.joined(separator: ", ")),
            TableCell(Format.count(g.totalLag), g.totalLag > 0 ? .warning : .good),
            TableCell(Sparkline.render(history, width: GroupsState.trendLength, bars: bars), .dim),
        ]
    }

    static func stateRole(_ state: String) -> StyleRole {
        switch state {
        case "Stable": .good
        case "Empty", "Dead": .dim
        default: .warning
        }
    }

    static func render(_ state: AppState, layout: Layout, into buffer: inout ScreenBuffer) {
        let g = state.groups
        let glyphs = buffer.glyphs
        let top = layout.contentTop
        var summary: String
        if !g.loaded {
            summary = "loading consumer groups" + glyphs.ellipsis
        } else {
            summary = "\(g.visible.count) consumer groups"
            if !g.filter.isEmpty { summary += " matching \"\(g.filter)\"" }
            summary = glyphs.joined([
                summary, "sorted by \(g.sort.rawValue)",
                "TREND = total lag over the last \(GroupsState.trendLength) refreshes",
            ])
        }
        Chrome.summary(summary, y: top, into: &buffer)
        let table = Table(columns, width: buffer.width - 2)
        let sorted: Int
        switch g.sort {
        case .name: sorted = 0
        case .state: sorted = 1
        case .members: sorted = 2
        case .lag: sorted = 4
        }
        table.drawHeader(
            into: &buffer, y: top + 1, sorted: sorted,
            marker: g.sort == .name || g.sort == .state ? glyphs.ascending : glyphs.descending)
        if g.loaded && g.visible.isEmpty {
            buffer.write(
                g.filter.isEmpty ? "  no consumer groups yet" : "  no group matches \"\(g.filter)\"", x: 0, y: top + 2,
                role: .dim)
            return
        }
        table.drawRows(
            count: g.visible.count, cursor: g.cursor, scroll: g.scroll, top: top + 2, height: layout.contentHeight - 2,
            into: &buffer
        ) {
            let listing = g.all[g.visible[$0]]
            return row(listing, history: g.lagHistory[listing.groupId] ?? [], bars: glyphs.bars)
        }
    }
}
