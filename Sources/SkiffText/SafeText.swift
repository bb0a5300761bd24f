/// Text made safe for a terminal: the one escaping rule for every key, value, name and message
/// that Skiff shows, in the CLI and in the terminal UI alike.
///
/// What is escaped, and how:
///
/// | what | shown as |
/// |---|---|
/// | line feed, carriage return, tab | `\n`, `\r`, `\t` |
/// | other C0 controls (NUL, ESC, …) and DEL | `\x00`, `\x1b`, `\x7f` |
/// | C1 controls (U+0080…U+009F) | `\u{9b}` |
/// | line and paragraph separators U+2028, U+2029 | `\u{2028}`, `\u{2029}` |
/// | bidirectional embeddings, overrides and isolates (U+202A…U+202E, U+2066…U+2069) | `\u{202e}` |
/// | a byte that is not part of valid UTF-8 | `\xff`, one escape per byte |
///
/// Everything else (valid UTF-8: accents, CJK, emoji) is kept, so a value with one control byte
/// shows `é` as `é` and only the control is escaped. Text that needs no escape is shown exactly;
/// text that needs one also has its backslashes doubled (`\\`), so an escaped form reads back
/// unambiguously. Escaping is idempotent: escaped text never needs escaping again.
public enum SafeText {
    /// The text for a key or value: `(null)` for a null one, otherwise the bytes as UTF-8 with
    /// anything unsafe escaped and each byte that is not UTF-8 written as `\xNN`.
    public static func bytes(_ bytes: [UInt8]?) -> String {
        guard let bytes else { return "(null)" }
        return bytes.withUnsafeBufferPointer { escape(utf8: $0) }
    }

    /// `bytes` (which need not be UTF-8) escaped like ``bytes(_:)``; an empty buffer is `""`.
    public static func escape<Bytes: Collection>(bytes: Bytes) -> String where Bytes.Element == UInt8 {
        let contiguous = Array(bytes)
        return contiguous.withUnsafeBufferPointer { escape(utf8: $0) }
    }

    /// `text` with control characters, separators and bidirectional controls escaped.
    public static func escape(_ text: String) -> String {
        guard needsEscaping(text) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars { append(scalar, to: &out) }
        return out
    }

    /// Whether ``escape(_:)`` would change `text`.
    public static func needsEscaping(_ text: String) -> Bool {
        // Every unsafe scalar's UTF-8 form starts with a byte below 0x20, 0x7F, 0xC2 (C1) or 0xE2
        // (the separators and bidirectional controls): most text is ruled out by that alone.
        for byte in text.utf8 where byte < 0x20 || byte == 0x7F || byte == 0xC2 || byte == 0xE2 {
            return text.unicodeScalars.contains(where: isUnsafe)
        }
        return false
    }

    /// Whether a scalar must not reach a terminal raw: C0 and C1 controls, DEL, the line and
    /// paragraph separators and the bidirectional embedding, override and isolate controls.
    public static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    /// The escape for one unsafe scalar (`\n`, `\x1b`, `\u{202e}`); nil for a safe one.
    public static func escapeSequence(for scalar: Unicode.Scalar) -> String? {
        guard isUnsafe(scalar) else { return nil }
        switch scalar {
        case "\n": return "\\n"
        case "\r": return "\\r"
        case "\t": return "\\t"
        default:
            return scalar.value < 0x80
                ? "\\x" + hex(UInt8(scalar.value)) : "\\u{" + String(scalar.value, radix: 16) + "}"
        }
    }

    // MARK: - Escape sequences as units of layout

    /// The length in characters of the escape sequence starting at `index` of escaped text
    /// (`\\`, `\n`, `\r`, `\t`, `\xNN`, `\u{N…}`), or nil when none starts there. Layout (wrapping,
    /// truncation) treats such a sequence as one unbreakable unit.
    static func escapeLength(in text: String, at index: String.Index) -> Int? {
        guard text[index] == "\\" else { return nil }
        var i = text.index(after: index)
        guard i < text.endIndex else { return nil }
        let marker = text[i]
        switch marker {
        case "\\", "n", "r", "t":
            return 2
        case "x":
            var length = 2
            for _ in 0..<2 {
                i = text.index(after: i)
                guard i < text.endIndex, isHexDigit(text[i]) else { return nil }
                length += 1
            }
            return length
        case "u":
            i = text.index(after: i)
            guard i < text.endIndex, text[i] == "{" else { return nil }
            var length = 3
            var digits = 0
            while true {
                i = text.index(after: i)
                guard i < text.endIndex else { return nil }
                length += 1
                if text[i] == "}" { return digits > 0 ? length : nil }
                guard isHexDigit(text[i]), digits < 6 else { return nil }
                digits += 1
            }
        default:
            return nil
        }
    }

    /// Escaped text split into the units layout must keep whole: one grapheme each, except an
    /// escape sequence (``escapeLength(in:at:)``), which is one unit however many characters.
    static func units(_ escaped: String) -> [Substring] {
        var units: [Substring] = []
        units.reserveCapacity(escaped.utf8.count)
        var index = escaped.startIndex
        while index < escaped.endIndex {
            let length = escapeLength(in: escaped, at: index) ?? 1
            let end = escaped.index(index, offsetBy: length)
            units.append(escaped[index..<end])
            index = end
        }
        return units
    }

    // MARK: - Implementation

    private static func isHexDigit(_ c: Character) -> Bool {
        guard let scalar = c.unicodeScalars.first, c.unicodeScalars.count == 1 else { return false }
        switch scalar {
        case "0"..."9", "a"..."f", "A"..."F": return true
        default: return false
        }
    }

    private static func append(_ scalar: Unicode.Scalar, to out: inout String) {
        if let escaped = escapeSequence(for: scalar) {
            out += escaped
        } else if scalar == "\\" {
            out += "\\\\"
        } else {
            out.unicodeScalars.append(scalar)
        }
    }

    /// Decodes `buffer` as UTF-8, escaping unsafe scalars and each byte of an invalid sequence.
    private static func escape(utf8 buffer: UnsafeBufferPointer<UInt8>) -> String {
        // Printable ASCII, the common case, is its own escape.
        if buffer.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return String(decoding: buffer, as: UTF8.self) }
        if let text = String(validating: buffer, as: UTF8.self) { return escape(text) }
        var out = ""
        out.reserveCapacity(buffer.count + 16)
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = buffer.makeIterator()
        var offset = 0
        loop: while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                append(Unicode.UTF8.decode(encoded), to: &out)
                offset += encoded.count
            case .error(let length):
                for byte in buffer[offset..<offset + length] { out += "\\x" + hex(byte) }
                offset += length
            case .emptyInput:
                break loop
            }
        }
        return out
    }

    static func hex(_ byte: UInt8) -> String {
        let digits: [Character] = [
            "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "a", "b", "c", "d", "e", "f",
        ]
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
    }
}
