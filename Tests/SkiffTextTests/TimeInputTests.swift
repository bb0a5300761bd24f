import Testing

@testable import SkiffText

/// The one time syntax: every form, zones, relative times, and messages that say what is wrong.
struct TimeInputTests {
    func parse(_ text: String, now: Int64 = fixedNow, offset: Int = 0) throws -> Int64 {
        try TimeInput.parse(text, nowMs: now, utcOffsetSeconds: offset)
    }

    /// The problem reported for `text`.
    func problem(_ text: String, now: Int64 = fixedNow) -> String? {
        do {
            _ = try TimeInput.parse(text, nowMs: now)
            return nil
        } catch {
            return error.problem
        }
    }

    @Test func epochMilliseconds() throws {
        #expect(try parse("1714564800000") == fixedNow)
        #expect(try parse(" 1714564800000 ") == fixedNow)
        #expect(try parse("0") == 0)
        #expect(try parse("@1714564800000") == fixedNow)
        #expect(try parse("9223372036854775807") == Int64.max)
        #expect(problem("9223372036854775808") == "9223372036854775808 is too large for milliseconds since the epoch")
    }

    @Test func datesAndDateTimes() throws {
        #expect(try parse("2024-05-01") == fixedNow - 43_200_000)
        #expect(try parse("2024-05-01 12:00") == fixedNow)
        #expect(try parse("2024-05-01T12:00") == fixedNow)
        #expect(try parse("2024-05-01t12:00") == fixedNow)
        #expect(try parse("2024-05-01T12:00:30") == fixedNow + 30_000)
        #expect(try parse("2024-05-01 12:00:30.250") == fixedNow + 30_250)
        #expect(try parse("2024-05-01 12:00:30.2") == fixedNow + 30_200)
        #expect(try parse("2024-05-01 12:00:30.25") == fixedNow + 30_250)
        #expect(try parse("2024-05-01 12:00:30,250") == fixedNow + 30_250)
        #expect(try parse("2024-05-01T12:00:30.250999999") == fixedNow + 30_250)  // finer than ms: dropped
        #expect(try parse("2024-5-1 9:05") == fixedNow - 10_500_000)
        #expect(try parse("@2024-05-01T12:00:00Z") == fixedNow)
        #expect(try parse("2024-02-29") == 1_709_164_800_000)
        #expect(try parse("1970-01-01") == 0)
        #expect(try parse("9999-12-31T23:59:59.999Z") == 253_402_300_799_999)
    }

    /// A zone in the text wins; without one the caller's zone applies (the UI's display zone,
    /// the CLI's UTC).
    @Test func zones() throws {
        #expect(try parse("2024-05-01T12:00Z", offset: 7_200) == fixedNow)
        #expect(try parse("2024-05-01T12:00z") == fixedNow)
        #expect(try parse("2024-05-01T14:00+02:00") == fixedNow)
        #expect(try parse("2024-05-01T14:00+0200") == fixedNow)
        #expect(try parse("2024-05-01T14:00+02") == fixedNow)
        #expect(try parse("2024-05-01 07:00-05:00") == fixedNow)
        #expect(try parse("2024-05-01 17:30:00.000 +05:30") == fixedNow)
        #expect(try parse("2024-05-01 14:00", offset: 7_200) == fixedNow)
        #expect(try parse("2024-05-01 14:00", offset: 0) == fixedNow + 7_200_000)
        #expect(try parse("2024-05-01", offset: -3_600) == fixedNow - 43_200_000 + 3_600_000)
    }

    @Test func relativeTimesAndNow() throws {
        #expect(try parse("now") == fixedNow)
        #expect(try parse("NOW") == fixedNow)
        #expect(try parse("@now") == fixedNow)
        #expect(try parse("-30s") == fixedNow - 30_000)
        #expect(try parse("-15m") == fixedNow - 900_000)
        #expect(try parse("-2h") == fixedNow - 7_200_000)
        #expect(try parse("-1d") == fixedNow - 86_400_000)
        #expect(try parse("-0s") == fixedNow)
        #expect(try parse(" -15m ") == fixedNow - 900_000)
        #expect(try parse("@-15m") == fixedNow - 900_000)
        // Before the epoch is the epoch; too far back for a 64-bit count is an error.
        #expect(try parse("-100000d") == 0)
        #expect(try parse("-1d", now: 5) == 0)
        #expect(problem("-106751991167301d") == "-106751991167301d is too far back")
        #expect(problem("-99999999999999999999s") == "-99999999999999999999s is too far back")
    }

    /// A bad input is refused with the reason; the error's description lists every accepted form.
    @Test func badInputSaysWhatIsAccepted() {
        #expect(problem("") == "no time given")
        #expect(problem("   ") == "no time given")
        #expect(problem("@") == "nothing after @")
        #expect(problem("yesterday") == "not a time")
        #expect(problem("-5") == "a relative time needs a unit: -5s, -5m, -5h or -5d")
        #expect(problem("-5y") == "unknown unit 'y' in -5y: use s, m, h or d")
        #expect(problem("-5M") == "unknown unit 'M' in -5M: use s, m, h or d")
        #expect(problem("-5ms") == "unknown unit 'ms' in -5ms: use s, m, h or d")
        #expect(problem("-m") == "expected a number after '-', as in -15m")
        #expect(problem("+15m") == "a relative time counts back from now: -15m, not +15m")
        #expect(problem("2024-13-01") == "month 13 does not exist")
        #expect(problem("2024-00-01") == "month 0 does not exist")
        #expect(problem("2023-02-29") == "2023-02-29 does not exist (that month has 28 days)")
        #expect(problem("2024-04-31") == "2024-04-31 does not exist (that month has 30 days)")
        #expect(problem("2024-05-00") == "2024-05-00 does not exist (that month has 31 days)")
        #expect(problem("2024-05-01 25:00") == "hour 25 does not exist (0 to 23)")
        #expect(problem("2024-05-01 24:00") == "hour 24 does not exist (0 to 23)")
        #expect(problem("2024-05-01 12:60") == "minute 60 does not exist (0 to 59)")
        #expect(problem("2024-05-01 12:00:60") == "second 60 does not exist (0 to 59)")
        #expect(problem("2024-05-01 12") == "expected a time as HH:MM[:SS[.mmm]] after the date (12:00, 12:00:30.250)")
        #expect(
            problem("2024-05-01 12:0") == "expected a time as HH:MM[:SS[.mmm]] after the date (12:00, 12:00:30.250)")
        #expect(problem("2024-05-01 12:00:") == "expected seconds as SS after HH:MM:")
        #expect(problem("2024-05-01 12:00:00.") == "expected digits after the seconds' decimal point")
        #expect(problem("2024/05/01") == "expected a date as YYYY-MM-DD (2024-05-01)")
        #expect(problem("24-05-01") == "expected a date as YYYY-MM-DD (2024-05-01)")
        #expect(
            problem("2024-05-01X") == "unexpected 'X' after the date: a time follows a T or a space (2024-05-01T12:00)")
        #expect(problem("2024-05-01T12:00 UTC") == "unexpected ' UTC' after the time: a zone is Z or +HH:MM")
        #expect(problem("2024-05-01T12:00Zjunk") == "unexpected 'junk' after the time")
        #expect(problem("2024-05-01T12:00+2") == "expected a zone as +HH:MM (+02:00)")
        #expect(problem("2024-05-01T12:00+02:") == "expected the zone's minutes after +HH:")
        #expect(problem("2024-05-01T12:00+24:00") == "zone offset +24:00 does not exist")
        #expect(problem("1969-12-31") == "a time before 1970-01-01T00:00Z is not a timestamp")
        #expect(problem("1970-01-01T00:30+01:00") == "a time before 1970-01-01T00:00Z is not a timestamp")
        #expect(problem("２０２４-05-01") == "not a time")  // fullwidth digits are not digits here
        #expect(problem("2024-05-01\u{1b}[2J") != nil)

        do {
            _ = try TimeInput.parse("2024-13-01\u{1b}", nowMs: fixedNow)
            Issue.record("accepted a bad time")
        } catch {
            #expect(error.description.hasPrefix("'2024-13-01\\x1b' is not a time (month 13 does not exist); use "))
            #expect(error.description.hasSuffix(TimeInput.accepted))
        }
        // Text in none of the forms is told apart from a form with a mistake, for callers that
        // also accept words (the CLI's earliest, latest, shift:N).
        for (text, unrecognized) in [("yesterday", true), ("shift:5", true), ("2024-13-01", false), ("-5y", false)] {
            #expect(throws: TimeInputError.self) { try TimeInput.parse(text, nowMs: fixedNow) }
            do {
                _ = try TimeInput.parse(text, nowMs: fixedNow)
            } catch {
                #expect(error.isUnrecognized == unrecognized, "\(text)")
            }
        }
        for form in ["epoch milliseconds", "2024-05-01T12:00", "Z or +HH:MM", "now", "-30s", "-15m", "-2h", "-1d"] {
            #expect(TimeInput.accepted.contains(form))
        }
    }
}
