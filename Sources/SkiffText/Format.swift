/// How numbers, sizes, rates, durations and times read, in the CLI and the terminal UI alike.
/// Pure functions without Foundation, so output never depends on the machine's locale and tests
/// are exact.
public enum Format {
    // MARK: - Numbers and sizes

    /// A count with thousands separators: `1234567` → `"1,234,567"`.
    public static func count(_ value: Int64) -> String {
        let digits = String(value.magnitude)
        var out = ""
        out.reserveCapacity(digits.count + digits.count / 3 + 1)
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return value < 0 ? "-" + out : out
    }

    /// A count with thousands separators (see ``count(_:)-(Int64)``).
    public static func count(_ value: Int) -> String {
        count(Int64(value))
    }

    /// An offset or count that may be unknown: `-` for a negative one (the protocol's -1).
    public static func optional(_ value: Int64) -> String {
        value < 0 ? "-" : String(value)
    }

    /// `"1 partition"`, `"3 partitions"`, `"1,024 records"`.
    public static func plural(_ n: Int, _ noun: String) -> String {
        "\(count(n)) \(noun)\(n == 1 ? "" : "s")"
    }

    /// `n` and the noun in the form it takes: `"1 match"`, `"2,003 matches"`.
    public static func plural(_ n: Int64, _ singular: String, _ plural: String) -> String {
        "\(count(n)) \(n == 1 ? singular : plural)"
    }

    /// Bytes in binary units with one decimal: `"512 B"`, `"1.5 KiB"`, `"12.0 MiB"`; `"-"` when
    /// negative (unknown).
    public static func bytes(_ value: Int64) -> String {
        if value < 0 { return "-" }
        if value < 1024 { return "\(value) B" }
        var amount = Double(value) / 1024
        var unit = 0
        while amount >= 1024 && unit < byteUnits.count - 1 {
            amount /= 1024
            unit += 1
        }
        // 1023.96 KiB rounds to "1024.0 KiB": say "1.0 MiB" instead.
        if Int64((amount * 10).rounded()) >= 10_240 && unit < byteUnits.count - 1 {
            amount /= 1024
            unit += 1
        }
        return "\(oneDecimal(amount)) \(byteUnits[unit])"
    }

    /// Bytes in the largest binary unit that divides them exactly (`"1 GiB"`, `"512 MiB"`), else
    /// with one decimal like ``bytes(_:)`` (`"976.6 KiB"`).
    public static func exactBytes(_ value: Int64) -> String {
        if value < 1024 { return bytes(value) }
        var unit = -1
        var whole = value
        while whole % 1024 == 0 && unit < byteUnits.count - 1 {
            whole /= 1024
            unit += 1
        }
        return unit >= 0 ? "\(whole) \(byteUnits[unit])" : bytes(value)
    }

    private static let byteUnits = ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]

    /// A rate per second with one decimal: `"12.5/s"`; `"-"` when not finite.
    public static func rate(_ perSecond: Double) -> String {
        perSecond.isFinite ? "\(oneDecimal(max(0, perSecond)))/s" : "-"
    }

    /// `x` with one decimal, rounded half up: `3.25` → `"3.3"`.
    static func oneDecimal(_ x: Double) -> String {
        guard x.isFinite else { return "-" }
        if x < 0 { return "-" + oneDecimal(-x) }
        guard x < 9e17 else { return String(Int64(min(x, 9e18))) }
        let tenths = Int64((x * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }

    // MARK: - Durations

    /// A duration in few characters: `"0s"`, `"850ms"`, `"3.2s"`, `"42s"`, `"3m 20s"`, `"1h 5m"`,
    /// `"2d 4h"` (the two largest units); `"-"` when unknown (negative).
    public static func duration(milliseconds ms: Int64) -> String {
        if ms < 0 { return "-" }
        if ms == 0 { return "0s" }
        if ms < 1_000 { return "\(ms)ms" }
        if ms < 10_000 { return oneDecimal(Double(ms / 100) / 10) + "s" }
        let seconds = ms / 1_000
        if seconds < 60 { return "\(seconds)s" }
        let minutes = seconds / 60
        if minutes < 60 { return seconds % 60 == 0 ? "\(minutes)m" : "\(minutes)m \(seconds % 60)s" }
        let hours = minutes / 60
        if hours < 24 { return minutes % 60 == 0 ? "\(hours)h" : "\(hours)h \(minutes % 60)m" }
        let days = hours / 24
        return hours % 24 == 0 ? "\(days)d" : "\(days)d \(hours % 24)h"
    }

    /// A duration exactly, every unit that is not zero: `"7d"`, `"1h 30m"`, `"1s 500ms"`, `"0s"`;
    /// `"-"` when negative.
    public static func exactDuration(milliseconds ms: Int64) -> String {
        if ms < 0 { return "-" }
        if ms == 0 { return "0s" }
        let parts: [(Int64, String)] = [
            (ms / 86_400_000, "d"), (ms / 3_600_000 % 24, "h"), (ms / 60_000 % 60, "m"), (ms / 1_000 % 60, "s"),
            (ms % 1_000, "ms"),
        ]
        return parts.filter { $0.0 > 0 }.map { "\($0.0)\($0.1)" }.joined(separator: " ")
    }

    /// How long ago `timestampMs` was at `nowMs`: `"just now"`, `"3s ago"`, `"4m ago"`, `"2h ago"`,
    /// `"5d ago"`; `"never"` for a negative (unknown) time.
    public static func ago(_ timestampMs: Int64, now nowMs: Int64) -> String {
        if timestampMs < 0 { return "never" }
        let ms = max(0, nowMs - timestampMs)
        if ms < 1_000 { return "just now" }
        let seconds = ms / 1_000
        if seconds < 60 { return "\(seconds)s ago" }
        if seconds < 3_600 { return "\(seconds / 60)m ago" }
        if seconds < 86_400 { return "\(seconds / 3_600)h ago" }
        return "\(seconds / 86_400)d ago"
    }

    /// An uptime: `"4m 5s"`, `"3h 4m"`, `"2d 3h 4m"`.
    public static func uptime(milliseconds ms: Int64) -> String {
        let s = max(0, ms) / 1_000
        let (d, h, m, sec) = (s / 86_400, s / 3_600 % 24, s / 60 % 60, s % 60)
        if d > 0 { return "\(d)d \(h)h \(m)m" }
        if h > 0 { return "\(h)h \(m)m" }
        return "\(m)m \(sec)s"
    }

    // MARK: - Times

    /// `"2024-05-01 12:00:03.123"`: a millisecond timestamp in the zone `utcOffsetSeconds` east of
    /// UTC (the zone is not shown); `"-"` for a negative (unknown) time.
    public static func timestamp(_ ms: Int64, utcOffsetSeconds: Int = 0) -> String {
        guard ms >= 0, let c = civil(ms, utcOffsetSeconds) else { return "-" }
        return "\(c.year)-\(two(c.month))-\(two(c.day)) \(two(c.hour)):\(two(c.minute)):\(two(c.second))."
            + three(c.millisecond)
    }

    /// `"05-01 12:00:03"`: a compact timestamp for narrow columns; `"-"` for a negative time.
    public static func shortTimestamp(_ ms: Int64, utcOffsetSeconds: Int = 0) -> String {
        guard ms >= 0, let c = civil(ms, utcOffsetSeconds) else { return "-" }
        return "\(two(c.month))-\(two(c.day)) \(two(c.hour)):\(two(c.minute)):\(two(c.second))"
    }

    /// The zone `utcOffsetSeconds` east of UTC as a person reads it beside a time: `"UTC"`,
    /// `"UTC+02:00"`, `"UTC-05:30"`.
    public static func zone(utcOffsetSeconds: Int) -> String {
        guard utcOffsetSeconds != 0 else { return "UTC" }
        let minutes = abs(utcOffsetSeconds) / 60
        return "UTC" + (utcOffsetSeconds < 0 ? "-" : "+") + two(minutes / 60) + ":" + two(minutes % 60)
    }

    /// ISO-8601 with milliseconds and the zone: `"2026-11-21T08:57:53.123Z"` in UTC,
    /// `"2026-11-21T10:57:53.123+02:00"` with an offset; `"-"` for a negative time. Reads back
    /// with ``TimeInput/parse(_:nowMs:utcOffsetSeconds:)``.
    public static func iso8601(_ ms: Int64, utcOffsetSeconds: Int = 0) -> String {
        guard ms >= 0, let c = civil(ms, utcOffsetSeconds) else { return "-" }
        var zone = "Z"
        if utcOffsetSeconds != 0 {
            let minutes = abs(utcOffsetSeconds) / 60
            zone = (utcOffsetSeconds < 0 ? "-" : "+") + two(minutes / 60) + ":" + two(minutes % 60)
        }
        return "\(c.year)-\(two(c.month))-\(two(c.day))T\(two(c.hour)):\(two(c.minute)):\(two(c.second))."
            + three(c.millisecond) + zone
    }

    // MARK: - Config values

    /// A topic config value with its meaning beside it when the key names a unit (see
    /// ``configMeaning(_:key:)``): `604800000` → `"604800000 (7d)"`, `1073741824` →
    /// `"1073741824 (1 GiB)"`, `-1` → `"-1 (unlimited)"`. Other values are returned as they are.
    public static func configValue(_ value: String, key: String) -> String {
        guard let meaning = configMeaning(value, key: key) else { return value }
        return "\(value) (\(meaning.text))"
    }

    /// What a config value means when its key names a unit: a duration for keys ending in `.ms`
    /// (`"7d"`, `"1h 30m"`), a size for `.bytes` (`"1 GiB"`, or `"1.0 MiB"` rounded, then
    /// `isExact` is false), and `"unlimited"` for -1 (or Java's `Long.MAX_VALUE`, also for
    /// `.messages`). Nil when there is nothing to add: another key, a value that is not a whole
    /// number, or one too small for a unit (under a second, under 1 KiB).
    public static func configMeaning(_ value: String, key: String) -> (text: String, isExact: Bool)? {
        let isDuration = key.hasSuffix(".ms")
        let isSize = key.hasSuffix(".bytes")
        guard isDuration || isSize || key.hasSuffix(".messages"), let number = Int64(value) else { return nil }
        if number == -1 || number == Int64.max { return ("unlimited", true) }
        if isDuration && number >= 1_000 { return (exactDuration(milliseconds: number), true) }
        if isSize && number >= 1_024 {
            let text = exactBytes(number)
            return (text, !text.contains("."))
        }
        return nil
    }

    /// The calendar time of `ms` in the zone; nil when shifting overflows.
    private static func civil(_ ms: Int64, _ utcOffsetSeconds: Int) -> CivilTime? {
        let (offset, overflow1) = Int64(utcOffsetSeconds).multipliedReportingOverflow(by: 1_000)
        let (shifted, overflow2) = ms.addingReportingOverflow(offset)
        return overflow1 || overflow2 ? nil : CivilTime(ms: shifted)
    }

    static func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
    static func three(_ v: Int) -> String { v < 10 ? "00\(v)" : v < 100 ? "0\(v)" : "\(v)" }
}
