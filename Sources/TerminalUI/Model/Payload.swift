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

/// Keys and values made safe and short for a terminal: printable text as is, anything else as
/// an escaped byte preview (`\x00\xff…`), never raw control bytes.
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

    /// A one-line preview of at most `limit` source bytes: text with line breaks and tabs shown
    /// as spaces, binary as `\xHH` escapes (printable ASCII kept), `(null)` for a null payload.
    public static func preview(_ bytes: [UInt8]?, limit: Int = 512) -> String {
        guard let bytes else { return "(null)" }
        let head = bytes.count > limit ? Array(bytes[..<limit]) : bytes
        if let text = text(head) ?? (bytes.count > limit ? textAllowingCutScalar(head) : nil) {
            var out = ""
            out.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
            for scalar in text.unicodeScalars {
                out.unicodeScalars.append(
                    scalar.value == 0x0A || scalar.value == 0x0D || scalar.value == 0x09 ? " " : scalar)
            }
            return bytes.count > limit ? out + "…" : out
        }
        return escaped(head) + (bytes.count > limit ? "…" : "")
    }

    /// `bytes` with printable ASCII kept and every other byte written as `\xHH`.
    public static func escaped(_ bytes: [UInt8]) -> String {
        var out = ""
        for b in bytes {
            if b >= 0x20 && b < 0x7F && b != 0x5C {
                out.unicodeScalars.append(Unicode.Scalar(b))
            } else if b == 0x5C {
                out += "\\\\"
            } else {
                out += "\\x" + hexByte(b)
            }
        }
        return out
    }

    /// The format a value is first shown in: JSON when it parses, text when printable, else hex.
    public static func automaticFormat(_ bytes: [UInt8]?) -> PayloadFormat {
        guard let bytes else { return .text }
        if JSON.prettyLines(bytes) != nil { return .json }
        return text(bytes) != nil ? .text : .hex
    }

    /// The lines the detail pane shows for `bytes` in `format` (at most `maxLines`).
    public static func detailLines(_ bytes: [UInt8]?, format: PayloadFormat, maxLines: Int = 2_000) -> [String] {
        guard let bytes else { return ["(null)"] }
        if bytes.isEmpty { return ["(empty)"] }
        switch format {
        case .json:
            if let lines = JSON.prettyLines(bytes) { return Array(lines.prefix(maxLines)) }
            return ["(not JSON; shown as text)"] + detailLines(bytes, format: .text, maxLines: maxLines - 1)
        case .text:
            if let text = text(bytes) {
                return Array(
                    text.split(separator: "\n", omittingEmptySubsequences: false).prefix(maxLines).map(String.init))
            }
            return chunks(escaped(bytes), width: 64, maxLines: maxLines)
        case .hex:
            return hexDump(bytes, maxLines: maxLines)
        }
    }

    /// `00000000  7b 22 61 22 3a 31 7d 0a                           |{"a":1}.|`
    public static func hexDump(_ bytes: [UInt8], maxLines: Int = 2_000) -> [String] {
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
        if offset < bytes.count { lines.append("… \(Format.count(Int64(bytes.count - offset))) more bytes") }
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

    /// A cut at a byte limit may split the last UTF-8 scalar; drop up to 3 trailing bytes to find text.
    private static func textAllowingCutScalar(_ head: [UInt8]) -> String? {
        for drop in 1...3 where head.count > drop {
            if let t = text(Array(head.dropLast(drop))) { return t }
        }
        return nil
    }

    private static func chunks(_ s: String, width: Int, maxLines: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        for c in s {
            current.append(c)
            if current.count >= width {
                lines.append(current)
                current = ""
                if lines.count >= maxLines { return lines }
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }
}
