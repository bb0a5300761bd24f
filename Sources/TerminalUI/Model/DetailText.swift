import AdminProtocol
import SkiffText

/// One line of the detail pane or of the full-screen value view: an optional label in the first
/// ``DetailText/labelWidth`` columns (`key`, `headers`, `value`), the text (already safe for a
/// terminal), and a dim note after it.
public struct DetailLine: Hashable, Sendable {
    /// `key`, `headers`, `value` on the first line of each part; empty otherwise.
    public var label: String
    /// The text, escaped (``SafeText``) and at most as wide as the line.
    public var text: String
    /// Dim text after ``text`` (sizes, counts); empty for none.
    public var note: String
    /// Whether the text is the dim kind (`(null)`, `none`, a "more bytes" line).
    public var isDim: Bool

    init(label: String = "", _ text: String, note: String = "", isDim: Bool = false) {
        self.label = label
        self.text = text
        self.note = note
        self.isDim = isDim
    }
}

/// Everything the detail pane shows of one record below its title — the key, every header in
/// full, the value — laid out for one width: text wrapped at word boundaries, JSON indented with
/// long lines wrapped under their indentation, binary escaped and wrapped between escapes, hex as
/// a dump. Built once when the record, the format or the width changes (not on every frame), so
/// scrolling a 100 KiB value costs what scrolling a short one does.
public struct DetailText: Hashable, Sendable {
    /// What the lines were made from.
    public struct Source: Hashable, Sendable {
        /// The record's partition.
        public var partition: Int32
        /// The record.
        public var record: FetchedRecord
        /// The value's format; nil = chosen for the value (``Payload/automaticFormat(_:)``).
        public var format: PayloadFormat?
        /// Whether the key is shown as hex bytes.
        public var keyAsHex: Bool
        /// The columns available.
        public var width: Int
    }

    /// Columns of the label before the key's and headers' text.
    public static let labelWidth = 10
    /// The most value bytes laid out; past them one line says how much more there is (the whole
    /// value is still copied, saved and re-published).
    public static let maxValueBytes = 1 << 20

    /// What the lines were made from.
    public let source: Source
    /// The lines, top to bottom.
    public let lines: [DetailLine]
    /// The index of the value's first line (after the `value` label line).
    public let valueStart: Int
    /// The format the value is shown in.
    public let shownFormat: PayloadFormat

    /// Lays out `record` for `width` columns, the value in `format` (nil = the one that suits
    /// it), `ellipsis` starting the line that says a value is longer than what is shown.
    public init(
        partition: Int32, record: FetchedRecord, format: PayloadFormat?, keyAsHex: Bool, width: Int,
        ellipsis: String = Glyphs.unicode.ellipsis
    ) {
        source = Source(partition: partition, record: record, format: format, keyAsHex: keyAsHex, width: width)
        let format = format ?? Payload.automaticFormat(record.value)
        shownFormat = format
        let width = max(20, width)
        let textWidth = width - Self.labelWidth - 1
        var lines: [DetailLine] = []
        // The key.
        let keyText: String
        if let key = record.key {
            keyText = keyAsHex ? key.map(Payload.hexByte).joined(separator: " ") : SafeText.escape(bytes: key)
        } else {
            keyText = "(null)"
        }
        let keyNote = record.key.map { "\(Format.plural(Int64($0.count), "byte", "bytes"))\(keyAsHex ? ", hex" : "")" }
        let keyLines = DisplayWidth.wrap(keyText, width: textWidth, style: keyAsHex ? .words : .anywhere)
        for (i, line) in keyLines.enumerated() {
            lines.append(
                DetailLine(
                    label: i == 0 ? "key" : "", line, note: i == keyLines.count - 1 ? keyNote ?? "" : "",
                    isDim: record.key == nil))
        }
        // Every header in full, one per line.
        if record.headers.isEmpty {
            lines.append(DetailLine(label: "headers", "none", isDim: true))
        }
        for (h, header) in record.headers.enumerated() {
            let text = SafeText.escape(header.key) + "=" + SafeText.bytes(header.value)
            let wrapped = DisplayWidth.wrap(text, width: textWidth, style: .anywhere)
            for (i, line) in wrapped.enumerated() {
                let note = h == 0 && i == wrapped.count - 1 ? "(\(record.headers.count))" : ""
                lines.append(DetailLine(label: h == 0 && i == 0 ? "headers" : "", line, note: note))
            }
        }
        // The value.
        let size = record.value.map { Format.bytes(Int64($0.count)) } ?? "null"
        let body = Self.valueLines(record.value, format: format, width: width - 1, ellipsis: ellipsis)
        lines.append(
            DetailLine(
                label: "value", "\(size) as \(format.rawValue)",
                note: Format.plural(body.count, "line")))
        valueStart = lines.count
        lines += body
        self.lines = lines
    }

    /// The value's lines for `width` columns.
    static func valueLines(_ bytes: [UInt8]?, format: PayloadFormat, width: Int, ellipsis: String) -> [DetailLine] {
        guard let bytes else { return [DetailLine("(null: a tombstone)", isDim: true)] }
        if bytes.isEmpty { return [DetailLine("(empty)", isDim: true)] }
        let cut = bytes.count > maxValueBytes
        let head = cut ? Payload.withoutCutScalar(bytes[..<maxValueBytes]) : bytes[...]
        var lines: [DetailLine]
        switch format {
        case .json:
            if let pretty = JSON.prettyLines(Array(head)), !cut {
                lines = []
                for line in pretty {
                    let indent = line.prefix { $0 == " " }.count
                    let room = max(10, width - indent - 2)
                    let wrapped = DisplayWidth.wrap(String(line.dropFirst(indent)), width: room, style: .words)
                    for (i, piece) in wrapped.enumerated() {
                        lines.append(DetailLine(String(repeating: " ", count: indent + (i == 0 ? 0 : 2)) + piece))
                    }
                }
            } else {
                lines = [DetailLine("(not JSON; shown as text)", isDim: true)] + textLines(head, width: width)
            }
        case .text:
            lines = textLines(head, width: width)
        case .hex:
            lines = Payload.hexDump(Array(head), maxLines: Int.max, ellipsis: ellipsis).map { DetailLine($0) }
        }
        if cut {
            let more = Format.bytes(Int64(bytes.count - head.count))
            lines.append(DetailLine("\(ellipsis) \(more) more not shown (w saves the record)", isDim: true))
        }
        return lines
    }

    /// Text wrapped at word boundaries (tabs as four spaces, CR LF as a line break); anything that
    /// is not printable UTF-8 escaped and wrapped between escapes, never inside one.
    static func textLines(_ bytes: ArraySlice<UInt8>, width: Int) -> [DetailLine] {
        if let text = Payload.text(Array(bytes)) {
            let clean = text.replacing("\r\n", with: "\n").replacing("\t", with: "    ")
            return DisplayWidth.wrap(clean, width: width, style: .words).map { DetailLine($0) }
        }
        return DisplayWidth.wrap(SafeText.escape(bytes: bytes), width: width, style: .anywhere).map { DetailLine($0) }
    }

    /// Two texts for the same source are the same (the lines follow from it).
    public static func == (a: DetailText, b: DetailText) -> Bool { a.source == b.source }

    /// Hashes the source.
    public func hash(into hasher: inout Hasher) { hasher.combine(source) }
}
