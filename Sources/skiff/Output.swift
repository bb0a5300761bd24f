import Foundation
import Synchronization

// Everything the commands print goes through here: terminal-safe text, display widths, tables,
// human units and JSON.

// MARK: - Writing

/// Standard output (buffered, flushed explicitly and before standard error is written) and
/// standard error, written as UTF-8 bytes.
enum Console {
    private static let buffer = Mutex<[UInt8]>([])
    private static let bufferLimit = 64 << 10

    /// Appends `text` to standard output's buffer, writing it out when the buffer is full.
    static func out(_ text: String) {
        buffer.withLock { buffer in
            buffer.append(contentsOf: text.utf8)
            if buffer.count >= bufferLimit {
                writeAll(STDOUT_FILENO, buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
    }

    /// Writes `text` and a newline to standard output.
    static func line(_ text: String) {
        out(text + "\n")
    }

    /// Writes `text` and a newline to standard error, after flushing standard output so the two
    /// interleave in order on a terminal.
    static func error(_ text: String) {
        flush()
        writeAll(STDERR_FILENO, Array((text + "\n").utf8))
    }

    /// Rewrites the current line of standard error (a terminal's progress line): `\r`, the text,
    /// and the rest of the line cleared; an empty text clears the line.
    static func errorInPlace(_ text: String) {
        flush()
        writeAll(STDERR_FILENO, Array(("\r" + text + "\u{1B}[K").utf8))
    }

    /// Writes out what standard output has buffered.
    static func flush() {
        buffer.withLock { buffer in
            writeAll(STDOUT_FILENO, buffer)
            buffer.removeAll(keepingCapacity: true)
        }
    }

    /// Whether standard output is a pipe whose reader has gone away (Linux reports POLLERR on
    /// the write end). A follower that has nothing to write would otherwise never find out.
    static func isOutputClosed() -> Bool {
        var descriptor = pollfd(fd: STDOUT_FILENO, events: 0, revents: 0)
        guard poll(&descriptor, 1, 0) > 0 else { return false }
        return descriptor.revents & Int16(POLLERR) != 0
    }

    /// Exits the way SIGPIPE would have once standard output's reader goes away, checking every
    /// quarter second (for commands that follow and may not write for a long time).
    static func exitWhenOutputCloses() -> Task<Void, Never> {
        Task.detached {
            while !Task.isCancelled {
                if isOutputClosed() { exit(128 + SIGPIPE) }
                try? await Task.sleep(for: .milliseconds(250))
            }
        }
    }

    private static func writeAll(_ descriptor: Int32, _ bytes: [UInt8]) {
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = write(descriptor, raw.baseAddress! + offset, raw.count - offset)
                if n > 0 {
                    offset += n
                } else if n < 0 && errno == EINTR {
                    continue
                } else if n < 0 && errno == EPIPE {
                    // The reader went away (`skiff consume … | head`). SwiftNIO ignores SIGPIPE for the
                    // whole process, so do what SIGPIPE would have done: stop at once, committing
                    // nothing more for records nobody read.
                    exit(128 + SIGPIPE)
                } else {
                    return  // a full disk or a closed terminal: nothing sensible left to do with output
                }
            }
        }
    }
}

// MARK: - Terminal-safe text

/// Turns bytes and strings into text that is safe to write to a terminal: control characters,
/// bidirectional overrides and bytes that are not UTF-8 are escaped, never written raw.
enum SafeText {
    /// The text for a key or value: `(null)` for a null one, otherwise the bytes as UTF-8 with
    /// anything unsafe escaped (`\n`, `\t`, `\x1b`, `\xff` for a byte that is not UTF-8).
    static func bytes(_ bytes: [UInt8]?) -> String {
        guard let bytes else { return "(null)" }
        if let text = String(validating: bytes, as: UTF8.self) { return escape(text) }
        var out = ""
        var index = 0
        while index < bytes.count {
            let length = sequenceLength(lead: bytes[index])
            if length > 0, index + length <= bytes.count,
                let text = String(validating: bytes[index..<index + length], as: UTF8.self)
            {
                out += escape(text)
                index += length
            } else {
                out += "\\x" + hex(bytes[index])
                index += 1
            }
        }
        return out
    }

    /// `text` with control characters and bidirectional controls escaped.
    static func escape(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isUnsafe) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            guard isUnsafe(scalar) else {
                out.unicodeScalars.append(scalar)
                continue
            }
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\0": out += "\\0"
            default:
                out +=
                    scalar.value < 0x80
                    ? "\\x" + hex(UInt8(scalar.value)) : "\\u{" + String(scalar.value, radix: 16) + "}"
            }
        }
        return out
    }

    /// Whether a scalar must not reach a terminal raw: C0 and C1 controls, DEL, the line and
    /// paragraph separators and the bidirectional embedding, override and isolate controls.
    static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    private static func sequenceLength(lead: UInt8) -> Int {
        switch lead {
        case 0x00...0x7F: 1
        case 0xC2...0xDF: 2
        case 0xE0...0xEF: 3
        case 0xF0...0xF4: 4
        default: 0
        }
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
    }
}

// MARK: - Display width

/// How many terminal columns text occupies: East Asian wide characters and emoji take two,
/// combining marks and joiners none, everything else one.
enum DisplayWidth {
    /// The display width of `text`, which should already be escaped (see ``SafeText``).
    static func of(_ text: String) -> Int {
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text.utf8.count }
        var width = 0
        for character in text { width += of(character) }
        return width
    }

    /// The display width of one grapheme cluster.
    static func of(_ character: Character) -> Int {
        let scalars = character.unicodeScalars
        guard let first = scalars.first(where: { !isZeroWidth($0) }) else { return 0 }
        if scalars.contains(where: { $0.properties.isEmojiPresentation }) { return 2 }
        // A text-style emoji followed by VARIATION SELECTOR-16 is drawn as an emoji.
        if scalars.contains("\u{FE0F}") && first.properties.isEmoji { return 2 }
        return isWide(first) ? 2 : 1
    }

    /// Scalars that take no column of their own: combining marks, format characters (joiners,
    /// variation selectors) and Hangul medial vowels and final consonants.
    static func isZeroWidth(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return true
        default: return (0x1160...0x11FF).contains(scalar.value) || (0xFE00...0xFE0F).contains(scalar.value)
        }
    }

    /// East Asian Wide and Fullwidth scalars (Unicode's EastAsianWidth W and F).
    static func isWide(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0, 0x23F3,
            0x25FD...0x25FE, 0x2614...0x2615, 0x2648...0x2653, 0x267F, 0x2693, 0x26A1, 0x26AA...0x26AB,
            0x26BD...0x26BE, 0x26C4...0x26C5, 0x26CE, 0x26D4, 0x26EA, 0x26F2...0x26F3, 0x26F5, 0x26FA, 0x26FD,
            0x2705, 0x270A...0x270B, 0x2728, 0x274C, 0x274E, 0x2753...0x2755, 0x2757, 0x2795...0x2797, 0x27B0,
            0x27BF, 0x2B1B...0x2B1C, 0x2B50, 0x2B55, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF,
            0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19,
            0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x16FE0...0x16FE4, 0x17000...0x18CFF,
            0x1B000...0x1B2FF, 0x1F004, 0x1F0CF, 0x1F18E, 0x1F191...0x1F19A, 0x1F200...0x1F202, 0x1F210...0x1F23B,
            0x1F240...0x1F248, 0x1F250...0x1F251, 0x1F260...0x1F265, 0x1F300...0x1F64F, 0x1F680...0x1F6FF,
            0x1F7E0...0x1F7EB, 0x1F90C...0x1F9FF, 0x1FA70...0x1FAFF, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
            true
        default:
            false
        }
    }

    /// `text` padded with spaces on the right (or left) to `width` columns.
    static func pad(_ text: String, to width: Int, right: Bool = false) -> String {
        let missing = width - of(text)
        guard missing > 0 else { return text }
        let spaces = String(repeating: " ", count: missing)
        return right ? spaces + text : text + spaces
    }
}

// MARK: - Tables

/// A table with a header row and columns aligned by display width. Every cell is escaped
/// before it is measured, so wide characters and hostile bytes cannot break the layout.
struct Table {
    /// How a column's cells line up.
    enum Alignment {
        /// Text: padded on the right.
        case left
        /// Numbers: padded on the left.
        case right
    }

    private let headers: [String]
    private let alignments: [Alignment]
    private var rows: [[String]] = []

    /// A table with these columns; a column is right-aligned when its alignment says so.
    init(_ columns: [(String, Alignment)]) {
        headers = columns.map(\.0)
        alignments = columns.map(\.1)
    }

    /// Adds a row; missing cells are empty.
    mutating func add(_ cells: [String]) {
        rows.append(cells.map(SafeText.escape))
    }

    /// Whether the table has no rows.
    var isEmpty: Bool { rows.isEmpty }

    /// The table as lines of text; columns are two spaces apart and no line has trailing spaces.
    func render() -> String {
        var widths = headers.map(DisplayWidth.of)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], DisplayWidth.of(cell))
            }
        }
        func line(_ cells: [String]) -> String {
            var parts: [String] = []
            for index in headers.indices {
                let cell = index < cells.count ? cells[index] : ""
                let isLast = index == headers.count - 1
                if alignments[index] == .right {
                    parts.append(DisplayWidth.pad(cell, to: widths[index], right: true))
                } else {
                    parts.append(isLast ? cell : DisplayWidth.pad(cell, to: widths[index]))
                }
            }
            var text = parts.joined(separator: "  ")
            while text.hasSuffix(" ") { text.removeLast() }
            return text
        }
        return ([line(headers)] + rows.map(line)).joined(separator: "\n")
    }

    /// Prints the table to standard output.
    func print() {
        Console.line(render())
    }
}

// MARK: - Human units

/// Numbers, sizes, times and durations as people read them.
enum Human {
    /// Milliseconds since the epoch, now.
    static func nowMs() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1000).rounded())
    }

    /// A byte count in binary units: `0 B`, `812 B`, `1.5 KiB`, `23.4 MiB`.
    static func bytes(_ count: Int64) -> String {
        if count < 1024 { return "\(count) B" }
        let units = ["KiB", "MiB", "GiB", "TiB", "PiB"]
        var value = Double(count) / 1024
        var unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return String(format: value < 10 ? "%.1f" : "%.0f", value) + " " + units[unit]
    }

    /// A duration: `0s`, `850ms`, `12s`, `3m 20s`, `5h 2m`, `4d 3h`.
    static func duration(ms: Int64) -> String {
        if ms < 1000 { return ms <= 0 ? "0s" : "\(ms)ms" }
        let seconds = ms / 1000
        if seconds < 60 { return "\(seconds)s" }
        let minutes = seconds / 60
        if minutes < 60 { return seconds % 60 == 0 ? "\(minutes)m" : "\(minutes)m \(seconds % 60)s" }
        let hours = minutes / 60
        if hours < 24 { return minutes % 60 == 0 ? "\(hours)h" : "\(hours)h \(minutes % 60)m" }
        let days = hours / 24
        return hours % 24 == 0 ? "\(days)d" : "\(days)d \(hours % 24)h"
    }

    /// How long ago a time was: `3s ago`, `5m ago`, `never` for -1.
    static func ago(_ timeMs: Int64, now: Int64 = nowMs()) -> String {
        guard timeMs >= 0 else { return "never" }
        let elapsed = now - timeMs
        if elapsed < 0 { return "just now" }
        let seconds = elapsed / 1000
        if seconds < 60 { return "\(seconds)s ago" }
        if seconds < 3600 { return "\(seconds / 60)m ago" }
        if seconds < 86_400 { return "\(seconds / 3600)h ago" }
        return "\(seconds / 86_400)d ago"
    }

    /// An ISO-8601 UTC timestamp with milliseconds (`2026-11-21T08:57:53.123Z`), `-` for -1.
    static func iso8601(ms: Int64) -> String {
        guard ms >= 0 else { return "-" }
        var seconds = time_t(ms / 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
            Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), Int(ms % 1000))
    }

    /// A count with thousands separators: `1,234,567`.
    static func count(_ value: Int64) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return value < 0 ? "-" + out : out
    }

    /// An offset or count that may be unknown (-1 shown as `-`).
    static func optional(_ value: Int64) -> String {
        value < 0 ? "-" : "\(value)"
    }
}

// MARK: - JSON

/// Machine output: one JSON document, or one JSON object per line for streams.
enum JSON {
    /// Prints `value` as one pretty-printed JSON document with sorted keys.
    static func print<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        Console.line(String(decoding: try encoder.encode(value), as: UTF8.self))
    }

    /// `value` as one line of JSON (for a stream of objects, one per line).
    static func line<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// Milliseconds since the epoch, or nil for the protocol's -1 ("unknown").
    static func time(_ ms: Int64) -> Int64? {
        ms < 0 ? nil : ms
    }
}

/// Bytes in JSON: a string when they are UTF-8, otherwise base64 with an `…Encoding` field
/// beside it saying so (see ``ConsumedRecordJSON``).
struct JSONBytes {
    /// The text: the UTF-8 string, or base64.
    var text: String?
    /// `base64` when ``text`` is base64, nil when it is the bytes as UTF-8 (or null).
    var encoding: String?

    init(_ bytes: [UInt8]?) {
        guard let bytes else { return }
        if let text = String(validating: bytes, as: UTF8.self) {
            self.text = text
        } else {
            text = Data(bytes).base64EncodedString()
            encoding = "base64"
        }
    }
}
