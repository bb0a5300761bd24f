/// Parses what a person types for "start at a time" and "reset to a time".
public enum TimeInput {
    /// The hint shown under a time prompt.
    public static let hint = "2024-05-01 12:00[:00], epoch milliseconds, or relative: -30s, -15m, -2h, -1d"
    /// The same, short enough for a form.
    public static let shortHint = "e.g. 2024-05-01 12:00, -15m or epoch ms"

    /// Milliseconds since the epoch for `text`, or nil when it is not a time. Accepts
    /// `YYYY-MM-DD`, `YYYY-MM-DD HH:MM`, `YYYY-MM-DD HH:MM:SS` (a `T` may replace the space; the
    /// time is local to `utcOffsetSeconds`), plain epoch milliseconds, and `-N` with a unit of
    /// `s`, `m`, `h` or `d` (before `nowMs`).
    public static func parse(_ text: String, nowMs: Int64, utcOffsetSeconds: Int = 0) -> Int64? {
        let t = text.trimmingSpaces
        if t.isEmpty { return nil }
        if t.hasPrefix("-"), let unit = t.last, let amount = Int64(t.dropFirst().dropLast()), amount >= 0 {
            let scale: Int64
            switch unit {
            case "s": scale = 1_000
            case "m": scale = 60_000
            case "h": scale = 3_600_000
            case "d": scale = 86_400_000
            default: return nil
            }
            let (product, overflow) = amount.multipliedReportingOverflow(by: scale)
            return overflow ? nil : max(0, nowMs - product)
        }
        if t.allSatisfy(\.isASCIIDigit) { return Int64(t) }
        let parts = t.split(whereSeparator: { $0 == " " || $0 == "T" })
        guard parts.count == 1 || parts.count == 2 else { return nil }
        let date = parts[0].split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
        guard date.count == 3, let y = date[0], let mo = date[1], let d = date[2], (1...12).contains(mo),
            (1...31).contains(d), (1970...9999).contains(y)
        else { return nil }
        var (h, mi, s) = (0, 0, 0)
        if parts.count == 2 {
            let time = parts[1].split(separator: ":", omittingEmptySubsequences: false).map { Int($0) }
            guard time.count == 2 || time.count == 3, let hh = time[0], let mm = time[1], (0...23).contains(hh),
                (0...59).contains(mm)
            else { return nil }
            (h, mi) = (hh, mm)
            if time.count == 3 {
                guard let ss = time[2], (0...59).contains(ss) else { return nil }
                s = ss
            }
        }
        let local = CivilTime(year: y, month: mo, day: d, hour: h, minute: mi, second: s).milliseconds
        return local - Int64(utcOffsetSeconds) * 1_000
    }
}

extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}

extension StringProtocol {
    /// Without leading and trailing spaces, tabs and newlines.
    var trimmingSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
