/// How numbers, sizes, times and durations read on screen. Pure functions, no Foundation, so
/// render tests are exact and the output never depends on the machine's locale.
public enum Format {
    /// `1234567` → `"1,234,567"`.
    public static func count(_ value: Int64) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return value < 0 ? "-" + out : out
    }

    /// Bytes in binary units: `"512 B"`, `"1.5 KiB"`, `"12.0 MiB"`; `"-"` when negative (unknown).
    public static func bytes(_ value: Int64) -> String {
        if value < 0 { return "-" }
        if value < 1024 { return "\(value) B" }
        let units = ["KiB", "MiB", "GiB", "TiB", "PiB"]
        var amount = Double(value) / 1024
        var unit = 0
        while amount >= 1024 && unit < units.count - 1 {
            amount /= 1024
            unit += 1
        }
        return "\(oneDecimal(amount)) \(units[unit])"
    }

    /// A rate per second: `"12.5/s"`.
    public static func rate(_ perSecond: Double) -> String {
        perSecond.isFinite ? "\(oneDecimal(max(0, perSecond)))/s" : "-"
    }

    /// `x` with one decimal, rounded half up: `3.25` → `"3.3"`.
    static func oneDecimal(_ x: Double) -> String {
        let tenths = Int64((x * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }

    /// A time lag in few characters: `"0s"`, `"850ms"`, `"3.2s"`, `"42s"`, `"4m"`, `"3h 5m"`, `"2d 4h"`;
    /// `"-"` when unknown (negative).
    public static func lag(milliseconds ms: Int64) -> String {
        if ms < 0 { return "-" }
        if ms == 0 { return "0s" }
        if ms < 1_000 { return "\(ms)ms" }
        if ms < 10_000 { return oneDecimal(Double(ms) / 1_000) + "s" }
        let seconds = ms / 1_000
        if seconds < 60 { return "\(seconds)s" }
        let minutes = seconds / 60
        if minutes < 60 { return "\(minutes)m" }
        let hours = minutes / 60
        if hours < 24 { return minutes % 60 == 0 ? "\(hours)h" : "\(hours)h \(minutes % 60)m" }
        let days = hours / 24
        return hours % 24 == 0 ? "\(days)d" : "\(days)d \(hours % 24)h"
    }

    /// How long ago `timestampMs` was, relative to `nowMs`: `"3s ago"`, `"4m ago"`, `"never"` for -1.
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

    /// `"2024-05-01 12:00:03.123"` for a millisecond timestamp shifted by `utcOffsetSeconds`;
    /// `"-"` for -1.
    public static func timestamp(_ ms: Int64, utcOffsetSeconds: Int = 0) -> String {
        guard ms >= 0 else { return "-" }
        let c = CivilTime(ms: ms + Int64(utcOffsetSeconds) * 1_000)
        return "\(c.year)-\(two(c.month))-\(two(c.day)) \(two(c.hour)):\(two(c.minute)):\(two(c.second))."
            + three(c.millisecond)
    }

    /// `"05-01 12:00:03"`: a compact timestamp for narrow columns; `"-"` for -1.
    public static func shortTimestamp(_ ms: Int64, utcOffsetSeconds: Int = 0) -> String {
        guard ms >= 0 else { return "-" }
        let c = CivilTime(ms: ms + Int64(utcOffsetSeconds) * 1_000)
        return "\(two(c.month))-\(two(c.day)) \(two(c.hour)):\(two(c.minute)):\(two(c.second))"
    }

    static func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
    static func three(_ v: Int) -> String { v < 10 ? "00\(v)" : v < 100 ? "0\(v)" : "\(v)" }
}

/// A calendar date and time of day in the proleptic Gregorian calendar (no time zones: the
/// caller shifts the instant first).
struct CivilTime: Hashable {
    var year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, millisecond: Int

    /// Splits milliseconds since 1970-01-01T00:00Z.
    init(ms: Int64) {
        let (days, msOfDay) = ms.floorDivided(by: 86_400_000)
        millisecond = Int(msOfDay % 1_000)
        second = Int(msOfDay / 1_000 % 60)
        minute = Int(msOfDay / 60_000 % 60)
        hour = Int(msOfDay / 3_600_000)
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        day = Int(doy - (153 * mp + 2) / 5 + 1)
        month = Int(mp < 10 ? mp + 3 : mp - 9)
        year = Int(yoe + era * 400 + (month <= 2 ? 1 : 0))
    }

    init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0, millisecond: Int = 0) {
        (self.year, self.month, self.day) = (year, month, day)
        (self.hour, self.minute, self.second, self.millisecond) = (hour, minute, second, millisecond)
    }

    /// Milliseconds since 1970-01-01T00:00Z (Hinnant's days_from_civil).
    var milliseconds: Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = Int64(month)
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        return days * 86_400_000 + Int64(hour) * 3_600_000 + Int64(minute) * 60_000 + Int64(second) * 1_000
            + Int64(millisecond)
    }
}

/// `"1 partition"`, `"3 partitions"`.
func plural(_ n: Int, _ noun: String) -> String {
    "\(Format.count(Int64(n))) \(noun)\(n == 1 ? "" : "s")"
}

extension Int64 {
    /// Floor division and the matching non-negative remainder.
    func floorDivided(by d: Int64) -> (quotient: Int64, remainder: Int64) {
        var q = self / d
        var r = self % d
        if r < 0 {
            q -= 1
            r += d
        }
        return (q, r)
    }
}
