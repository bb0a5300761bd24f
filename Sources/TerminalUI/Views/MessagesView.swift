import AdminProtocol
import SkiffText

/// Records of one partition (or all, merged by time), with the detail pane.
enum MessagesView {
    static func columns(allPartitions: Bool, zone: String = "UTC") -> [Column] {
        var c = [Column("OFFSET", 10, min: 8, right: true)]
        if allPartitions { c.append(Column("PARTITION", 9, right: true)) }
        c += [
            Column("TIMESTAMP " + zone, 23, min: 19), Column("KEY", 16, min: 8), Column("VALUE", 10, flex: 1),
            Column("HEADERS", 7, right: true),
        ]
        return c
    }

    /// One record's cells (the presenter).
    static func row(
        _ r: MessageRow, allPartitions: Bool, timestampWidth: Int, utcOffsetSeconds: Int,
        ellipsis: String = Glyphs.unicode.ellipsis, marked: String? = nil
    ) -> [TableCell] {
        var cells = [marked.map { TableCell($0 + String(r.record.offset), .key) } ?? TableCell(String(r.record.offset))]
        if allPartitions { cells.append(TableCell(String(r.partition))) }
        cells += [
            TableCell(
                TopicView.fitTimestamp(r.record.timestampMs, width: timestampWidth, utcOffsetSeconds: utcOffsetSeconds),
                .dim),
            TableCell(r.keyPreview + (r.keyIsCut ? ellipsis : ""), r.record.key == nil ? .dim : nil),
            TableCell(r.valuePreview + (r.valueIsCut ? ellipsis : ""), r.record.value == nil ? .dim : nil),
            TableCell(r.record.headers.isEmpty ? "-" : String(r.record.headers.count)),
        ]
        return cells
    }

    static func summary(_ m: MessagesState, glyphs g: Glyphs = .unicode) -> String {
        if let search = m.search { return searchSummary(search, m, glyphs: g) }
        var parts: [String] = []
        // First, so a narrow screen cuts the watermarks rather than the reason.
        if let ended = m.followEnded { parts.append("live tail ended: \(ended)") }
        // Paused or following comes next: what the view is doing matters more than where it is.
        if m.isFollowPaused {
            parts.append("paused, \(Format.count(m.pausedNew)) new (G or f resumes)")
        } else if m.follow {
            parts.append(m.followSubscription == nil ? "following (reconnecting)" : "\(g.live) following")
        }
        if let p = m.partition {
            var partition = ["partition \(p)"]
            if let w = m.watermarks[p] { partition += ["low \(w.low)", "high \(w.high)"] }
            if let r = m.ranges[p], r.end > r.start { partition.append("showing \(r.start)\(g.range)\(r.end - 1)") }
            parts.append(g.joined(partition))
        } else {
            parts.append("all \(m.partitionCount.map(String.init) ?? "?") partitions by time")
        }
        parts.append("\(m.rows.count) in window")
        let newer = m.shownPartitions.reduce(Int64(0)) { sum, p in
            guard let r = m.ranges[p], let w = m.watermarks[p] else { return sum }
            return sum + max(0, w.high - r.end)
        }
        if m.pending != nil {
            parts.append("loading" + g.ellipsis)
        } else if newer > 0 {
            parts.append("\(Format.count(newer)) newer")
        } else {
            parts.append("at the end")
        }
        if let mark = m.mark { parts.append("mark at \(mark.partition)/\(mark.offset) (w saves, Space unmarks)") }
        if !m.filter.isEmpty { parts.append("filter \"\(m.filter)\": \(m.visible.count) of \(m.rows.count) in window") }
        return g.joined(parts)
    }

    /// `search key=AAPL → partition 2 (murmur2 % 3) · ████░░░░ 48% · 9,600 of 20,000 offsets · 37 matches · Esc cancels`
    static func searchSummary(_ search: MessagesState.BrokerSearch, _ m: MessagesState, glyphs g: Glyphs) -> String {
        var parts = ["search " + search.label]
        if let p = search.keyPartition {
            parts[0] += " \(g.arrow) partition \(p) (murmur2 % \(m.partitionCount ?? 0))"
        } else if let p = m.partition {
            parts[0] += " in partition \(p)"
        }
        let matches = Format.plural(search.matches, "match", "matches")
        if let done = search.done {
            let scope = "\(Format.count(search.scannedOffsets)) offsets searched"
            parts.append(done.complete ? "done: \(scope)" : "stopped: \(done.reason); \(scope)")
            parts.append(
                search.matches > Int64(m.rows.count) ? "\(matches), the newest \(m.rows.count) shown" : matches)
            parts.append("Esc leaves")
        } else {
            if let total = search.totalOffsets, total > 0 {
                let fraction = min(1, Double(search.scannedOffsets) / Double(total))
                parts.append("\(progressBar(fraction, width: 10, glyphs: g)) \(Int(fraction * 100))%")
                parts.append("\(Format.count(search.scannedOffsets)) of \(Format.count(total)) offsets")
            } else {
                parts.append("searching" + g.ellipsis)
            }
            parts.append(matches)
            parts.append("Esc cancels")
        }
        return g.joined(parts)
    }

    /// A bar `width` cells wide, `fraction` of it full (eighths with the block glyphs).
    static func progressBar(_ fraction: Double, width: Int, glyphs g: Glyphs) -> String {
        let eighths = Int((max(0, min(1, fraction)) * Double(width * 8)).rounded(.down))
        let full = eighths / 8
        var bar = String(repeating: g.progressFull, count: full)
        if full < width {
            let rest = eighths % 8
            bar += rest > 0 && g.progressPartials.count == 7 ? String(g.progressPartials[rest - 1]) : g.progressEmpty
            bar += String(repeating: g.progressEmpty, count: width - full - 1)
        }
        return bar
    }

    static func render(_ state: AppState, layout: Layout, into buffer: inout ScreenBuffer) {
        guard let m = state.messages else { return }
        let g = MessagesGeometry(layout: layout, detailOpen: m.detailOpen)
        Chrome.summary(summary(m, glyphs: buffer.glyphs), y: g.summaryRow, into: &buffer)
        let all = m.partition == nil
        let table = Table(
            columns(allPartitions: all, zone: Format.zone(utcOffsetSeconds: state.utcOffsetSeconds)),
            width: buffer.width - 2)
        table.drawHeader(into: &buffer, y: g.headerRow)
        let timestampWidth = table.widths[all ? 2 : 1]
        if m.visible.isEmpty && m.pending == nil && m.search?.subscription == nil {
            let text: String
            if m.waitingForPartitions {
                text = "loading the topic" + buffer.glyphs.ellipsis
            } else if !m.filter.isEmpty {
                text = "no record in the window matches \"\(m.filter)\"; PgUp/PgDn fetch more"
            } else if let search = m.search {
                text =
                    search.keyPartition != nil
                    ? "not found: no record with this key in partition \(search.keyPartition!)"
                    : "not found: no record matches \(search.label) in the searched range"
            } else {
                text = "no records here; f follows new ones, p publishes one"
            }
            buffer.write("  " + text, x: 0, y: g.rowsTop, role: .dim)
        }
        let ellipsis = buffer.glyphs.ellipsis
        let marked = state.markedRange()
        let markGlyph = buffer.glyphs.focus
        table.drawRows(
            count: m.visible.count, cursor: m.cursor, scroll: m.scroll, top: g.rowsTop, height: g.rows, into: &buffer
        ) {
            row(
                m.rows[m.visible[$0]], allPartitions: all, timestampWidth: timestampWidth,
                utcOffsetSeconds: state.utcOffsetSeconds, ellipsis: ellipsis,
                marked: marked?.contains($0) == true ? markGlyph : nil)
        }
        if m.detailOpen {
            renderDetail(m, geometry: g, utcOffsetSeconds: state.utcOffsetSeconds, into: &buffer)
        }
    }

    static func renderDetail(
        _ m: MessagesState, geometry g: MessagesGeometry, utcOffsetSeconds: Int, into buffer: inout ScreenBuffer
    ) {
        let top = g.detailTop
        let glyphs = buffer.glyphs
        buffer.fill(x: 0, y: top, width: buffer.width, height: 1, role: .border, character: glyphs.horizontalLine)
        guard let row = m.selected else {
            buffer.write(" no record selected ", x: 2, y: top, role: .border)
            return
        }
        let detail =
            m.detail
            ?? DetailText(
                partition: row.partition, record: row.record, format: m.format, keyAsHex: m.keyAsHex,
                width: buffer.width, ellipsis: glyphs.ellipsis)
        let rows = g.detailHeight - 1
        let start = clampedScroll(m.detailScroll, lines: detail.lines.count, rows: rows)
        let title = detailTitle(
            row, detail: detail, start: start, rows: rows, utcOffsetSeconds: utcOffsetSeconds, glyphs: glyphs,
            width: buffer.width - 4)
        buffer.write(title, x: 2, y: top, role: .border, bold: true, maxWidth: buffer.width - 4)
        drawDetailLines(detail, from: start, top: top + 1, rows: rows, into: &buffer)
    }

    /// The first line shown when `scroll` is asked for: the last page ends at the last line.
    static func clampedScroll(_ scroll: Int, lines: Int, rows: Int) -> Int {
        max(0, min(scroll, lines - max(1, rows)))
    }

    /// ` partition 1 · offset 1995 · 2026-12-02 10:15:00.123 UTC (CreateTime) · lines 1–12 of 40 `:
    /// the record's timestamp type (when the broker said which) follows its time while the title
    /// fits in `width` with it; short of room it is left out before anything else.
    static func detailTitle(
        _ row: MessageRow, detail: DetailText, start: Int, rows: Int, utcOffsetSeconds: Int, glyphs: Glyphs,
        width: Int = .max
    ) -> String {
        let time =
            Format.timestamp(row.record.timestampMs, utcOffsetSeconds: utcOffsetSeconds) + " "
            + Format.zone(utcOffsetSeconds: utcOffsetSeconds)
        var lines: [String] = []
        if detail.lines.count > rows {
            let last = min(detail.lines.count, start + rows)
            lines.append("lines \(start + 1)\(glyphs.range)\(last) of \(Format.count(detail.lines.count))")
        }
        func title(_ time: String) -> String {
            " " + glyphs.joined(["partition \(row.partition)", "offset \(row.record.offset)", time] + lines) + " "
        }
        if let type = row.record.timestampType {
            let typed = title(time + " (\(type))")
            if DisplayWidth.of(typed) <= width { return typed }
        }
        return title(time)
    }

    /// `rows` lines of `detail` from line `start`, from row `top` down.
    static func drawDetailLines(
        _ detail: DetailText, from start: Int, top: Int, rows: Int, into buffer: inout ScreenBuffer
    ) {
        guard rows > 0, start < detail.lines.count else { return }
        let labelWidth = DetailText.labelWidth
        for (i, line) in detail.lines[start...].prefix(rows).enumerated() {
            let y = top + i
            let isValue = start + i >= detail.valueStart
            var x = 1
            if !isValue {
                if !line.label.isEmpty { buffer.write(" " + line.label, x: 0, y: y, role: .header, bold: true) }
                x = labelWidth
            }
            let role: StyleRole = line.isDim ? .dim : .normal
            let used = buffer.write(line.text, x: x, y: y, role: role, maxWidth: buffer.width - x)
            if !line.note.isEmpty {
                buffer.write("  " + line.note, x: x + used, y: y, role: .dim, maxWidth: buffer.width - x - used)
            }
        }
    }
}
