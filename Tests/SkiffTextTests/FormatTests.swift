import Testing

@testable import SkiffText

/// 2024-05-01 12:00:00 UTC, in milliseconds since the epoch.
let fixedNow: Int64 = 1_714_564_800_000

/// Counts, sizes, rates, durations, times and config values as the CLI and the screens show them.
struct FormatTests {
    @Test func counts() {
        #expect(Format.count(0) == "0")
        #expect(Format.count(999) == "999")
        #expect(Format.count(1_000) == "1,000")
        #expect(Format.count(1_234_567) == "1,234,567")
        #expect(Format.count(-1_234) == "-1,234")
        #expect(Format.count(Int64.max) == "9,223,372,036,854,775,807")
        #expect(Format.count(Int64.min) == "-9,223,372,036,854,775,808")
        #expect(Format.count(42 as Int) == "42")
        #expect(Format.optional(-1) == "-")
        #expect(Format.optional(17) == "17")
        #expect(Format.plural(1, "partition") == "1 partition")
        #expect(Format.plural(3, "partition") == "3 partitions")
        #expect(Format.plural(1_024, "record") == "1,024 records")
    }

    @Test func bytes() {
        #expect(Format.bytes(0) == "0 B")
        #expect(Format.bytes(512) == "512 B")
        #expect(Format.bytes(1_023) == "1023 B")
        #expect(Format.bytes(1_024) == "1.0 KiB")
        #expect(Format.bytes(1_536) == "1.5 KiB")
        #expect(Format.bytes(12_582_912) == "12.0 MiB")
        #expect(Format.bytes(1_048_575) == "1.0 MiB")  // not "1024.0 KiB"
        #expect(Format.bytes(1 << 30) == "1.0 GiB")
        #expect(Format.bytes(Int64.max) == "8.0 EiB")
        #expect(Format.bytes(-1) == "-")
        #expect(Format.exactBytes(1_073_741_824) == "1 GiB")
        #expect(Format.exactBytes(536_870_912) == "512 MiB")
        #expect(Format.exactBytes(1_000_000) == "976.6 KiB")
        #expect(Format.exactBytes(100) == "100 B")
    }

    @Test func rates() {
        #expect(Format.rate(12.54) == "12.5/s")
        #expect(Format.rate(0) == "0.0/s")
        #expect(Format.rate(-3) == "0.0/s")
        #expect(Format.rate(.infinity) == "-")
        #expect(Format.rate(.nan) == "-")
        #expect(Format.rate(1e300) == "9000000000000000000/s")
    }

    /// Durations keep the two largest units; below ten seconds, tenths.
    @Test func durations() {
        #expect(Format.duration(milliseconds: 0) == "0s")
        #expect(Format.duration(milliseconds: 850) == "850ms")
        #expect(Format.duration(milliseconds: 3_240) == "3.2s")
        #expect(Format.duration(milliseconds: 9_999) == "9.9s")
        #expect(Format.duration(milliseconds: 42_000) == "42s")
        #expect(Format.duration(milliseconds: 240_000) == "4m")
        #expect(Format.duration(milliseconds: 200_000) == "3m 20s")
        #expect(Format.duration(milliseconds: 3_900_000) == "1h 5m")
        #expect(Format.duration(milliseconds: 7_200_000) == "2h")
        #expect(Format.duration(milliseconds: 90_000_000) == "1d 1h")
        #expect(Format.duration(milliseconds: 604_800_000) == "7d")
        #expect(Format.duration(milliseconds: -1) == "-")
        #expect(Format.duration(milliseconds: Int64.max) == "106751991167d 7h")
        #expect(Format.exactDuration(milliseconds: 604_800_000) == "7d")
        #expect(Format.exactDuration(milliseconds: 5_400_000) == "1h 30m")
        #expect(Format.exactDuration(milliseconds: 1_500) == "1s 500ms")
        #expect(Format.exactDuration(milliseconds: 90_061_001) == "1d 1h 1m 1s 1ms")
        #expect(Format.exactDuration(milliseconds: 0) == "0s")
        #expect(Format.uptime(milliseconds: 93_784_000) == "1d 2h 3m")
        #expect(Format.uptime(milliseconds: 65_000) == "1m 5s")
        #expect(Format.uptime(milliseconds: -5) == "0m 0s")
    }

    @Test func ages() {
        #expect(Format.ago(fixedNow - 3_000, now: fixedNow) == "3s ago")
        #expect(Format.ago(fixedNow - 240_000, now: fixedNow) == "4m ago")
        #expect(Format.ago(fixedNow - 7_200_000, now: fixedNow) == "2h ago")
        #expect(Format.ago(fixedNow - 3 * 86_400_000, now: fixedNow) == "3d ago")
        #expect(Format.ago(fixedNow, now: fixedNow) == "just now")
        #expect(Format.ago(fixedNow + 5_000, now: fixedNow) == "just now")  // a clock behind the broker's
        #expect(Format.ago(-1, now: fixedNow) == "never")
    }

    @Test func timestamps() throws {
        #expect(Format.timestamp(fixedNow + 3_123) == "2024-05-01 12:00:03.123")
        #expect(Format.timestamp(fixedNow, utcOffsetSeconds: 7_200) == "2024-05-01 14:00:00.000")
        #expect(Format.timestamp(fixedNow, utcOffsetSeconds: -18_000) == "2024-05-01 07:00:00.000")
        #expect(Format.timestamp(0) == "1970-01-01 00:00:00.000")
        #expect(Format.timestamp(-1) == "-")
        #expect(Format.timestamp(Int64.max, utcOffsetSeconds: 3_600) == "-")  // would overflow
        #expect(Format.shortTimestamp(fixedNow) == "05-01 12:00:00")
        #expect(Format.iso8601(fixedNow + 7) == "2024-05-01T12:00:00.007Z")
        #expect(Format.iso8601(fixedNow, utcOffsetSeconds: 19_800) == "2024-05-01T17:30:00.000+05:30")
        #expect(Format.iso8601(fixedNow, utcOffsetSeconds: -12_600) == "2024-05-01T08:30:00.000-03:30")
        #expect(Format.iso8601(-1) == "-")
        #expect(Format.zone(utcOffsetSeconds: 0) == "UTC")
        #expect(Format.zone(utcOffsetSeconds: 19_800) == "UTC+05:30")
        #expect(Format.zone(utcOffsetSeconds: -12_600) == "UTC-03:30")
        // What iso8601 writes, TimeInput reads back.
        for offset in [0, 19_800, -12_600] {
            let text = Format.iso8601(fixedNow + 250, utcOffsetSeconds: offset)
            #expect(try TimeInput.parse(text, nowMs: 0, utcOffsetSeconds: 3_600) == fixedNow + 250)
        }
    }

    /// Dates round-trip through the civil calendar, leap days included.
    @Test func civilTimeRoundTrips() {
        for ms: Int64 in [
            0, fixedNow, 1_709_164_800_000 /* 2024-02-29 */, 951_782_400_000 /* 2000-02-29 */, -86_400_000,
            253_402_300_799_999 /* 9999-12-31T23:59:59.999 */,
        ] {
            let c = CivilTime(ms: ms)
            #expect(c.milliseconds == ms)
        }
        #expect(CivilTime(ms: 1_709_164_800_000).month == 2)
        #expect(CivilTime(ms: 1_709_164_800_000).day == 29)
        #expect(CivilTime(ms: -1).year == 1969)
        #expect(CivilTime.days(inMonth: 2, of: 2024) == 29)
        #expect(CivilTime.days(inMonth: 2, of: 1900) == 28)
        #expect(CivilTime.days(inMonth: 2, of: 2000) == 29)
        #expect(CivilTime.days(inMonth: 4, of: 2023) == 30)
    }

    /// Config values say what their number means when the key names a unit.
    @Test func configValues() {
        #expect(Format.configValue("604800000", key: "retention.ms") == "604800000 (7d)")
        #expect(Format.configValue("1073741824", key: "segment.bytes") == "1073741824 (1 GiB)")
        #expect(Format.configValue("1048588", key: "max.message.bytes") == "1048588 (1.0 MiB)")
        #expect(Format.configValue("-1", key: "retention.ms") == "-1 (unlimited)")
        #expect(Format.configValue("-1", key: "retention.bytes") == "-1 (unlimited)")
        #expect(Format.configValue("9223372036854775807", key: "flush.ms") == "9223372036854775807 (unlimited)")
        #expect(Format.configValue("9223372036854775807", key: "flush.messages") == "9223372036854775807 (unlimited)")
        #expect(Format.configValue("10000", key: "flush.messages") == "10000")
        #expect(Format.configValue("5400000", key: "segment.ms") == "5400000 (1h 30m)")
        #expect(Format.configValue("500", key: "segment.ms") == "500")
        #expect(Format.configValue("0", key: "segment.jitter.ms") == "0")
        #expect(Format.configValue("100", key: "segment.bytes") == "100")
        #expect(Format.configValue("delete", key: "cleanup.policy") == "delete")
        #expect(Format.configValue("forever", key: "retention.ms") == "forever")
        #expect(Format.configValue("604800000", key: "retention") == "604800000")
        #expect(Format.configMeaning("1073741824", key: "segment.bytes")! == ("1 GiB", true))
        #expect(Format.configMeaning("1048588", key: "max.message.bytes")! == ("1.0 MiB", false))
        #expect(Format.configMeaning("604800000", key: "retention.ms")! == ("7d", true))
        #expect(Format.configMeaning("-1", key: "retention.ms")! == ("unlimited", true))
        #expect(Format.configMeaning("100", key: "segment.bytes") == nil)
        #expect(Format.configMeaning("delete", key: "cleanup.policy") == nil)
    }
}
