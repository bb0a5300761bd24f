import AdminProtocol
import SkiffText
import TopicConfigRules

/// The dialogs over the topic screen (config editor, add partitions, delete records): a panel
/// from under the topic's summary line to the hint line.
enum DialogsView {
    static let labelWidth = 12
    static let fieldX = 14

    static func render(_ state: AppState, layout: Layout, into buffer: inout ScreenBuffer) {
        guard let dialog = state.dialog else { return }
        let top = layout.contentTop + 1
        let bottom = layout.contentBottom
        let g = buffer.glyphs
        buffer.fill(x: 0, y: top, width: buffer.width, height: bottom - top, role: .normal)
        buffer.fill(x: 0, y: top, width: buffer.width, height: 1, role: .border, character: g.horizontalLine)
        let description = state.topic?.description.flatMap { $0.name == dialog.topic ? $0 : nil }
        switch dialog {
        case .editConfig(let e):
            buffer.write(
                " Config of '\(e.topic)' (* = set on this topic) ", x: 2, y: top, role: .border, bold: true)
            configEditor(e, entries: description?.config ?? [], top: top + 1, bottom: bottom, into: &buffer)
        case .addPartitions(let a):
            buffer.write(" Add partitions to '\(a.topic)' ", x: 2, y: top, role: .border, bold: true)
            addPartitions(a, top: top + 1, into: &buffer)
        case .deleteRecords(let r):
            buffer.write(" Delete records of '\(r.topic)' ", x: 2, y: top, role: .border, bold: true)
            deleteRecords(r, partitions: description?.partitions ?? [], top: top + 1, bottom: bottom, into: &buffer)
        }
    }

    static func label(_ text: String, focused: Bool, y: Int, into buffer: inout ScreenBuffer) {
        buffer.write(
            (focused ? buffer.glyphs.focus + " " : "  ") + DisplayWidth.pad(text, to: labelWidth), x: 0, y: y,
            role: focused ? .key : .header, bold: true)
    }

    /// `✗ problem` in the error colour, or `text` in `role`.
    static func note(
        _ problem: String?, _ text: String, role: StyleRole = .dim, x: Int, y: Int, into buffer: inout ScreenBuffer
    ) {
        if let problem {
            buffer.write(
                buffer.glyphs.problem + " " + problem, x: x, y: y, role: .error, bold: true,
                maxWidth: buffer.width - x - 1)
        } else {
            buffer.write(text, x: x, y: y, role: role, maxWidth: buffer.width - x - 1)
        }
    }

    /// What a config value means, for the note next to it: `= 7d`, `= 1.0 GiB`.
    static func meaning(_ value: String, key: String) -> String? {
        Format.configMeaning(value.trimmingSpaces, key: key).map { "= " + $0.text }
    }

    static func configEditor(
        _ e: ConfigEditor, entries: [ConfigEntry], top: Int, bottom: Int, into buffer: inout ScreenBuffer
    ) {
        let g = buffer.glyphs
        let keyWidth = max(24, (entries.map { DisplayWidth.of($0.key) }.max() ?? 0) + 2)
        let valueX = 2 + 1 + keyWidth
        buffer.write(
            "  " + DisplayWidth.pad(" KEY", to: keyWidth + 1) + "VALUE", x: 0, y: top, role: .header, bold: true)
        // Rows for the list; the editing area takes the last four rows.
        let listTop = top + 1
        let rows = max(1, bottom - 5 - listTop)
        let selected = entries.firstIndex { $0.key == e.selectedKey } ?? 0
        let first = min(max(0, selected - rows + 1), max(0, entries.count - rows))
        for (i, entry) in entries.enumerated().dropFirst(first).prefix(rows) {
            let y = listTop + i - first
            let isSelected = i == selected
            let marker = isSelected ? g.focus : " "
            buffer.write(
                "\(marker) " + (entry.isDefault ? " " : "*") + DisplayWidth.pad(entry.key, to: keyWidth), x: 0, y: y,
                role: isSelected ? .key : (entry.isDefault ? .normal : .warning), bold: isSelected || !entry.isDefault)
            buffer.write(
                Format.configValue(entry.value, key: entry.key), x: valueX, y: y,
                role: entry.isDefault ? .dim : .warning, maxWidth: buffer.width - valueX - 1)
        }
        if entries.isEmpty {
            buffer.write("  loading the config" + g.ellipsis, x: 0, y: listTop, role: .dim)
        }
        var y = bottom - 4
        buffer.fill(x: 0, y: y, width: buffer.width, height: 1, role: .border, character: g.horizontalLine)
        y += 1
        let rule = TopicConfigKeys.key(e.selectedKey)
        if let field = e.editing {
            label("new value", focused: true, y: y, into: &buffer)
            let width = 24
            FormsView.field(field, focused: true, untouched: e.untouched, x: fieldX, width: width, y: y, into: &buffer)
            let problem = ConfigEditor.problem(key: e.selectedKey, value: field.text)
            note(
                problem, meaning(field.text, key: e.selectedKey) ?? (rule == nil ? "checked by the broker" : "\(g.ok)"),
                role: .good, x: fieldX + width + 2, y: y, into: &buffer)
        } else {
            buffer.write(
                "  " + g.joined(["Enter edits \(e.selectedKey)", "d returns it to the broker default"]), x: 0, y: y,
                role: .dim, maxWidth: buffer.width - 1)
        }
        y += 1
        // The key's meaning wraps onto the status line when that line is free; otherwise it is cut
        // with an ellipsis (a cut mid-word read as the whole sentence).
        let hasStatus = e.askingToDiscard || e.submitting || e.error != nil
        let meaning =
            rule.map { "\(e.selectedKey) takes \($0.accepted) \(g.separator) \($0.summary)" }
            ?? "\(e.selectedKey): checked by the broker"
        var meaningLines = DisplayWidth.wrap(meaning, width: max(1, buffer.width - 3))
        let room = hasStatus ? 1 : 2
        if meaningLines.count > room {
            let rest = meaningLines[(room - 1)...].joined(separator: " ")
            meaningLines = Array(meaningLines.prefix(room - 1))
            meaningLines.append(DisplayWidth.truncate(rest, to: max(1, buffer.width - 3), ellipsis: g.ellipsis))
        }
        for (i, line) in meaningLines.enumerated() {
            buffer.write("  " + line, x: 0, y: y + i, role: .dim, maxWidth: buffer.width - 1)
        }
        y += 1
        if e.askingToDiscard {
            FormsView.discardQuestion(x: 2, y: y, into: &buffer)
        } else if e.submitting {
            buffer.write("  changing \(e.selectedKey)" + g.ellipsis, x: 0, y: y, role: .dim)
        } else if let error = e.error {
            buffer.write("  \(g.problem) " + error, x: 0, y: y, role: .error, bold: true, maxWidth: buffer.width - 1)
        }
    }

    static func addPartitions(_ a: AddPartitionsDialog, top: Int, into buffer: inout ScreenBuffer) {
        let g = buffer.glyphs
        var y = top
        label("partitions", focused: true, y: y, into: &buffer)
        FormsView.field(a.count, focused: true, untouched: a.untouched, x: fieldX, width: 10, y: y, into: &buffer)
        switch a.total {
        case .failure(let problem):
            note(problem.message, "", x: fieldX + 12, y: y, into: &buffer)
        case .success(let n):
            let added = n - a.current == 1 ? "partition \(a.current)" : "partitions \(a.current)\(g.range)\(n - 1)"
            note(
                nil, "\(g.ok) \(a.current) \(g.arrow) \(n): adds \(added)", role: .good, x: fieldX + 12, y: y,
                into: &buffer)
        }
        y += 2
        buffer.write(
            "  keys may move to other partitions (murmur2 of the new count); there is no way back",
            x: 0, y: y, role: .warning, maxWidth: buffer.width - 1)
        y += 2
        if a.submitting {
            buffer.write("  adding partitions" + g.ellipsis, x: 0, y: y, role: .dim)
        } else if let error = a.error {
            buffer.write("  \(g.problem) " + error, x: 0, y: y, role: .error, bold: true, maxWidth: buffer.width - 1)
        } else {
            buffer.write("  Enter adds them \(g.separator) Esc cancels", x: 0, y: y, role: .dim)
        }
    }

    static func deleteRecords(
        _ r: DeleteRecordsDialog, partitions: [PartitionInfo], top: Int, bottom: Int, into buffer: inout ScreenBuffer
    ) {
        let g = buffer.glyphs
        var y = top
        label("partitions", focused: r.focus == .partitions, y: y, into: &buffer)
        var x = fieldX
        for (text, chosen) in [
            ("partition \(r.cursorPartition)", !r.allPartitions),
            ("all \(partitions.count) partitions", r.allPartitions),
        ] {
            x += buffer.write(
                chosen ? "\(g.choiceOpen)\(text)\(g.choiceClose)" : " \(text) ", x: x, y: y,
                role: chosen ? (r.focus == .partitions ? .selection : .key) : .normal)
            x += 1
        }
        buffer.write("  \(g.leftKey) \(g.rightKey) choose", x: x, y: y, role: .dim)
        y += 1
        label("before", focused: r.focus == .before, y: y, into: &buffer)
        let width = 16
        FormsView.field(
            r.before, focused: r.focus == .before, untouched: r.untouched, x: fieldX, width: width, y: y, into: &buffer)
        let plan = r.plan(partitions)
        var problem: String?
        if case .failure(let p) = plan { problem = p.message }
        note(
            problem, "records before this offset are deleted; end = all", x: fieldX + width + 2, y: y, into: &buffer)
        y += 2
        if case .success(let steps) = plan {
            for step in steps.prefix(max(0, bottom - y - 3)) {
                let text =
                    step.deleted == 0
                    ? "partition \(step.partition): nothing to delete (it starts at offset \(step.low))"
                    : "partition \(step.partition): offsets \(step.low)\(g.range)\(step.newLow - 1) go (\(Format.count(step.deleted)) records); it then starts at \(step.newLow)"
                buffer.write(
                    "  " + text, x: 0, y: y, role: step.deleted == 0 ? .dim : .warning, maxWidth: buffer.width - 1)
                y += 1
            }
        }
        if r.submitting {
            buffer.write("  deleting records" + g.ellipsis, x: 0, y: bottom - 2, role: .dim)
        } else if let error = r.error {
            buffer.write(
                "  \(g.problem) " + error, x: 0, y: bottom - 2, role: .error, bold: true, maxWidth: buffer.width - 1)
        }
        buffer.write(
            "  Enter asks you to type '\(r.topic)' to confirm; nothing is deleted before that", x: 0, y: bottom - 1,
            role: .key, bold: true, maxWidth: buffer.width - 1)
    }
}
