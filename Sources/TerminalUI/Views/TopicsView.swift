import AdminProtocol
import SkiffText

/// The topic list: NAME, PARTITIONS, MESSAGES, SIZE, LAST WRITE, GROUPS.
enum TopicsView {
    static let columns = [
        Column("NAME", cut: .middle, min: 12, flex: 1, priority: 9),
        Column("PARTITIONS", short: "PARTS", right: true, priority: 3),
        Column("MESSAGES", short: "MSGS", right: true, priority: 6),
        Column("SIZE", right: true, priority: 5),
        Column("LAST WRITE", short: "WRITTEN", right: true, priority: 4),
        Column("GROUPS", cut: .end, min: 6, flex: 1, priority: 2),
    ]

    /// One row's cells (the presenter).
    static func row(_ t: TopicListing, nowMs: Int64) -> [TableCell] {
        [
            TableCell(t.name, t.isInternal ? .dim : nil),
            TableCell(Format.count(Int(t.partitionCount))),
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
        if !t.loaded {
            Chrome.summary("loading topics" + g.ellipsis, y: top, into: &buffer)
        } else {
            var count = Format.plural(t.visible.count, "topic")
            if !t.filter.isEmpty { count += " matching \"\(t.filter)\"" }
            Chrome.summary(
                [
                    count, "sorted by \(sortTitle(t.sort))\(t.reversed ? ", reversed" : "")",
                    "internal topics \(t.showInternal ? "shown" : "hidden")",
                ],
                dropping: [2], y: top, into: &buffer)
        }
        let height = layout.contentHeight - 2
        let page = Table.page(count: t.visible.count, cursor: t.cursor, scroll: t.scroll, height: height)
        let rows = page.rows.map { row(t.all[t.visible[$0]], nowMs: state.nowMs) }
        let table = Table(
            columns, rows: rows, width: buffer.width - 2, sorted: TopicSort.allCases.firstIndex(of: t.sort),
            marker: t.isAscending ? g.ascending : g.descending,
            position: Table.position(cursor: page.cursor, count: t.visible.count, height: height))
        table.drawHeader(into: &buffer, y: top + 1)
        if t.loaded && t.visible.isEmpty {
            let text =
                t.filter.isEmpty
                ? "no topics yet: press c to create one"
                : "no topic matches \"\(t.filter)\" (Esc in the filter clears it)"
            buffer.write("  " + text, x: 0, y: top + 2, role: .dim)
            return
        }
        table.drawRows(rows, first: page.rows.lowerBound, selected: page.cursor, top: top + 2, into: &buffer)
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
    /// The columns, the TREND header with the scale its bars share (`TREND max 1,234`).
    static func columns(trendScale: Int64) -> [Column] {
        var c = columns
        if trendScale > 0 { c[5] = Column("TREND max \(Format.count(trendScale))", short: "TREND", priority: 1) }
        return c
    }

    static let columns = [
        Column("GROUP", cut: .middle, min: 12, flex: 2, priority: 9),
        Column("STATE", cut: .end, min: 6, priority: 4),
        Column("MEMBERS", short: "MBRS", right: true, priority: 3),
        Column("TOPICS", cut: .end, min: 6, flex: 1, priority: 2),
        Column("LAG", right: true, priority: 8),
        Column("TREND", priority: 1),
    ]

    /// The largest lag the trends of the listed groups show: the scale every row's bars share.
    static func trendScale(_ state: GroupsState) -> Int64 {
        state.visible.reduce(0) { scale, i in
            max(scale, (state.lagHistory[state.all[i].groupId] ?? []).suffix(GroupsState.trendLength).max() ?? 0)
        }
    }

    static func row(
        _ g: GroupListing, history: [Int64], scale: Int64, bars: [Character] = Sparkline.bars
    ) -> [TableCell] {
        [
            TableCell(g.groupId),
            TableCell(g.state, stateRole(g.state)),
            TableCell(Format.count(Int(g.memberCount))),
            TableCell(g.topics.isEmpty ? "-" : g.topics.joined(separator: ", ")),
            TableCell(Format.count(g.totalLag), g.totalLag > 0 ? .warning : .good),
            TableCell(
                Sparkline.render(history, width: GroupsState.trendLength, scale: scale, bars: bars), .dim,
                shorter: [12, 8].map { Sparkline.render(history, width: $0, scale: scale, bars: bars) }),
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
        if !g.loaded {
            Chrome.summary("loading consumer groups" + glyphs.ellipsis, y: top, into: &buffer)
        } else {
            var count = Format.plural(g.visible.count, "consumer group")
            if !g.filter.isEmpty { count += " matching \"\(g.filter)\"" }
            Chrome.summary(
                [
                    count, "sorted by \(g.sort.rawValue)\(g.reversed ? ", reversed" : "")",
                    "TREND = total lag over the last \(GroupsState.trendLength) refreshes",
                ], dropping: [2], y: top, into: &buffer)
        }
        let sorted: Int
        switch g.sort {
        case .name: sorted = 0
        case .state: sorted = 1
        case .members: sorted = 2
        case .lag: sorted = 4
        }
        let height = layout.contentHeight - 2
        let page = Table.page(count: g.visible.count, cursor: g.cursor, scroll: g.scroll, height: height)
        let scale = trendScale(g)
        let rows = page.rows.map { i -> [TableCell] in
            let listing = g.all[g.visible[i]]
            return row(listing, history: g.lagHistory[listing.groupId] ?? [], scale: scale, bars: glyphs.bars)
        }
        let table = Table(
            columns(trendScale: scale), rows: rows, width: buffer.width - 2, sorted: sorted,
            marker: g.isAscending ? glyphs.ascending : glyphs.descending,
            position: Table.position(cursor: page.cursor, count: g.visible.count, height: height))
        table.drawHeader(into: &buffer, y: top + 1)
        if g.loaded && g.visible.isEmpty {
            buffer.write(
                g.filter.isEmpty ? "  no consumer groups yet" : "  no group matches \"\(g.filter)\"", x: 0, y: top + 2,
                role: .dim)
            return
        }
        table.drawRows(rows, first: page.rows.lowerBound, selected: page.cursor, top: top + 2, into: &buffer)
    }
}
