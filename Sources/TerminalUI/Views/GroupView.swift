import AdminProtocol
import SkiffText

/// One consumer group: members, lag per partition, and the reset-offsets dialog.
enum GroupView {
    static let memberColumns = [
        Column("MEMBER", cut: .middle, min: 12, flex: 2, priority: 9),
        Column("CLIENT", cut: .middle, min: 8, priority: 3),
        Column("HOST", cut: .middle, min: 9, priority: 2),
        Column("PARTITIONS", flex: 1, priority: 5),
    ]
    static let lagColumns = [
        Column("TOPIC", cut: .middle, min: 10, flex: 1, priority: 9),
        Column("PARTITION", short: "PART", right: true, priority: 9),
        Column("COMMITTED", short: "COMMIT", right: true, priority: 7),
        Column("HIGH", right: true, priority: 6),
        Column("LAG", right: true, priority: 8),
        Column("TIME LAG", right: true, priority: 5),
        Column("MEMBER", cut: .middle, min: 10, flex: 1, priority: 3),
    ]
    /// The reset plan's columns; the arrow between OLD and NEW is drawn with `glyphs`.
    static func previewColumns(_ glyphs: Glyphs) -> [Column] {
        [
            Column("TOPIC", 16, flex: 1, cut: .middle), Column("PARTITION", 9, right: true),
            Column("OLD", 12, right: true), Column(glyphs.arrow, DisplayWidth.of(glyphs.arrow)),
            Column("NEW", 12, right: true), Column("CHANGE", 10, right: true),
        ]
    }

    /// `prices[0,1] orders[2]`
    static func assignment(_ refs: [TopicPartitionRef]) -> String {
        var order: [String] = []
        var byTopic: [String: [Int32]] = [:]
        for r in refs {
            if byTopic[r.topic] == nil { order.append(r.topic) }
            byTopic[r.topic, default: []].append(r.partition)
        }
        if order.isEmpty { return "none (idle)" }
        return order.map { t in "\(t)[\(byTopic[t]!.sorted().map(String.init).joined(separator: ","))]" }.joined(
            separator: " ")
    }

    static func memberRow(_ m: GroupMemberInfo) -> [TableCell] {
        let topics = Set(m.assignment.map(\.topic)).count
        return [
            TableCell(m.memberId), TableCell(m.clientId), TableCell(m.clientHost),
            TableCell(
                assignment(m.assignment), m.assignment.isEmpty ? .dim : nil,
                shorter: m.assignment.isEmpty || topics == 1
                    ? [] : [Format.plural(m.assignment.count, "partition") + " of " + Format.plural(topics, "topic")]),
        ]
    }

    /// One lag row's cells (the presenter).
    static func lagRow(_ p: GroupPartitionInfo) -> [TableCell] {
        [
            TableCell(p.topic),
            TableCell(String(p.partition)),
            TableCell(p.committedOffset < 0 ? "-" : String(p.committedOffset), p.committedOffset < 0 ? .dim : nil),
            TableCell(String(p.highWatermark)),
            TableCell(p.lag < 0 ? "-" : Format.count(p.lag), p.lag > 0 ? .warning : p.lag == 0 ? .good : .dim),
            TableCell(Format.duration(milliseconds: p.timeLagMs), p.timeLagMs > 0 ? .warning : nil),
            TableCell(p.memberId.isEmpty ? "-" : p.memberId, p.memberId.isEmpty ? .dim : nil),
        ]
    }

    static func render(_ state: AppState, layout: Layout, into buffer: inout ScreenBuffer) {
        guard let g = state.group else { return }
        let glyphs = buffer.glyphs
        let geo = GroupGeometry(layout: layout, description: g.description)
        guard let d = g.description else {
            Chrome.summary(
                g.error.map { "cannot describe group '\(g.groupId)': \($0)" }
                    ?? "loading group '\(g.groupId)'\(glyphs.ellipsis)",
                y: geo.summaryRow, into: &buffer)
            return
        }
        var parts = [
            d.state, "generation \(d.generation)", "assignor \(d.assignor.isEmpty ? "-" : d.assignor)",
            Format.plural(d.members.count, "member"),
            "total lag \(Format.count(d.totalLag)) " + Sparkline.render(g.lagHistory, width: 20, bars: glyphs.bars),
        ]
        if g.lagSubscription != nil { parts.append("live") }
        if g.undo != nil { parts.append("u undoes the last reset") }
        Chrome.summary(glyphs.joined(parts), y: geo.summaryRow, into: &buffer)

        let memberRows = d.members.prefix(geo.memberRows).enumerated().map { i, m -> [TableCell] in
            var cells = memberRow(m)
            if i == geo.memberRows - 1 && d.members.count > geo.memberRows {
                cells = [
                    TableCell(
                        "\(glyphs.ellipsis) and \(Format.plural(d.members.count - geo.memberRows + 1, "more member"))",
                        .dim)
                ]
            }
            return cells
        }
        let members = Table(memberColumns, rows: memberRows, width: buffer.width - 2)
        members.drawHeader(into: &buffer, y: geo.membersHeaderRow)
        if d.members.isEmpty {
            buffer.write("  no active members (offsets can be reset)", x: 0, y: geo.membersHeaderRow + 1, role: .dim)
        }
        members.drawRows(memberRows, first: 0, selected: nil, top: geo.membersHeaderRow + 1, into: &buffer)

        if let reset = g.reset {
            renderReset(reset, group: d, state: state, top: geo.lagHeaderRow - 1, bottom: geo.bottom, into: &buffer)
            return
        }
        let page = Table.page(count: d.partitions.count, cursor: g.cursor, scroll: g.scroll, height: geo.lagRows)
        let rows = page.rows.map { lagRow(d.partitions[$0]) }
        let table = Table(
            lagColumns, rows: rows, width: buffer.width - 2,
            position: Table.position(cursor: page.cursor, count: d.partitions.count, height: geo.lagRows))
        table.drawHeader(into: &buffer, y: geo.lagHeaderRow)
        if d.partitions.isEmpty {
            buffer.write("  the group has no committed offsets", x: 0, y: geo.lagRowsTop, role: .dim)
        }
        table.drawRows(rows, first: page.rows.lowerBound, selected: page.cursor, top: geo.lagRowsTop, into: &buffer)
    }

    static func renderReset(
        _ reset: ResetDialog, group d: DescribeGroupResponse, state: AppState, top: Int, bottom: Int,
        into buffer: inout ScreenBuffer
    ) {
        let g = buffer.glyphs
        buffer.fill(x: 0, y: top, width: buffer.width, height: bottom - top, role: .normal)
        buffer.fill(x: 0, y: top, width: buffer.width, height: 1, role: .border, character: g.horizontalLine)
        let scope: String
        switch reset.phase {
        case .planning(_, let s), .preview(_, let s, _), .applying(_, let s, _): scope = s.label
        case .choosing:
            scope =
                (try? reset.scope(partitionCount: reset.topic.flatMap { state.partitionCount(of: $0) }).get())?.label
                ?? "chosen partitions of '\(reset.topic ?? "")'"
        }
        buffer.write(" Reset offsets of '\(d.groupId)' (\(scope)) ", x: 2, y: top, role: .border, bold: true)
        var y = top + 1
        let fieldX = 13
        switch reset.phase {
        case .choosing, .planning:
            let choosing = reset.phase == .choosing
            func label(_ text: String, _ row: ResetDialog.Row) {
                let focused = choosing && reset.focus == row
                buffer.write(
                    (focused ? g.focus + " " : "  ") + DisplayWidth.pad(text, to: 11), x: 0, y: y,
                    role: focused ? .key : .header, bold: true)
            }
            /// The row's note, or the input error about it in the error colour (as the `t` prompt shows one).
            func note(_ row: ResetDialog.Row, _ text: String, role: StyleRole = .dim, x: Int) {
                if reset.errorRow == row, let error = reset.error {
                    buffer.write(
                        g.problem + " " + error, x: x, y: y, role: .error, bold: true, maxWidth: buffer.width - x)
                } else {
                    buffer.write(text, x: x, y: y, role: role, maxWidth: buffer.width - x)
                }
            }
            func choices(_ items: [(String, Bool)], focused: Bool) -> Int {
                var x = fieldX
                let total = items.reduce(0) { $0 + DisplayWidth.of($1.0) + 3 }
                // All choices when they fit with the "← → choose" note, else the chosen one and where it is.
                let shown = x + total + 12 <= buffer.width ? items : items.filter(\.1)
                for (text, selected) in shown {
                    x += buffer.write(
                        selected ? "\(g.choiceOpen)\(text)\(g.choiceClose)" : " \(text) ", x: x, y: y,
                        role: selected ? (focused ? .selection : .key) : .normal)
                    x += 1
                }
                if shown.count < items.count, let i = items.firstIndex(where: \.1) {
                    x += buffer.write("(\(i + 1) of \(items.count))", x: x, y: y, role: .dim) + 1
                }
                return x
            }

            label("target", .target)
            var x = choices(
                ResetChoice.allCases.map { ($0.label, $0 == reset.choice) }, focused: reset.focus == .target)
            note(.target, "  \(g.leftKey) \(g.rightKey) choose", x: x)
            y += 1
            if let hint = reset.choice.valueHint {
                label("value", .value)
                let width = 24
                FormsView.field(
                    reset.value, focused: choosing && reset.focus == .value, x: fieldX, width: width, y: y,
                    into: &buffer)
                var text = hint
                var role = StyleRole.dim
                if reset.choice == .timestamp,
                    let t = try? TimeInput.parse(
                        reset.value.text, nowMs: state.nowMs, utcOffsetSeconds: state.utcOffsetSeconds)
                {
                    text = "= " + Format.timestamp(t, utcOffsetSeconds: state.utcOffsetSeconds)
                    role = .good
                }
                note(.value, text, role: role, x: fieldX + width + 2)
                y += 1
            }
            label("topic", .topic)
            x = choices(
                [("all topics", reset.topic == nil)] + reset.topics.map { ($0, $0 == reset.topic) },
                focused: reset.focus == .topic)
            buffer.write("  \(g.leftKey) \(g.rightKey) choose", x: x, y: y, role: .dim)
            y += 1
            if let topic = reset.topic {
                label("partitions", .partitions)
                let width = 24
                FormsView.field(
                    reset.partitions, focused: choosing && reset.focus == .partitions, x: fieldX, width: width, y: y,
                    into: &buffer)
                let count = state.partitionCount(of: topic).map { "all \($0)" } ?? "all"
                note(.partitions, "e.g. 0,1 or 0-3; empty = \(count)", x: fieldX + width + 2)
                y += 1
            }
            y += 1
            if case .planning = reset.phase {
                buffer.write("  computing the plan (dry run)" + g.ellipsis, x: 0, y: y, role: .dim)
            } else if d.members.isEmpty {
                buffer.write(
                    "  Enter shows what would change; nothing is written before you confirm with y", x: 0, y: y,
                    role: .dim)
            } else {
                buffer.write(
                    "  the group has \(d.members.count) active member(s); the broker refuses resets until they leave",
                    x: 0, y: y, role: .warning)
            }
            if reset.errorRow == nil, let error = reset.error {
                buffer.write(
                    "  " + g.problem + " " + error, x: 0, y: y + 1, role: .error, bold: true, maxWidth: buffer.width)
            }
            return
        case .preview(_, _, let plan), .applying(_, _, let plan):
            let table = Table(previewColumns(g), width: buffer.width - 2)
            table.drawHeader(into: &buffer, y: y)
            y += 1
            if plan.isEmpty {
                buffer.write("  nothing to reset: no committed offsets there", x: 0, y: y, role: .dim)
            }
            let room = bottom - y - 2
            for (i, e) in plan.prefix(max(0, room)).enumerated() {
                let change =
                    e.oldOffset < 0
                    ? "new" : (e.newOffset - e.oldOffset >= 0 ? "+" : "") + Format.count(e.newOffset - e.oldOffset)
                table.drawRow(
                    [
                        TableCell(e.topic), TableCell(String(e.partition)),
                        TableCell(e.oldOffset < 0 ? "-" : String(e.oldOffset)), TableCell(g.arrow, .dim),
                        TableCell(String(e.newOffset), .warning), TableCell(change, .dim),
                    ], into: &buffer, y: y + i)
            }
            if plan.count > room && room > 0 {
                buffer.write("  \(g.ellipsis) \(plan.count - room) more partitions", x: 0, y: y + room, role: .dim)
            }
            let footer: String
            if case .applying = reset.phase {
                footer = "  writing the new offsets" + g.ellipsis
            } else {
                footer =
                    "  "
                    + g.joined([
                        "y writes these \(plan.count) offset(s) (u undoes it afterwards)", "Esc or n goes back",
                    ])
            }
            buffer.write(footer, x: 0, y: bottom - 1, role: .key, bold: true)
            if let error = reset.error {
                buffer.write(
                    "  " + g.problem + " " + error, x: 0, y: bottom - 2, role: .error, bold: true,
                    maxWidth: buffer.width)
            }
        }
    }
}
