/// A small JSON reader and pretty-printer for the detail pane. Keys keep their original order
/// (Foundation's serializer would sort or shuffle them), numbers keep their original spelling,
/// and nesting deeper than 64 levels or values over 256 KiB are shown as text instead (the
/// detail pane re-formats the selected value on every frame).
enum JSON {
    indirect enum Value {
        case object([(String, Value)])
        case array([Value])
        case string(String)
        case number(String)
        case bool(Bool)
        case null
    }

    static let maxBytes = 256 << 10
    static let maxDepth = 64

    /// The value pretty-printed with two-space indentation, or nil when `bytes` is not one JSON
    /// object or array.
    static func prettyLines(_ bytes: [UInt8]) -> [String]? {
        guard bytes.count <= maxBytes, let value = parse(bytes) else { return nil }
        switch value {
        case .object, .array: break
        default: return nil
        }
        var lines: [String] = []
        var current = ""
        write(value, indent: 0, into: &current, lines: &lines)
        lines.append(current)
        return lines
    }

    static func parse(_ bytes: [UInt8]) -> Value? {
        var parser = Parser(bytes: bytes)
        parser.skipSpace()
        guard let value = parser.value(depth: 0) else { return nil }
        parser.skipSpace()
        return parser.index == bytes.count ? value : nil
    }

    private static func write(_ value: Value, indent: Int, into current: inout String, lines: inout [String]) {
        let pad = String(repeating: "  ", count: indent + 1)
        let closePad = String(repeating: "  ", count: indent)
        switch value {
        case .object(let members):
            if members.isEmpty {
                current += "{}"
                return
            }
            current += "{"
            for (i, (key, member)) in members.enumerated() {
                lines.append(current)
                current = pad + quoted(key) + ": "
                write(member, indent: indent + 1, into: &current, lines: &lines)
                if i < members.count - 1 { current += "," }
            }
            lines.append(current)
            current = closePad + "}"
        case .array(let elements):
            if elements.isEmpty {
                current += "[]"
                return
            }
            current += "["
            for (i, element) in elements.enumerated() {
                lines.append(current)
                current = pad
                write(element, indent: indent + 1, into: &current, lines: &lines)
                if i < elements.count - 1 { current += "," }
            }
            lines.append(current)
            current = closePad + "]"
        case .string(let s): current += quoted(s)
        case .number(let n): current += n
        case .bool(let b): current += b ? "true" : "false"
        case .null: current += "null"
        }
    }

    private static func quoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || (0x7F..<0xA0).contains(scalar.value) {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    private struct Parser {
        let bytes: [UInt8]
        var index = 0

        mutating func skipSpace() {
            while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        }

        mutating func value(depth: Int) -> Value? {
            guard depth < JSON.maxDepth, index < bytes.count else { return nil }
            switch bytes[index] {
            case UInt8(ascii: "{"): return object(depth: depth)
            case UInt8(ascii: "["): return array(depth: depth)
            case UInt8(ascii: "\""): return string().map(Value.string)
            case UInt8(ascii: "t"): return literal("true", .bool(true))
            case UInt8(ascii: "f"): return literal("false", .bool(false))
            case UInt8(ascii: "n"): return literal("null", .null)
            default: return number()
            }
        }

        mutating func literal(_ word: String, _ value: Value) -> Value? {
            let w = Array(word.utf8)
            guard index + w.count <= bytes.count, Array(bytes[index..<index + w.count]) == w else { return nil }
            index += w.count
            return value
        }

        mutating func object(depth: Int) -> Value? {
            index += 1
            var members: [(String, Value)] = []
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                index += 1
                return .object(members)
            }
            while true {
                skipSpace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\""), let key = string() else { return nil }
                skipSpace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return nil }
                index += 1
                skipSpace()
                guard let member = value(depth: depth + 1) else { return nil }
                members.append((key, member))
                skipSpace()
                guard index < bytes.count else { return nil }
                if bytes[index] == UInt8(ascii: ",") {
                    index += 1
                    continue
                }
                guard bytes[index] == UInt8(ascii: "}") else { return nil }
                index += 1
                return .object(members)
            }
        }

        mutating func array(depth: Int) -> Value? {
            index += 1
            var elements: [Value] = []
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                index += 1
                return .array(elements)
            }
            while true {
                skipSpace()
                guard let element = value(depth: depth + 1) else { return nil }
                elements.append(element)
                skipSpace()
                guard index < bytes.count else { return nil }
                if bytes[index] == UInt8(ascii: ",") {
                    index += 1
                    continue
                }
                guard bytes[index] == UInt8(ascii: "]") else { return nil }
                index += 1
                return .array(elements)
            }
        }

        mutating func string() -> String? {
            index += 1
            var scalars = String.UnicodeScalarView()
            var raw: [UInt8] = []
            func flush() -> Bool {
                guard !raw.isEmpty else { return true }
                guard let s = String(validating: raw, as: UTF8.self) else { return false }
                scalars.append(contentsOf: s.unicodeScalars)
                raw.removeAll(keepingCapacity: true)
                return true
            }
            while index < bytes.count {
                let b = bytes[index]
                index += 1
                if b == UInt8(ascii: "\"") {
                    return flush() ? String(scalars) : nil
                }
                if b < 0x20 { return nil }
                if b != UInt8(ascii: "\\") {
                    raw.append(b)
                    continue
                }
                guard flush(), index < bytes.count else { return nil }
                let e = bytes[index]
                index += 1
                switch e {
                case UInt8(ascii: "\""): scalars.append("\"")
                case UInt8(ascii: "\\"): scalars.append("\\")
                case UInt8(ascii: "/"): scalars.append("/")
                case UInt8(ascii: "b"): scalars.append("\u{8}")
                case UInt8(ascii: "f"): scalars.append("\u{C}")
                case UInt8(ascii: "n"): scalars.append("\n")
                case UInt8(ascii: "r"): scalars.append("\r")
                case UInt8(ascii: "t"): scalars.append("\t")
                case UInt8(ascii: "u"):
                    guard var code = hex4() else { return nil }
                    if (0xD800..<0xDC00).contains(code) {
                        // A surrogate pair: \uD83D\uDE80.
                        guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
                            bytes[index + 1] == UInt8(ascii: "u")
                        else { return nil }
                        index += 2
                        guard let low = hex4(), (0xDC00..<0xE000).contains(low) else { return nil }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let scalar = Unicode.Scalar(code) else { return nil }
                    scalars.append(scalar)
                default: return nil
                }
            }
            return nil
        }

        mutating func hex4() -> UInt32? {
            guard index + 4 <= bytes.count else { return nil }
            var v: UInt32 = 0
            for b in bytes[index..<index + 4] {
                guard let d = Character(Unicode.Scalar(b)).hexDigitValue else { return nil }
                v = v * 16 + UInt32(d)
            }
            index += 4
            return v
        }

        mutating func number() -> Value? {
            let start = index
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
            let digitsStart = index
            while index < bytes.count, (0x30...0x39).contains(bytes[index]) { index += 1 }
            guard index > digitsStart else { return nil }
            if bytes[digitsStart] == 0x30 && index - digitsStart > 1 { return nil }
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                index += 1
                let fraction = index
                while index < bytes.count, (0x30...0x39).contains(bytes[index]) { index += 1 }
                guard index > fraction else { return nil }
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
                index += 1
                if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                    index += 1
                }
                let exponent = index
                while index < bytes.count, (0x30...0x39).contains(bytes[index]) { index += 1 }
                guard index > exponent else { return nil }
            }
            return .number(String(decoding: bytes[start..<index], as: UTF8.self))
        }
    }
}

/// A sparkline of the last values: `▁▂▃▄▅▆▇█`, scaled between the smallest and largest shown.
public enum Sparkline {
    /// The eight bar heights.
    public static let bars = Glyphs.unicode.bars

    /// The last `width` of `values` as `bars` (eight heights, lowest first; ``Glyphs/bars``); a
    /// flat series is all the lowest (zero) or all the fourth.
    public static func render(_ values: [Int64], width: Int, bars: [Character] = bars) -> String {
        let shown = values.suffix(max(0, width))
        guard let low = shown.min(), let high = shown.max() else { return "" }
        if low == high { return String(repeating: low == 0 ? bars[0] : bars[3], count: shown.count) }
        let span = Double(high - low)
        return String(shown.map { bars[min(7, Int((Double($0 - low) / span * 7).rounded()))] })
    }

    /// The last `width` of `values` on a scale from zero to `scale` shared with other rows, so
    /// bars compare across rows: zero is the lowest bar, anything above zero at least the
    /// second, `scale` the highest.
    public static func render(_ values: [Int64], width: Int, scale: Int64, bars: [Character] = bars) -> String {
        let shown = values.suffix(max(0, width))
        return String(
            shown.map { v in
                guard v > 0, scale > 0 else { return bars[0] }
                return bars[1 + min(6, Int((Double(min(v, scale)) / Double(scale) * 6).rounded()))]
            })
    }
}
