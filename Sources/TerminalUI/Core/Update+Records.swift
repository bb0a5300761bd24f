import AdminClient
import AdminProtocol
import SkiffText

// Taking records away: the full-screen value view, copying to the clipboard, saving to a file,
// marking a range; and the key-as-hex and UTC toggles.

extension AppState {
    /// The most bytes `y` puts on the clipboard: terminals cap OSC 52 (xterm at about 100 KB of
    /// base64 by default, others at a few MB), and past this a file (`w`) is the better tool.
    static let maxClipboardBytes = 1 << 20

    /// The record the visible screen is about: the value view's, else the messages cursor's.
    var recordInView: MessageRow? {
        if case .value = route { return valueView?.row }
        return messages?.selected
    }

    /// Commands about the record in view.
    mutating func recordCommand(_ command: Command) -> [Effect] {
        switch command {
        case .fullScreenValue:
            guard let m = messages, let row = m.selected else {
                flash("no record selected", isError: true)
                return []
            }
            valueView = ValueViewState(row: row, format: m.format, keyAsHex: m.keyAsHex)
            return push(.value(partition: row.partition, offset: row.record.offset))
        case .toggleKeyHex:
            if case .value = route {
                valueView?.keyAsHex.toggle()
            } else {
                guard var m = messages else { return [] }
                m.keyAsHex.toggle()
                m.detailOpen = true
                messages = m
                reclampAll()
            }
            flash((valueView?.keyAsHex ?? messages?.keyAsHex ?? false) ? "key shown as hex" : "key shown as text")
        case .toggleUTC:
            timesInUTC.toggle()
            let zone = Format.zone(utcOffsetSeconds: utcOffsetSeconds)
            flash(timesInUTC ? "times in UTC (z: local time)" : "times in local time, \(zone) (z: UTC)")
        case .copy:
            guard recordInView != nil else {
                flash("no record selected", isError: true)
                return []
            }
            choosingCopy = true
            let range =
                markedRows().map { " · r \(Format.plural($0.count, "record")) as JSON lines" } ?? " · r record as JSON"
            flash("copy: v value · k key\(range) · Esc cancels")
        case .save:
            return openSavePrompt()
        case .markRange:
            return toggleMark()
        default: break
        }
        return []
    }

    /// The key after `y`: what to copy.
    mutating func copyChoice(_ key: Key) -> [Effect] {
        choosingCopy = false
        guard let row = recordInView, let topic = messages?.topic else { return [] }
        let bytes: [UInt8]
        let what: String
        switch key {
        case .character("v"), .character("y"):
            guard let value = row.record.value else {
                flash("the value is null (a tombstone): nothing to copy", isError: true)
                return []
            }
            if Payload.text(value) != nil {
                bytes = value
                what = "value"
            } else {
                bytes = Array(SafeText.escape(bytes: value).utf8)
                what = "value (binary, as escaped text)"
            }
        case .character("k"):
            guard let key = row.record.key else {
                flash("the key is null: nothing to copy", isError: true)
                return []
            }
            bytes = Payload.text(key) != nil ? key : Array(SafeText.escape(bytes: key).utf8)
            what = "key"
        case .character("r"):
            let rows = (route.kind == .messages ? markedRows() : nil) ?? [row]
            bytes = Array(
                rows.map { RecordJSON.line(topic: topic, partition: $0.partition, record: $0.record) + "\n" }
                    .joined().utf8)
            what = rows.count == 1 ? "record as JSON" : "\(Format.plural(rows.count, "record")) as JSON lines"
        default:
            flash("copy cancelled")
            return []
        }
        guard bytes.count <= Self.maxClipboardBytes else {
            flash(
                "the \(what) is \(Format.bytes(Int64(bytes.count))): too large for the clipboard "
                    + "(\(Format.bytes(Int64(Self.maxClipboardBytes))) at most); w saves it to a file",
                isError: true)
            return []
        }
        flash("copied the \(what), \(Format.bytes(Int64(bytes.count))), to the clipboard (OSC 52)")
        return [.copyToClipboard(bytes)]
    }

    /// `Space`: marks the selected record as one end of a range, or removes the mark.
    private mutating func toggleMark() -> [Effect] {
        guard var m = messages, let row = m.selected else { return [] }
        if m.mark != nil {
            m.mark = nil
            messages = m
            flash("mark removed")
            return []
        }
        m.mark = MessagesState.Mark(partition: row.partition, offset: row.record.offset)
        messages = m
        flash("marked offset \(row.record.offset): move to the range's other end, then w saves it (Space unmarks)")
        return []
    }

    /// The rows from the mark to the cursor, in display order; nil without a mark (or when the
    /// marked record left the window).
    func markedRows() -> [MessageRow]? {
        guard let m = messages, let range = markedRange() else { return nil }
        return range.map { m.rows[m.visible[$0]] }
    }

    /// The positions (in the visible rows) from the mark to the cursor; nil without a mark or
    /// when the marked record is not in the window.
    func markedRange() -> ClosedRange<Int>? {
        guard let m = messages, let mark = m.mark, m.visible.indices.contains(m.cursor),
            let marked = m.visible.firstIndex(where: {
                m.rows[$0].partition == mark.partition && m.rows[$0].record.offset == mark.offset
            })
        else { return nil }
        return min(marked, m.cursor)...max(marked, m.cursor)
    }

    /// `w`: asks where to save the record in view, or the marked range.
    private mutating func openSavePrompt() -> [Effect] {
        guard let m = messages, let row = recordInView else {
            flash("no record selected", isError: true)
            return []
        }
        let request: SaveRequest
        let name: String
        if route.kind == .messages, let mark = m.mark {
            if let partition = m.partition, m.search == nil, mark.partition == partition {
                // One partition: every offset between the mark and the cursor, read from the broker.
                let (from, to) = (min(mark.offset, row.record.offset), max(mark.offset, row.record.offset))
                request = .range(topic: m.topic, partition: partition, from: from, through: to)
                name = "\(m.topic)-p\(partition)-\(from)-\(to).jsonl"
            } else if let rows = markedRows() {
                request = .records(topic: m.topic, rows.map { SavedRecord(partition: $0.partition, record: $0.record) })
                name = "\(m.topic)-\(rows.count)-records.jsonl"
            } else {
                flash("the marked record left the window: Space marks again", isError: true)
                return []
            }
        } else {
            request = .records(topic: m.topic, [SavedRecord(partition: row.partition, record: row.record)])
            name = "\(m.topic)-p\(row.partition)-\(row.record.offset).jsonl"
        }
        prompt = Prompt(kind: .save(request), field: TextField(name))
        return []
    }

    /// Enter on the save prompt.
    mutating func acceptSave(_ request: SaveRequest, path: String) -> [Effect] {
        guard !path.isEmpty else {
            prompt?.error = "type a file name"
            return []
        }
        prompt = nil
        flash("saving \(request.summary) to \(SafeText.escape(path))\(glyphs.ellipsis)")
        return [.saveRecords(path: path, request)]
    }

    /// A save finished.
    mutating func recordsSaved(path: String, _ result: Result<Int, SaveError>) -> [Effect] {
        switch result {
        case .success(let count):
            flash("saved \(Format.plural(count, "record")) to \(SafeText.escape(path)) (JSON lines)")
            if var m = messages, m.mark != nil {
                m.mark = nil
                messages = m
            }
        case .failure(let error):
            flash("not saved: \(error.message)", isError: true)
        }
        return []
    }

    /// `P`: the publish form, filled in from the record in view.
    mutating func republish() -> [Effect] {
        if context.readOnly { return refuseReadOnly("publishing messages") }
        guard let row = recordInView, let topic = messages?.topic else {
            flash("no record selected", isError: true)
            return []
        }
        publishForm = PublishForm(republishing: row.record, topic: topic, partition: row.partition)
        flash("publishing offset \(row.record.offset) again: edit what should differ, Ctrl-S sends")
        return push(.publish)
    }

    /// Scrolls the value view.
    mutating func scrollValueView(by delta: Int) {
        guard var v = valueView else { return }
        let rows = max(1, layout.contentHeight - 1)
        let count = v.detail?.lines.count ?? 0
        v.scroll = MessagesView.clampedScroll(
            MessagesView.clampedScroll(v.scroll, lines: count, rows: rows).addingClamped(delta), lines: count,
            rows: rows)
        valueView = v
    }

    /// Commands of the value view that it shares with the messages screen.
    mutating func valueViewCommand(_ command: Command) -> [Effect] {
        guard var v = valueView else { return [] }
        switch command {
        case .cycleFormat:
            v.format = (v.format ?? v.detail?.shownFormat ?? Payload.automaticFormat(v.row.record.value)).next
            v.scroll = 0
            valueView = v
            flash("value shown as \(v.format!.rawValue)")
        case .scrollDetailUp: scrollValueView(by: -1)
        case .scrollDetailDown: scrollValueView(by: 1)
        default: break
        }
        return []
    }

    /// Lays out the value view's record again when its format or the width changed.
    mutating func syncValueView() {
        guard var v = valueView else { return }
        let width = size.width
        let source = DetailText.Source(
            partition: v.row.partition, record: v.row.record, format: v.format, keyAsHex: v.keyAsHex, width: width)
        guard v.detail?.source != source else { return }
        v.detail = DetailText(
            partition: v.row.partition, record: v.row.record, format: v.format, keyAsHex: v.keyAsHex, width: width,
            ellipsis: glyphs.ellipsis)
        valueView = v
    }
}
