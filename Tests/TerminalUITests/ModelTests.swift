import AdminProtocol
import KafkaHash
import Testing

import enum SkiffText.DisplayWidth

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

    /// Printable text is shown as is (line breaks as spaces); anything else escaped with the one
    /// rule (valid UTF-8 kept, controls and bytes that are not UTF-8 escaped), never raw.
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
        // One control byte escapes only itself: é stays é (it was \xc3\xa9 when any byte was binary).
        #expect(Payload.preview(Array("café\u{1}".utf8)) == "café\\x01")
        #expect(Payload.preview(Array("é".utf8) + [0xFF, 0x41]) == "é\\xffA")
        // Bidirectional overrides in text are escaped like the CLI escapes them.
        #expect(Payload.preview(Array("invoice\u{202E}txt.exe".utf8)) == "invoice\\u{202e}txt.exe")
        // A cut inside a character leaves the character out, in binary too.
        #expect(Payload.preview([0x01] + Array("日本".utf8), limit: 5) == "\\x01日…")
        #expect(Payload.preview([0x01] + Array("日本".utf8), limit: 5, ellipsis: "...") == "\\x01日...")
        for bytes: [UInt8] in [[0x07, 0x08], [0x7F], Array("\u{9B}".utf8), Array("\u{2066}\u{2028}".utf8)] {
            #expect(
                !Payload.preview(bytes).unicodeScalars.contains { $0.value < 0x20 || (0x7F..<0xA0).contains($0.value) })
        }
    }

    /// The value's lines for `width` columns, as text.
    private func valueText(_ bytes: [UInt8], _ format: PayloadFormat, width: Int = 64) -> [String] {
        DetailText.valueLines(bytes, format: format, width: width, ellipsis: "…").map(\.text)
    }

    /// Binary in the text format is escaped and cut into lines that never split an escape.
    @Test func binaryDetailLines() {
        let bytes: [UInt8] = Array(repeating: 0x1B, count: 20) + Array("é".utf8)
        #expect(
            valueText(bytes, .text) == [
                String(repeating: "\\x1b", count: 16), String(repeating: "\\x1b", count: 4) + "é",
            ])
        let odd: [UInt8] = [0x41] + Array(repeating: 0xFF, count: 20)
        #expect(valueText(odd, .text).first == "A" + String(repeating: "\\xff", count: 15))
        #expect(valueText(odd, .text).last == String(repeating: "\\xff", count: 5))
        #expect(valueText([0xC3], .text) == ["\\xc3"])
        // One control byte escapes only itself: é stays é.
        #expect(valueText(Array("caf\u{1}é".utf8), .text) == ["caf\\x01é"])
    }

    /// Text wraps at word boundaries to the width, every word kept in order, whatever its length
    /// or script; a line break in the value starts a line.
    @Test func textWrapsToTheWidth() {
        let sentence = (1...60).map { "word\($0)" }.joined(separator: " ")  // 410 bytes
        let lines = valueText(Array(sentence.utf8), .text, width: 80)
        #expect(lines.count > 1)
        #expect(lines.allSatisfy { DisplayWidth.of($0) <= 80 })
        #expect(lines.joined(separator: " ") == sentence)
        #expect(lines.last?.hasSuffix("word60") == true)
        // CJK takes two columns a character; the end is there.
        let cjk = String(repeating: "東京駅のカフェ", count: 40) + "終わり"
        let cjkLines = valueText(Array(cjk.utf8), .text, width: 50)
        #expect(cjkLines.allSatisfy { DisplayWidth.of($0) <= 50 })
        #expect(cjkLines.joined() == cjk)
        // 100 KiB of text: every byte is in the lines.
        let big = String(repeating: "lorem ipsum dolor sit amet ", count: 3_800)
        let bigLines = valueText(Array(big.utf8), .text, width: 118)
        #expect(bigLines.joined(separator: " ").trimmingSpaces == big.trimmingSpaces)
        // Tabs and CR LF.
        #expect(valueText(Array("a\tb\r\nc".utf8), .text) == ["a    b", "c"])
    }

    /// JSON is pretty-printed with two-space indentation, keys in their original order; a long
    /// string wraps under its indentation.
    @Test func prettyJSON() {
        let lines = valueText(
            Array(#"{"b":1,"a":[true,null,{"x":"y\n"}],"e":{},"f":[],"n":-1.5e3}"#.utf8), .json)
        #expect(
            lines == [
                "{", "  \"b\": 1,", "  \"a\": [", "    true,", "    null,", "    {", "      \"x\": \"y\\n\"", "    }",
                "  ],",
                "  \"e\": {},", "  \"f\": [],", "  \"n\": -1.5e3", "}",
            ])
        #expect(valueText(Array(#"["\ud83d\ude80"]"#.utf8), .json) == ["[", "  \"🚀\"", "]"])
        #expect(Payload.automaticFormat(Array(#"{"a":1}"#.utf8)) == .json)
        #expect(Payload.automaticFormat(Array(#"{"a":}"#.utf8)) == .text)
        #expect(Payload.automaticFormat(Array("42".utf8)) == .text)
        #expect(Payload.automaticFormat([0x00, 0x01]) == .hex)
        #expect(valueText(Array(#"{"a":}"#.utf8), .json).first == "(not JSON; shown as text)")
        let long = #"{"text":""# + (1...30).map { "w\($0)" }.joined(separator: " ") + #""}"#
        let wrapped = valueText(Array(long.utf8), .json, width: 40)
        #expect(wrapped.count > 3)
        #expect(wrapped.allSatisfy { DisplayWidth.of($0) <= 40 })
        #expect(wrapped[2].hasPrefix("    ") && !wrapped[1].hasPrefix("    "))
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

    /// On a shared scale bars compare across rows: zero is the lowest, anything above zero at
    /// least the second, the scale the highest.
    @Test func sparklineOnAScale() {
        #expect(Sparkline.render([0, 2, 3, 35, 70], width: 20, scale: 70) == "▁▂▂▅█")
        #expect(Sparkline.render([70, 70], width: 20, scale: 70) == "██")
        #expect(Sparkline.render([5, 5], width: 1, scale: 0) == "▁")
    }
}
