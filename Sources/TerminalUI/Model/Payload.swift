import SkiffText

/// How the detail pane shows a value (`x` cycles through them).
public enum PayloadFormat: String, CaseIterable, Hashable, Sendable {
    /// Indented JSON, keys in their original order; falls back to text when the value is not JSON.
    case json
    /// The value as text; bytes that are not printable UTF-8 are escaped as `\xHH`.
    case text
    /// A classic hex dump: offset, 16 bytes in hex, the printable ASCII column.
    case hex

    /// The next format in the cycle.
    public var next: PayloadFormat {
        switch self {
        case .json: .text
        case .text: .hex
        case .hex: .json
        }
    }
}

/// Keys and values made safe and short for a terminal: text as is, anything a terminal would
/// interpret escaped with SkiffText's one rule (``SafeText``), never raw control bytes.
public enum Payload {
    /// The text of `bytes` when they are valid UTF-8 without control characters other than tab,
    /// newline and carriage return; nil otherwise (binary).
    public static func text(_ bytes: [UInt8]) -> String? {
        for b in bytes where (b < 0x20 && b != 0x09 && b != 0x0A && b != 0x0D) || b == 0x7F {
            return nil
        }
        guard let s = String(validating: bytes, as: UTF8.self) else { return nil }
        for scalar in s.unicodeScalars where (0x80..<0xA0).contains(scalar.value) { return nil }
        return s
    }

    /// A one-line preview of at most `limit` source bytes, `ellipsis` after it when the value is
    /// longer: text with line breaks and tabs shown as spaces, anything else escaped (valid UTF-8
    /// kept, `\x1b` for a control, `\xff` for a byte that is not UTF-8); `(null)` for a null
    /// payload. A multi-byte character cut by the limit is left out, not escaped.
    public static func preview(
        _ bytes: [UInt8]?, limit: Int = 512, ellipsis: String = Glyphs.unicode.ellipsis
    ) -> String {
        guard let bytes else { return "(null)" }
        let cut = bytes.count > limit
        let head = cut ? withoutCutScalar(bytes[..<limit]) : bytes[...]
        let mark = cut ? ellipsis : ""
        if let text = text(Array(head)) {
            var out = ""
            out.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
            for scalar in text.unicodeScalars {
                out.unicodeScalars.append(
                    scalar.value == 0x0A || scalar.value == 0x0D || scalar.value == 0x09 ? " " : scalar)
            }
            return SafeText.escape(out) + mark
        }
        return SafeText.escape(bytes: head) + mark
    }

    /// The format a value is first shown in: JSON when it parses, text when printable, else hex.
    public static func automaticFormat(_ bytes: [UInt8]?) -> PayloadFormat {
        guard let bytes else { return .text }
        if JSON.prettyLines(bytes) != nil { return .json }
        return text(bytes) != nil ? .text : .hex
    }

    /// `00000000  7b 22 61 22 3a 31 7d 0a                           |{"a":1}.|`
    public static func hexDump(
        _ bytes: [UInt8], maxLines: Int = 2_000, ellipsis: String = Glyphs.unicode.ellipsis
    ) -> [String] {
        var lines: [String] = []
        var offset = 0
        while offset < bytes.count && lines.count < maxLines {
            let row = bytes[offset..<min(bytes.count, offset + 16)]
            var hex = ""
            for (i, b) in row.enumerated() {
                hex += hexByte(b) + " "
                if i == 7 { hex += " " }
            }
            hex += String(repeating: " ", count: 49 - hex.count)
            let ascii = String(row.map { $0 >= 0x20 && $0 < 0x7F ? Character(Unicode.Scalar($0)) : "." })
            lines.append("\(hexOffset(offset))  \(hex) |\(ascii)|")
            offset += 16
        }
        if offset < bytes.count { lines.append("\(ellipsis) \(Format.count(Int64(bytes.count - offset))) more bytes") }
        return lines
    }

    static func hexByte(_ b: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(b >> 4)], digits[Int(b & 0xF)]])
    }

    static func hexOffset(_ n: Int) -> String {
        let s = String(n, radix: 16)
        return String(repeating: "0", count: max(0, 8 - s.count)) + s
    }

    /// `bytes` without a trailing UTF-8 sequence that is cut short (its lead byte and the
    /// continuation bytes after it), so a cut never shows half a character as escapes.
    static func withoutCutScalar(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var index = bytes.endIndex
        var continuations = 0
        while index > bytes.startIndex && continuations < 4 {
            index -= 1
            let byte = bytes[index]
            guard byte & 0xC0 == 0x80 else {
                let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1
                return length > continuations + 1 && length > 1 ? bytes[..<index] : bytes
            }
            continuations += 1
        }
        return bytes
    }
}
