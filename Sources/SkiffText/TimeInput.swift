/// The one syntax for a point in time, wherever Skiff asks for one: `skiff consume --from`,
/// `skiff group reset --to`, `skiff produce --timestamp`, the UI's `t` prompt and its reset
/// dialog.
///
/// | form | example | meaning |
/// |---|---|---|
/// | epoch milliseconds | `1714564800000` | milliseconds since 1970-01-01T00:00Z |
/// | ISO-8601 date | `2024-05-01` | midnight |
/// | ISO-8601 date-time | `2024-05-01T12:00`, `2024-05-01 12:00:30.250` | a `T` or a space between; seconds and fractions optional |
/// | with a zone | `2024-05-01T12:00Z`, `2024-05-01 12:00+02:00` | `Z` or `±HH:MM` (`±HHMM`, `±HH`) |
/// | relative | `-30s`, `-15m`, `-2h`, `-1d` | that long before now (a unit is required) |
/// | now | `now` | the current time |
///
/// A date or date-time without a zone is in the caller's zone (`utcOffsetSeconds`): the UI passes
/// its display zone, the CLI passes UTC (see docs/decisions.md). A leading `@` is allowed (the
/// CLI's `--from @TIME`), so every form can be written the same way everywhere.
public enum TimeInput {
    /// Every accepted form, for error messages and help.
    public static let accepted =
        "epoch milliseconds (1714564800000), an ISO-8601 date or date-time (2024-05-01, 2024-05-01T12:00, "
        + "2024-05-01 12:00:30.250, optionally ending in Z or +HH:MM), now, or a relative time (-30s, -15m, -2h, -1d)"
    /// The hint shown under a time prompt.
    public static let hint = "2024-05-01 12:00[:30[.250]][Z|+02:00], epoch ms, now, or relative: -30s, -15m, -2h, -1d"
    /// The same, short enough for a form.
    public static let shortHint = "e.g. 2024-05-01 12:00, -15m or epoch ms"

    /// Milliseconds since the epoch for `text` (surrounding spaces ignored).
    /// - Parameters:
    ///   - nowMs: the current time, for `now` and relative times.
    ///   - utcOffsetSeconds: the zone of a date or date-time written without one, east of UTC.
    /// - Throws: ``TimeInputError`` saying what is wrong with `text`.
    public static func parse(_ text: String, nowMs: Int64, utcOffsetSeconds: Int = 0) throws(TimeInputError) -> Int64 {
        var t = Substring(trimmed(text))
        func fail(_ problem: String) -> TimeInputError { TimeInputError(input: text, problem: problem) }
        if t.isEmpty { throw fail("no time given") }
        if t.first == "@" {
            t = t.dropFirst()
            if t.isEmpty { throw fail("nothing after @") }
        }
        if t.lowercased() == "now" { return nowMs }
        if t.first == "-" || t.first == "+" { return try relative(t, nowMs: nowMs, fail: fail) }
        if t.allSatisfy(\.isASCIIDigit) {
            guard let ms = Int64(t) else { throw fail("\(t) is too large for milliseconds since the epoch") }
            return ms
        }
        guard t.first?.isASCIIDigit == true else {
            throw TimeInputError(input: text, problem: "not a time", isUnrecognized: true)
        }
        return try dateTime(t, utcOffsetSeconds: utcOffsetSeconds, fail: fail)
    }

    // MARK: - Relative times

    private static func relative(
        _ t: Substring, nowMs: Int64, fail: (String) -> TimeInputError
    ) throws(TimeInputError) -> Int64 {
        let sign = t.first!
        let body = t.dropFirst()
        let digits = body.prefix(while: \.isASCIIDigit)
        let unit = body.dropFirst(digits.count)
        if sign == "+" {
            throw fail("a relative time counts back from now: -\(body), not +\(body)")
        }
        if digits.isEmpty { throw fail("expected a number after '-', as in -15m") }
        let scale: Int64
        switch unit {
        case "s": scale = 1_000
        case "m": scale = 60_000
        case "h": scale = 3_600_000
        case "d": scale = 86_400_000
        case "":
            throw fail("a relative time needs a unit: -\(digits)s, -\(digits)m, -\(digits)h or -\(digits)d")
        default:
            throw fail("unknown unit '\(unit)' in \(t): use s, m, h or d")
        }
        guard let amount = Int64(digits) else { throw fail("\(t) is too far back") }
        let (product, overflow) = amount.multipliedReportingOverflow(by: scale)
        if overflow { throw fail("\(t) is too far back") }
        let (result, underflow) = nowMs.subtractingReportingOverflow(product)
        return underflow ? 0 : max(0, result)
    }

    // MARK: - ISO-8601

    /// A tiny scanner over the ASCII characters of a date-time.
    private struct Scanner {
        let characters: [Character]
        var index = 0

        var isAtEnd: Bool { index >= characters.count }
        var rest: String { String(characters[min(index, characters.count)...]) }

        func peek() -> Character? { isAtEnd ? nil : characters[index] }

        mutating func take(_ c: Character) -> Bool {
            guard peek() == c else { return false }
            index += 1
            return true
        }

        /// Between `min` and `max` ASCII digits as a number and how many there were.
        mutating func digits(min: Int, max: Int) -> (value: Int, count: Int)? {
            var value = 0
            var count = 0
            while count < max, let c = peek(), let d = c.asciiDigitValue {
                value = value * 10 + d
                count += 1
                index += 1
            }
            return count >= min ? (value, count) : nil
        }
    }

    private static func dateTime(
        _ t: Substring, utcOffsetSeconds: Int, fail: (String) -> TimeInputError
    ) throws(TimeInputError) -> Int64 {
        var s = Scanner(characters: Array(t))
        guard let year = s.digits(min: 4, max: 4), s.take("-"), let month = s.digits(min: 1, max: 2), s.take("-"),
            let day = s.digits(min: 1, max: 2)
        else {
            throw fail("expected a date as YYYY-MM-DD (2024-05-01)")
        }
        guard (1...12).contains(month.value) else { throw fail("month \(month.value) does not exist") }
        let monthDays = CivilTime.days(inMonth: month.value, of: year.value)
        guard (1...monthDays).contains(day.value) else {
            throw fail(
                "\(year.value)-\(Format.two(month.value))-\(Format.two(day.value)) does not exist (that month has \(monthDays) days)"
            )
        }
        var (hour, minute, second, millisecond) = (0, 0, 0, 0)
        var zone: Int?
        if !s.isAtEnd {
            guard s.take("T") || s.take("t") || s.take(" ") else {
                throw fail("unexpected '\(s.rest)' after the date: a time follows a T or a space (2024-05-01T12:00)")
            }
            guard let h = s.digits(min: 1, max: 2), s.take(":"), let m = s.digits(min: 2, max: 2) else {
                throw fail("expected a time as HH:MM[:SS[.mmm]] after the date (12:00, 12:00:30.250)")
            }
            guard h.value <= 23 else { throw fail("hour \(h.value) does not exist (0 to 23)") }
            guard m.value <= 59 else { throw fail("minute \(m.value) does not exist (0 to 59)") }
            (hour, minute) = (h.value, m.value)
            if s.take(":") {
                guard let sec = s.digits(min: 2, max: 2) else { throw fail("expected seconds as SS after HH:MM:") }
                guard sec.value <= 59 else { throw fail("second \(sec.value) does not exist (0 to 59)") }
                second = sec.value
                if s.take(".") || s.take(",") {
                    guard let fraction = s.digits(min: 1, max: 9) else {
                        throw fail("expected digits after the seconds' decimal point")
                    }
                    // Milliseconds: 2 → 200, 25 → 250, 250123 → 250 (finer digits are dropped).
                    var (ms, digits) = fraction
                    while digits < 3 { (ms, digits) = (ms * 10, digits + 1) }
                    while digits > 3 { (ms, digits) = (ms / 10, digits - 1) }
                    millisecond = ms
                }
            }
            zone = try timeZone(&s, fail: fail)
        }
        guard s.isAtEnd else { throw fail("unexpected '\(s.rest)' after the time") }
        let local = CivilTime(
            year: year.value, month: month.value, day: day.value, hour: hour, minute: minute, second: second,
            millisecond: millisecond
        ).milliseconds
        let ms = local - Int64(zone ?? utcOffsetSeconds) * 1_000
        guard ms >= 0 else { throw fail("a time before 1970-01-01T00:00Z is not a timestamp") }
        return ms
    }

    /// `Z`, `±HH:MM`, `±HHMM` or `±HH` (a space before it allowed) as seconds east of UTC; nil at
    /// the end of the text.
    private static func timeZone(_ s: inout Scanner, fail: (String) -> TimeInputError) throws(TimeInputError) -> Int? {
        if s.isAtEnd { return nil }
        let start = s.index
        _ = s.take(" ")
        if s.take("Z") || s.take("z") { return 0 }
        let sign: Int
        if s.take("+") {
            sign = 1
        } else if s.take("-") {
            sign = -1
        } else {
            s.index = start
            throw fail("unexpected '\(s.rest)' after the time: a zone is Z or +HH:MM")
        }
        guard let hours = s.digits(min: 2, max: 2) else { throw fail("expected a zone as +HH:MM (+02:00)") }
        var minutes = 0
        let colon = s.take(":")
        if let m = s.digits(min: 2, max: 2) {
            minutes = m.value
        } else if colon {
            throw fail("expected the zone's minutes after +HH:")
        }
        guard hours.value <= 23, minutes <= 59 else {
            throw fail(
                "zone offset \(sign < 0 ? "-" : "+")\(Format.two(hours.value)):\(Format.two(minutes)) does not exist")
        }
        return sign * (hours.value * 3_600 + minutes * 60)
    }

    private static func trimmed(_ text: String) -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = text.firstIndex(where: { !isSpace($0) }), let last = text.lastIndex(where: { !isSpace($0) })
        else { return "" }
        return text[first...last]
    }
}

/// Why text is not a time: the problem, and (in ``description``) every form that is accepted.
public struct TimeInputError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The text as given.
    public var input: String
    /// What is wrong with it, e.g. `month 13 does not exist`.
    public var problem: String
    /// Whether the text is in none of the forms at all (`yesterday`), as opposed to a form with
    /// a mistake (`2024-13-01`, `-5y`): a caller that also accepts other words can then say so.
    public var isUnrecognized: Bool

    /// Creates an error.
    public init(input: String, problem: String, isUnrecognized: Bool = false) {
        self.input = input
        self.problem = problem
        self.isUnrecognized = isUnrecognized
    }

    /// `'2024-13-01' is not a time (month 13 does not exist); use epoch milliseconds, …`, with
    /// the input escaped for a terminal.
    public var description: String {
        "'\(SafeText.escape(input))' is not a time (\(problem)); use \(TimeInput.accepted)"
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { asciiDigitValue != nil }

    fileprivate var asciiDigitValue: Int? {
        guard let ascii = asciiValue, ascii >= 0x30, ascii <= 0x39 else { return nil }
        return Int(ascii - 0x30)
    }
}
