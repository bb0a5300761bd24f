import AdminProtocol
import SkiffText

/// One topic: summary, config grid (topic overrides highlighted), partition table, consuming groups.
enum TopicView {
    static let partitionColumns = [
        Column("PARTITION", 9, right: true), Column("LEADER", 6, right: true), Column("REPLICAS", 8),
        Column("ISR", 5, min: 3), Column("LOW", 7, min: 3, right: true), Column("HIGH", 7, min: 4, right: true),
        Column("MESSAGES", 9, min: 8, right: true), Column("SIZE", 9, min: 4, right: true),
        Column("FIRST", 14, min: 8, flex: 1), Column("LAST", 14, min: 8, flex: 1),
    ]
    static let groupColumns = [
        Column("CONSUMING GROUP", 20, flex: 1, cut: .middle), Column("STATE", 19, min: 11),
        Column("LAG", 12, right: true),
    ]

    /// One partition row's cells (the presenter); timestamps fit their column width.
    static func row(_ p: PartitionInfo, widths: [Int], utcOffsetSeconds: Int) -> [TableCell] {
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
            TableCell(fitTimestamp(p.firstTimestampMs, width: widths[8], utcOffsetSeconds: utcOffsetSeconds), .dim),
            TableCell(fitTimestamp(p.lastTimestampMs, width: widths[9], utcOffsetSeconds: utcOffsetSeconds), .dim),
        ]
    }

    /// The most detailed timestamp that fits `width`.
    static func fitTimestamp(_ ms: Int64, width: Int, utcOffsetSeconds: Int) -> String {
        let full = Format.timestamp(ms, utcOffsetSeconds: utcOffsetSeconds)
        if ms < 0 { return full }
        if width >= 23 { return full }
        if width >= 19 { return String(full.prefix(19)) }
        if width >= 14 { return String(full.dropFirst(5).prefix(14)) }
        return String(full.dropFirst(11).prefix(8))
    }

    /// A config grid cell: `*retention.ms=3600000 (1h)` (`*` = set on this topic); where that
    /// is too wide, `segment.bytes=1 GiB` when the meaning alone says it exactly, else the
    /// plain value, cut to `width`.
    static func configCell(_ entry: ConfigEntry, width: Int, ellipsis: String = Glyphs.unicode.ellipsis) -> String {
        let prefix = (entry.isDefault ? " " : "*") + entry.key + "="
        var candidates = [prefix + Format.configValue(entry.value, key: entry.key)]
        if let meaning = Format.configMeaning(entry.value, key: entry.key), meaning.isExact {
            candidates.append(prefix + meaning.text)
        }
        candidates.append(prefix + entry.value)
        let fitting = candidates.first { DisplayWidth.of($0) <= width } ?? candidates[candidates.count - 1]
        return DisplayWidth.truncate(fitting, to: width, ellipsis: ellipsis)
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
            d.name, Format.plural(d.partitions.count, "partition"), "\(Format.count(messages)) messages",
            Format.bytes(size),
        ]
        if d.isInternal { parts.append("internal") }
        parts += ["id \(d.topicId)", "* = set on this topic"]
        Chrome.summary(g.joined(parts), y: geometry.summaryRow, into: &buffer)

        // Config grid, non-default values highlighted.
        let cellWidth = (buffer.width - 2) / TopicGeometry.configColumns
        for (i, entry) in d.config.prefix(geometry.configRows * TopicGeometry.configColumns).enumerated() {
            let x = 1 + (i % TopicGeometry.configColumns) * cellWidth
            let y = geometry.configTop + i / TopicGeometry.configColumns
            buffer.write(
                configCell(entry, width: cellWidth - 1, ellipsis: g.ellipsis), x: x, y: y,
                role: entry.isDefault ? .dim : .warning,
                bold: !entry.isDefault)
        }

        let table = Table(partitionColumns, width: buffer.width - 2, gap: 1)
        table.drawHeader(into: &buffer, y: geometry.partitionHeaderRow)
        table.drawRows(
            count: d.partitions.count, cursor: t.cursor, scroll: t.scroll, top: geometry.partitionRowsTop,
            height: geometry.partitionRows, into: &buffer
        ) { row(d.partitions[$0], widths: table.widths, utcOffsetSeconds: state.utcOffsetSeconds) }

        let groups = Table(groupColumns, width: buffer.width - 2)
        groups.drawHeader(into: &buffer, y: geometry.groupsHeaderRow)
        if d.consumerGroups.isEmpty {
            buffer.write(
                "  no consumer group has offsets on this topic", x: 0, y: geometry.groupsHeaderRow + 1, role: .dim)
        }
        for (i, g) in d.consumerGroups.prefix(geometry.groupRows).enumerated() {
            var lagText = Format.count(g.lag)
            if i == geometry.groupRows - 1 && d.consumerGroups.count > geometry.groupRows {
                lagText += " (+\(d.consumerGroups.count - geometry.groupRows) more)"
            }
            groups.drawRow(
                [
                    TableCell(g.groupId), TableCell(g.state, GroupsView.stateRole(g.state)),
                    TableCell(lagText, g.lag > 0 ? .warning : .good),
                ],
                into: &buffer, y: geometry.groupsHeaderRow + 1 + i)
        }
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
            ("started", Format.timestamp(info.startedAtMs, utcOffsetSeconds: offset), nil),
            ("uptime", Format.uptime(milliseconds: info.uptimeMs), nil),
            ("data directory", info.dataDirectory, nil),
            ("data size", Format.bytes(info.dataSizeBytes), nil),
            ("disk", disk, nil),
            ("connections", String(info.connectionCount), nil),
            ("topics", "\(info.topicCount) (\(Format.count(Int64(info.partitionCount))) partitions)", nil),
            ("consumer groups", String(info.groupCount), nil),
            (
                "produce rate", Format.rate(info.produceRate),
                Sparkline.render(state.broker.produceHistory, width: 30, bars: buffer.glyphs.bars)
            ),
            (
                "fetch rate", Format.rate(info.fetchRate),
                Sparkline.render(state.broker.fetchHistory, width: 30, bars: buffer.glyphs.bars)
            ),
            ("produced", "\(Format.count(info.producedRecords)) records since start", nil),
            ("fetched", "\(Format.count(info.fetchedRecords)) records since start", nil),
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
            "storage notices (\(notices.count)): what the broker found on disk and did; see its log",
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
        for row in 0..<height {
            let i = scroll + row
            guard i < lines.count else { break }
            buffer.write(
                " " + lines[i].text, x: 0, y: layout.contentTop + row, role: lines[i].role, bold: lines[i].bold,
                maxWidth: buffer.width)
        }
    }
}
