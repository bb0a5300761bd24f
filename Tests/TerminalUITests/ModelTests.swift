import AdminProtocol
import KafkaHash
import Testing

@testable import TerminalUI

struct ModelTests {
    struct Vector: Sendable, CustomTestStringConvertible {
        let key: [UInt8]
        let murmur2: Int32
        let p3: Int32
        var testDescription: String { "\(key)" }
    }

    /// murmur2 matches the Java client's vectors, and the partition is toPositive(hash) % n.
    @Test(arguments: [
        Vector(key: [], murmur2: 275_646_681, p3: 0),
        Vector(key: Array("a".utf8), murmur2: -1_563_381_124, p3: 1),
        Vector(key: Array("foo".utf8), murmur2: 597_841_616, p3: 2),
        Vector(key: Array("key-0".utf8), murmur2: 29_210_041, p3: 1),
        Vector(key: Array("hello world".utf8), murmur2: 1_221_641_059, p3: 1),
        Vector(key: [0x00, 0xff], murmur2: -190_448_095, p3: 1),
        Vector(key: [0xc3, 0xbc], murmur2: 1_419_834_458, p3: 2),
    ])
    func murmur2Vectors(_ v: Vector) {
        #expect(KafkaPartitioner.murmur2(v.key) == v.murmur2)
        #expect(KafkaPartitioner.partition(forKey: v.key, partitionCount: 3) == v.p3)
    }

    /// The brief's vector: murmur2("foo") = 597841616 and toPositive % 3 = 2; toPositive is a mask, not abs.
    @Test func murmur2FooAndToPositive() {
        #expect(KafkaPartitioner.murmur2(Array("foo".utf8)) == 597_841_616)
        #expect(KafkaPartitioner.toPositive(597_841_616) % 3 == 2)
        #expect(KafkaPartitioner.toPositive(Int32.min) == 0)
        #expect(KafkaPartitioner.toPositive(-1) == Int32.max)
    }

    /// Topic names follow Kafka's rules, and each broken rule is named in words.
    @Test func topicNameRules() {
        #expect(TopicNameRules.problem(with: "prices") == nil)
        #expect(TopicNameRules.problem(with: "a.b_c-D9") == nil)
        #expect(TopicNameRules.problem(with: String(repeating: "x", count: 249)) == nil)
        #expect(TopicNameRules.problem(with: "") == "a topic name cannot be empty")
        #expect(TopicNameRules.problem(with: ".") == "'.' and '..' are not allowed as topic names")
        #expect(TopicNameRules.problem(with: "..") == "'.' and '..' are not allowed as topic names")
        #expect(
            TopicNameRules.problem(with: String(repeating: "x", count: 250))
                == "a topic name can be at most 249 characters, this one has 250")
        #expect(
            TopicNameRules.problem(with: "new topic")
                == "space is not allowed; use only ASCII letters, digits, '.', '_' and '-'")
        #expect(
            TopicNameRules.problem(with: "prix/€")
                == "'/' is not allowed; use only ASCII letters, digits, '.', '_' and '-'")
        #expect(TopicNameRules.warning(for: "a.b_c") != nil)
        #expect(TopicNameRules.warning(for: "a.b") == nil)
    }

    /// Counts, sizes, lags, ages, timestamps and uptimes read the way the screens show them.
    @Test func formatting() {
        #expect(Format.count(0) == "0")
        #expect(Format.count(999) == "999")
        #expect(Format.count(1_234_567) == "1,234,567")
        #expect(Format.count(-1_234) == "-1,234")
        #expect(Format.bytes(512) == "512 B")
        #expect(Format.bytes(1_536) == "1.5 KiB")
        #expect(Format.bytes(12_582_912) == "12.0 MiB")
        #expect(Format.bytes(-1) == "-")
        #expect(Format.lag(milliseconds: 0) == "0s")
        #expect(Format.lag(milliseconds: 850) == "850ms")
        #expect(Format.lag(milliseconds: 3_240) == "3.2s")
        #expect(Format.lag(milliseconds: 42_000) == "42s")
        #expect(Format.lag(milliseconds: 240_000) == "4m")
        #expect(Format.lag(milliseconds: 3_900_000) == "1h 5m")
        #expect(Format.lag(milliseconds: 7_200_000) == "2h")
        #expect(Format.lag(milliseconds: 90_000_000) == "1d 1h")
        #expect(Format.lag(milliseconds: -1) == "-")
        #expect(Format.ago(fixedNow - 3_000, now: fixedNow) == "3s ago")
        #expect(Format.ago(fixedNow - 240_000, now: fixedNow) == "4m ago")
        #expect(Format.ago(fixedNow, now: fixedNow) == "just now")
        #expect(Format.ago(-1, now: fixedNow) == "never")
        #expect(Format.timestamp(fixedNow + 3_123) == "2024-05-01 12:00:03.123")
        #expect(Format.timestamp(fixedNow, utcOffsetSeconds: 7_200) == "2024-05-01 14:00:00.000")
        #expect(Format.timestamp(0) == "1970-01-01 00:00:00.000")
        #expect(Format.timestamp(-1) == "-")
        #expect(Format.shortTimestamp(fixedNow) == "05-01 12:00:00")
        #expect(Format.uptime(milliseconds: 93_784_000) == "1d 2h 3m")
        #expect(Format.uptime(milliseconds: 65_000) == "1m 5s")
        #expect(Format.rate(12.54) == "12.5/s")
    }

    /// Dates round-trip through the civil calendar, leap days included.
    @Test func civilTimeRoundTrips() {
        for ms: Int64 in [0, fixedNow, 1_709_164_800_000 /* 2024-02-29 */, 951_782_400_000 /* 2000-02-29 */] {
            let c = CivilTime(ms: ms)
            #expect(c.milliseconds == ms)
        }
        #expect(CivilTime(ms: 1_709_164_800_000).month == 2)
        #expect(CivilTime(ms: 1_709_164_800_000).day == 29)
    }

    /// Times can be typed as dates, epoch milliseconds or relative to now; nonsense is refused.
    @Test func timeInput() {
        #expect(TimeInput.parse("2024-05-01 12:00", nowMs: 0) == fixedNow)
        #expect(TimeInput.parse("2024-05-01T12:00:30", nowMs: 0) == fixedNow + 30_000)
        #expect(TimeInput.parse("2024-05-01", nowMs: 0) == fixedNow - 43_200_000)
        #expect(TimeInput.parse("2024-05-01 14:00", nowMs: 0, utcOffsetSeconds: 7_200) == fixedNow)
        #expect(TimeInput.parse(" 1714564800000 ", nowMs: 0) == fixedNow)
        #expect(TimeInput.parse("-15m", nowMs: fixedNow) == fixedNow - 900_000)
        #expect(TimeInput.parse("-1d", nowMs: fixedNow) == fixedNow - 86_400_000)
        #expect(TimeInput.parse("2024-13-01", nowMs: 0) == nil)
        #expect(TimeInput.parse("2024-05-01 25:00", nowMs: 0) == nil)
        #expect(TimeInput.parse("yesterday", nowMs: 0) == nil)
        #expect(TimeInput.parse("-5y", nowMs: fixedNow) == nil)
        #expect(TimeInput.parse("", nowMs: 0) == nil)
    }

    /// Printable text is shown as is (line breaks as spaces); anything else as \xHH escapes, never raw.
    @Test func payloadPreviews() {
        #expect(Payload.preview(Array("hello 世界 🚀".utf8)) == "hello 世界 🚀")
        #expect(Payload.preview(Array("a\nb\tc\r".utf8)) == "a b c ")
        #expect(Payload.preview(nil) == "(null)")
        #expect(Payload.preview([]) == "")
        #expect(Payload.preview([0x00, 0xFF, 0x1B, 0x41]) == "\\x00\\xff\\x1bA")
        #expect(Payload.preview(Array("\u{1b}[2J".utf8)) == "\\x1b[2J")
        #expect(Payload.preview([0xC3]) == "\\xc3")
        #expect(Payload.preview([0x5C, 0x01]) == "\\\\\\x01")
        let long = Payload.preview(Array(repeating: UInt8(ascii: "x"), count: 600))
        #expect(long == String(repeating: "x", count: 512) + "…")
        // A cut in the middle of a multi-byte character still previews as text.
        let cjk = Array(String(repeating: "日", count: 200).utf8)
        #expect(Payload.preview(cjk, limit: 512).hasSuffix("日…"))
        for bytes: [UInt8] in [[0x07, 0x08], [0x7F], Array("\u{9B}".utf8)] {
            #expect(
                !Payload.preview(bytes).unicodeScalars.contains { $0.value < 0x20 || (0x7F..<0xA0).contains($0.value) })
        }
    }

    /// JSON is pretty-printed with two-space indentation, keys in their original order.
    @Test func prettyJSON() {
        let lines = Payload.detailLines(
            Array(#"{"b":1,"a":[true,null,{"x":"y\n"}],"e":{},"f":[],"n":-1.5e3}"#.utf8), format: .json)
        #expect(
            lines == [
                "{", "  \"b\": 1,", "  \"a\": [", "    true,", "    null,", "    {", "      \"x\": \"y\\n\"", "    }",
                "  ],",
                "  \"e\": {},", "  \"f\": [],", "  \"n\": -1.5e3", "}",
            ])
        #expect(Payload.detailLines(Array(#"["\ud83d\ude80"]"#.utf8), format: .json) == ["[", "  \"🚀\"", "]"])
        #expect(Payload.automaticFormat(Array(#"{"a":1}"#.utf8)) == .json)
        #expect(Payload.automaticFormat(Array(#"{"a":}"#.utf8)) == .text)
        #expect(Payload.automaticFormat(Array("42".utf8)) == .text)
        #expect(Payload.automaticFormat([0x00, 0x01]) == .hex)
        #expect(Payload.detailLines(Array(#"{"a":}"#.utf8), format: .json).first == "(not JSON; shown as text)")
        // Hostile nesting is refused, not a stack overflow.
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(JSON.prettyLines(Array(deep.utf8)) == nil)
    }

    /// The hex dump shows offset, two groups of eight bytes and the printable ASCII column.
    @Test func hexDump() {
        let lines = Payload.hexDump(Array("{\"a\":1}\n0123456789".utf8))
        #expect(
            lines == [
                "00000000  7b 22 61 22 3a 31 7d 0a  30 31 32 33 34 35 36 37  |{\"a\":1}.01234567|",
                "00000010  38 39                                             |89|",
            ])
        #expect(Payload.hexDump(Array(repeating: 0, count: 64), maxLines: 2).last == "… 32 more bytes")
    }

    /// The sparkline scales the shown values between their minimum and maximum.
    @Test func sparkline() {
        #expect(Sparkline.render([0, 1, 2, 3, 4, 5, 6, 7], width: 20) == "▁▂▃▄▅▆▇█")
        #expect(Sparkline.render([5, 5, 5], width: 20) == "▄▄▄")
        #expect(Sparkline.render([0, 0], width: 20) == "▁▁")
        #expect(Sparkline.render([100, 0, 7], width: 2) == "▁█")
        #expect(Sparkline.render([], width: 20) == "")
    }
}
