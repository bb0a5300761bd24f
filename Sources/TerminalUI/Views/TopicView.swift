import AdminProtocol
import SkiffText

/// One topic: summary, config grid (topic overrides highlighted), partition table, consuming groups.
enum TopicView {
    static let partitionColumns = [
        Column("PARTITION", short: "PART", right: true, priority: 9),
        Column("LEADER", right: true, priority: 1),
        Column("REPLICAS", short: "REPL", priority: 1),
        Column("ISR", priority: 2),
        Column("LOW", right: true, priority: 6),
        Column("HIGH", right: true, priority: 7),
        Column("MESSAGES", short: "MSGS", right: true, priority: 8),
        Column("SIZE", right: true, priority: 5),
        Column("FIRST", priority: 3),
        Column("LAST", priority: 4),
    ]
    static let groupColumns = [
        Column("CONSUMING GROUP", short: "GROUP", cut: .middle, min: 12, flex: 1, priority: 9),
        Column("STATE", cut: .end, min: 6, priority: 5),
        Column("LAG", right: true, priority: 8),
    ]

    /// One partition row's cells (the presenter); timestamps come in shorter forms for narrow columns.
    static func row(_ p: PartitionInfo, utcOffsetSeconds: Int) -> [TableCell] {
        [
            TableCell(String(p.partition)),
            TableCell(String(p.leader)),
            TableCell(p.replicas.map(String.init).joined(separator: ",")),
            TableCell(
                p.inSyncReplicas.map(String.init).joined(separator: ","),
                p.inSyncReplicas.count < p.replicas.count ? .warning : nil),
            TableCell(String(p.logStartOffset)),
            TableCell(String(p.highWatermark)),
            TableCell(Format.count(p.highWatermark - p.logStartOffset)),
            TableCell(Format.bytes(p.sizeBytes)),
            timestampCell(p.firstTimestampMs, utcOffsetSeconds: utcOffsetSeconds),
            timestampCell(p.lastTimestampMs, utcOffsetSeconds: utcOffsetSeconds),
        ]
    }

    /// The most detailed timestamp that fits `width`.
    static func fitTimestamp(_ ms: Int64, width: Int, utcOffsetSeconds: Int) -> String {
        let cell = timestampCell(ms, utcOffsetSeconds: utcOffsetSeconds)
        return cell.form(fitting: width) ?? cell.forms.last!
    }

    /// A timestamp with its shorter forms: to the second, without the year, the time alone.
    static func timestampCell(_ ms: Int64, utcOffsetSeconds: Int) -> TableCell {
        let full = Format.timestamp(ms, utcOffsetSeconds: utcOffsetSeconds)
        guard ms >= 0 else { return TableCell(full, .dim) }
        return TableCell(
            full, .dim,
            shorter: [
                String(full.prefix(19)), String(full.dropFirst(5).prefix(14)), String(full.dropFirst(11).prefix(8)),
            ]
        )
    }

    /// A config entry's ways to show, most informative first: `*retention.ms=3600000 (1h)` (`*` =
    /// set on this topic), then `segment.bytes=1 GiB` when the meaning alone says it exactly, then
    /// the plain value.
    static func configForms(_ entry: ConfigEntry) -> [String] {
        let prefix = (entry.isDefault ? " " : "*") + entry.key + "="
        var forms = [prefix + Format.configValue(entry.value, key: entry.key)]
        if let meaning = Format.configMeaning(entry.value, key: entry.key), meaning.isExact {
            forms.append(prefix + meaning.text)
        }
        if forms[0] != prefix + entry.value { forms.append(prefix + entry.value) }
        return forms
    }

    /// A config grid cell in `width` columns: the first of ``configForms(_:)`` that fits; where
    /// none does, the key is cut in the middle so the value stays whole (a value wider than the
    /// cell itself is cut at its end).
    static func configCell(_ entry: ConfigEntry, width: Int, ellipsis: String = Glyphs.unicode.ellipsis) -> String {
        let forms = configForms(entry)
        if let fitting = forms.first(where: { DisplayWidth.of($0) <= width }) { return fitting }
        let value = "=" + String(forms[forms.count - 1].split(separator: "=", maxSplits: 1).last ?? "")
        let room = width - DisplayWidth.of(value) - 1
        guard room >= DisplayWidth.of(ellipsis) + 2 else {
            return DisplayWidth.truncate(forms[forms.count - 1], to: width, ellipsis: ellipsis)
        }
        let key = (entry.isDefault ? " " : "*") + entry.key
        return DisplayWidth.truncate(key, to: room + 1, at: .middle, ellipsis: ellipsis) + value
    }

    static func render(_ state: AppState, layout: Layout, into buffer: inout ScreenBuffer) {
        guard let t = state.topic else { return }
        let g = buffer.glyphs
        let geometry = TopicGeometry(layout: layout, description: t.description)
        guard let d = t.description else {
            Chrome.summary(
                t.error.map { "cannot describe '\(t.name)': \($0)" } ?? "loading topic '\(t.name)'\(g.ellipsis)",
                y: geometry.summaryRow, into: &buffer)
            return
        }
        let messages = d.partitions.reduce(Int64(0)) { $0 + $1.highWatermark - $1.logStartOffset }
        let size = d.partitions.reduce(Int64(0)) { $0 + $1.sizeBytes }
        var parts = [
            d.name, Format.plural(d.partitions.count, "partition"), Format.plural(Int(messages), "message"),
            Format.bytes(size),
        ]
        if d.isInternal { parts.append("internal") }
        parts += ["id \(d.topicId)", "* = set on this topic"]
        // Where it is too long: the legend goes first, then the id.
        Chrome.summary(parts, dropping: [parts.count - 1, parts.count - 2], y: geometry.summaryRow, into: &buffer)

        // Config grid, non-default values highlighted.
        let grid = geometry.config
        for (i, entry) in d.config.prefix(grid.rows * grid.columns).enumerated() {
            let column = i % grid.columns
            buffer.write(
                configCell(entry, width: grid.widths[column], ellipsis: g.ellipsis), x: 1 + grid.x(column),
                y: geometry.configTop + i / grid.columns, role: entry.isDefault ? .dim : .warning,
                bold: !entry.isDefault, maxWidth: grid.widths[column])
        }

        let page = Table.page(
            count: d.partitions.count, cursor: t.cursor, scroll: t.scroll, height: geometry.partitionRows)
        let rows = page.rows.map { row(d.partitions[$0], utcOffsetSeconds: state.utcOffsetSeconds) }
        var table = Table(
            partitionColumns, rows: rows, width: buffer.width - 2, gap: 1,
            position: Table.position(cursor: page.cursor, count: d.partitions.count, height: geometry.partitionRows))
        // FIRST and LAST in the same form, so they read side by side (the narrower one's).
        if table.shown[8] && table.shown[9] { table.widths[8] = min(table.widths[8], table.widths[9]) }
        if table.shown[8] && table.shown[9] { table.widths[9] = table.widths[8] }
        table.drawHeader(into: &buffer, y: geometry.partitionHeaderRow)
        table.drawRows(
            rows, first: page.rows.lowerBound, selected: t.groupsFocused ? nil : page.cursor,
            top: geometry.partitionRowsTop, into: &buffer)

        // The consuming groups: a list of their own, Tab (or moving on past the last partition)
        // takes the cursor there, Enter opens the group.
        let groupPage = Table.page(
            count: d.consumerGroups.count, cursor: t.groupCursor, scroll: t.groupScroll, height: geometry.groupRows)
        let groupRows = groupPage.rows.map { i -> [TableCell] in
            let group = d.consumerGroups[i]
            return [
                TableCell(group.groupId), TableCell(group.state, GroupsView.stateRole(group.state)),
                TableCell(Format.count(group.lag), group.lag > 0 ? .warning : .good),
            ]
        }
        let groups = Table(
            groupColumns, rows: groupRows, width: buffer.width - 2,
            position: Table.position(
                cursor: groupPage.cursor, count: d.consumerGroups.count, height: geometry.groupRows))
        groups.drawHeader(into: &buffer, y: geometry.groupsHeaderRow)
        if d.consumerGroups.isEmpty {
            buffer.write(
                "  no consumer group has offsets on this topic", x: 0, y: geometry.groupsHeaderRow + 1, role: .dim)
        }
        groups.drawRows(
            groupRows, first: groupPage.rows.lowerBound, selected: t.groupsFocused ? groupPage.cursor : nil,
            top: geometry.groupsHeaderRow + 1, into: &buffer)
    }
}

/// The config grid of the topic screen: as many columns as let every entry show its value with
/// its meaning (`retention.ms=604800000 (7d)`), in at most ``maxRows`` rows; where no count of
/// columns does, as many as let every entry show at least its shortest form, the column widths
/// shared by need; as a last resort, keys cut in the middle.
struct ConfigGrid: Hashable {
    /// The most rows the grid takes: the broker's 11 keys in two columns, which is what 80
    /// columns hold whole.
    static let maxRows = 6
    /// Columns between grid columns.
    static let gap = 2
    var columns: Int
    var rows: Int
    var widths: [Int]

    /// The x of grid column `i`, from the grid's left edge.
    func x(_ i: Int) -> Int { widths[..<i].reduce(0, +) + Self.gap * i }

    /// The grid for `entries` in `width` columns.
    init(_ entries: [ConfigEntry], width: Int) {
        let n = entries.count
        guard n > 0 else {
            (columns, rows, widths) = (1, 0, [width])
            return
        }
        let forms = entries.map { TopicView.configForms($0).map(DisplayWidth.of) }
        let most = Swift.min(n, 5)
        func widest(_ c: Int, _ pick: ([Int]) -> Int) -> [Int] {
            (0..<c).map { j in stride(from: j, to: n, by: c).map { pick(forms[$0]) }.max() ?? 0 }
        }
        func room(_ c: Int) -> Int { width - Self.gap * (c - 1) }
        let counts = (1...most).reversed().filter { (n + $0 - 1) / $0 <= Self.maxRows }
        // Every entry in full, in the fewest rows.
        for c in counts {
            let need = widest(c) { $0[0] }
            if need.reduce(0, +) <= room(c) {
                var w = need
                w[c - 1] += room(c) - need.reduce(0, +)
                (columns, rows, widths) = (c, (n + c - 1) / c, w)
                return
            }
        }
        // Every entry in at least its shortest form; the width goes to the columns that need it.
        for c in counts {
            let floor = widest(c) { $0.min()! }
            guard floor.reduce(0, +) <= room(c) else { continue }
            let need = widest(c) { $0[0] }
            var w = floor
            var spare = room(c) - floor.reduce(0, +)
            while spare > 0, let j = (0..<c).filter({ w[$0] < need[$0] }).min(by: { w[$0] < w[$1] }) {
                w[j] += 1
                spare -= 1
            }
            w[c - 1] += spare
            (columns, rows, widths) = (c, (n + c - 1) / c, w)
            return
        }
        let c = counts.last ?? most
        let each = Swift.max(1, (room(c)) / c)
        (columns, rows, widths) = (c, Swift.min(Self.maxRows, (n + c - 1) / c), Array(repeating: each, count: c))
    }
}

/// The broker: identity, uptime, disk, connections, rates.
enum BrokerView {
    static func render(_ state: AppState, layout: Layout, into buffer: inout ScreenBuffer) {
        let top = layout.contentTop
        guard let info = state.broker.info else {
            Chrome.summary("loading broker information" + buffer.glyphs.ellipsis, y: top, into: &buffer)
            return
        }
        Chrome.summary("broker \(info.brokerId) at \(state.context.brokerAddress)", y: top, into: &buffer)
        let offset = state.utcOffsetSeconds
        var disk = "-"
        if info.diskTotalBytes >= 0 && info.diskFreeBytes >= 0 {
            disk =
                "\(Format.bytes(info.diskTotalBytes - info.diskFreeBytes)) used of \(Format.bytes(info.diskTotalBytes)) (\(Format.bytes(info.diskFreeBytes)) free)"
        }
        let rows: [(String, String, String?)] = [
            ("id", String(info.brokerId), nil),
            ("version", info.brokerVersion, nil),
            (
                "kafka clients",
                info.kafkaListener.isEmpty
                    ? "no Kafka listener" : "\(info.kafkaListener) (kcat -b \(info.kafkaListener) -L)",
                nil
            ),
            ("started", Format.timestamp(info.startedAtMs, utcOffsetSeconds: offset), nil),
            ("uptime", Format.uptime(milliseconds: info.uptimeMs), nil),
            ("data directory", info.dataDirectory, nil),
            ("data size", Format.bytes(info.dataSizeBytes), nil),
            ("disk", disk, nil),
            ("connections", Format.count(Int(info.connectionCount)), nil),
            (
                "topics",
                "\(Format.count(Int(info.topicCount))) (\(Format.plural(Int(info.partitionCount), "partition")))", nil
            ),
            ("consumer groups", Format.count(Int(info.groupCount)), nil),
            (
                "produce rate", Format.rate(info.produceRate),
                Sparkline.render(state.broker.produceHistory, width: 30, bars: buffer.glyphs.bars)
            ),
            (
                "fetch rate", Format.rate(info.fetchRate),
                Sparkline.render(state.broker.fetchHistory, width: 30, bars: buffer.glyphs.bars)
            ),
            ("produced", Format.plural(Int(info.producedRecords), "record") + " since start", nil),
            ("fetched", Format.plural(Int(info.fetchedRecords), "record") + " since start", nil),
        ]
        var rows2 = rows
        if let storage = state.broker.storage {
            let limit =
                storage.openFileLimit >= 0 ? ", descriptor limit \(Format.count(Int64(storage.openFileLimit)))" : ""
            rows2.append(
                (
                    "open files",
                    "\(Format.count(Int64(storage.openSegmentFiles))) of \(Format.count(Int64(storage.segmentFileLimit))) segment files\(limit)",
                    nil
                ))
            if storage.diskReserveBytes > 0 {
                rows2.append(
                    (
                        "disk reserve",
                        storage.diskReserveHeld
                            ? "\(Format.bytes(storage.diskReserveBytes)) kept for deletes on a full disk"
                            : "used up: taken again once the disk has \(Format.bytes(2 * storage.diskReserveBytes)) free",
                        nil
                    ))
            }
        }
        var y = top + 2
        for (label, value, spark) in rows2 {
            guard y < layout.contentBottom else { return }
            buffer.write(DisplayWidth.pad(label, to: 18), x: 2, y: y, role: .header, bold: true)
            let used = buffer.write(value, x: 20, y: y, maxWidth: buffer.width - 22)
            if let spark { buffer.write(spark, x: 20 + max(used, 12) + 2, y: y, role: .dim) }
            y += 1
        }
        guard let notices = state.broker.storage?.notices, !notices.isEmpty, y + 2 < layout.contentBottom else {
            return
        }
        y += 1
        buffer.write(
            "storage notices (\(Format.count(notices.count))): what the broker found on disk and did; see its log",
            x: 2, y: y, role: .warning, bold: true, maxWidth: buffer.width - 4)
        y += 1
        // Newest first, each wrapped over as many lines as it needs while there is room.
        for notice in notices.reversed() {
            let lines = DisplayWidth.wrap(
                buffer.glyphs.warning + " " + notice.message, width: max(10, buffer.width - 6))
            for (i, line) in lines.enumerated() {
                guard y < layout.contentBottom else { return }
                buffer.write(line, x: i == 0 ? 2 : 4, y: y, role: .warning, maxWidth: buffer.width - 4)
                y += 1
            }
        }
    }
}

/// The help screen, generated from the key map.
enum HelpView {
    static func render(_ state: AppState, layout: Layout, into buffer: inout ScreenBuffer) {
        let lines = HelpContent.lines(for: buffer.glyphs)
        let height = layout.contentHeight
        let scroll = min(state.helpScroll, max(0, lines.count - height))
        // Where the page is in the help: `1–26/88` at the right of its first row.
        var position = ""
        if lines.count > height {
            position =
                "\(scroll + 1)\(buffer.glyphs.range)\(min(lines.count, scroll + height))/\(Format.count(lines.count))"
            buffer.write(
                position, x: buffer.width - 1 - DisplayWidth.of(position), y: layout.contentTop, role: .dim)
        }
        for row in 0..<height {
            let i = scroll + row
            guard i < lines.count else { break }
            let room = row == 0 && !position.isEmpty ? buffer.width - DisplayWidth.of(position) - 3 : buffer.width
            buffer.write(
                " " + lines[i].text, x: 0, y: layout.contentTop + row, role: lines[i].role, bold: lines[i].bold,
                maxWidth: room)
        }
    }
}
