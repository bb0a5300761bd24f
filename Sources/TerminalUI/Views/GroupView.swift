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
        buffer.write(
            " Reset offsets of '\(d.groupId)' (every topic it has offsets for) ", x: 2, y: top, role: .border,
            bold: true)
        var y = top + 1
        switch reset.phase {
        case .choosing, .planning:
            buffer.write("  target   ", x: 0, y: y, role: .header, bold: true)
            var x = 11
            for choice in ResetChoice.allCases {
                let selected = choice == reset.choice
                x += buffer.write(
                    selected ? "\(g.choiceOpen)\(choice.label)\(g.choiceClose)" : " \(choice.label) ", x: x, y: y,
                    role: selected ? .selection : .normal)
                x += 1
            }
            buffer.write("  \(g.leftKey) \(g.rightKey) choose", x: x, y: y, role: .dim)
            y += 1
            if let hint = reset.choice.valueHint {
                buffer.write("  value    ", x: 0, y: y, role: .header, bold: true)
                let width = 24
                buffer.fill(x: 11, y: y, width: width, height: 1, role: .input)
                Chrome.drawField(reset.value, x: 11, y: y, width: width, focused: true, into: &buffer)
                var note = hint
                var role = StyleRole.dim
                if reset.choice == .timestamp,
                    let t = try? TimeInput.parse(
                        reset.value.text, nowMs: state.nowMs, utcOffsetSeconds: state.context.utcOffsetSeconds)
                {
                    note = "= " + Format.timestamp(t, utcOffsetSeconds: state.context.utcOffsetSeconds)
                    role = .good
                }
                buffer.write(note, x: 11 + width + 2, y: y, role: role, maxWidth: buffer.width - width - 14)
                y += 1
            }
            if case .planning = reset.phase {
                buffer.write("  computing the plan (dry run)" + g.ellipsis, x: 0, y: y + 1, role: .dim)
            } else if d.members.isEmpty {
                buffer.write(
                    "  Enter shows what would change; nothing is written before you confirm with y", x: 0, y: y + 1,
                    role: .dim)
            } else {
                buffer.write(
                    "  the group has \(d.members.count) active member(s); the broker refuses resets until they leave",
                    x: 0,
                    y: y + 1, role: .warning)
            }
        case .preview(_, let plan), .applying(_, let plan):
            let table = Table(previewColumns(g), width: buffer.width - 2)
            table.drawHeader(into: &buffer, y: y)
            y += 1
            if plan.isEmpty {
                buffer.write("  nothing to reset: the group has no committed offsets", x: 0, y: y, role: .dim)
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
        }
        if let error = reset.error {
            buffer.write("  " + error, x: 0, y: bottom - 2, role: .error, bold: true, maxWidth: buffer.width)
        }
    }
}
