import Testing

@testable import SkiffText

/// The one escaping rule: what is escaped, what is kept, bytes that are not UTF-8.
struct SafeTextTests {
    /// Printable text of any script is kept exactly, backslashes and all.
    @Test(arguments: ["plain", "café", "日本語のテキスト", "한국어", "🚀 👍🏽 👨‍👩‍👧 🇯🇵", "e\u{301}", "a\\b", "", " "])
    func safeTextIsKept(_ text: String) {
        #expect(SafeText.escape(text) == text)
        #expect(SafeText.bytes(Array(text.utf8)) == text)
        #expect(!SafeText.needsEscaping(text))
    }

    /// C0 controls, DEL and C1 controls are escaped; the common ones by name.
    @Test func controlCharacters() {
        #expect(SafeText.escape("a\nb\rc\td") == "a\\nb\\rc\\td")
        #expect(SafeText.escape("\u{0}\u{1b}[2J\u{7}\u{7f}") == "\\x00\\x1b[2J\\x07\\x7f")
        #expect(SafeText.escape("x\u{85}y\u{9b}z") == "x\\u{85}y\\u{9b}z")
        #expect(SafeText.escape("\u{9f}") == "\\u{9f}")
        #expect(SafeText.escape("\u{a0}") == "\u{a0}")  // NO-BREAK SPACE is not a control
    }

    /// Separators and every bidirectional embedding, override and isolate control are escaped;
    /// the implicit marks (LRM, RLM, ALM) are harmless and kept.
    @Test func separatorsAndBidiControls() {
        #expect(SafeText.escape("a\u{2028}b\u{2029}c") == "a\\u{2028}b\\u{2029}c")
        for value: UInt32 in [0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069] {
            let scalar = Unicode.Scalar(value)!
            #expect(SafeText.isUnsafe(scalar))
            #expect(SafeText.escape("x\(scalar)y") == "x\\u{\(String(value, radix: 16))}y")
        }
        // The classic spoof: an override that makes "txt.exe" read "exe.txt".
        #expect(SafeText.escape("invoice\u{202E}txt.exe") == "invoice\\u{202e}txt.exe")
        for value: UInt32 in [0x200E, 0x200F, 0x061C, 0x200D, 0xFE0F] {
            #expect(!SafeText.isUnsafe(Unicode.Scalar(value)!))
        }
    }

    /// Once anything is escaped, backslashes are doubled so the escaped form is unambiguous;
    /// text that needed nothing keeps its single backslashes. Escaping twice changes nothing.
    @Test func backslashesAndIdempotence() {
        #expect(SafeText.escape("C:\\dir") == "C:\\dir")
        #expect(SafeText.escape("\\x1b\u{1b}") == "\\\\x1b\\x1b")
        for text in ["a\u{1b}b\\c", "\u{202e}\\", "tab\there", "日本\u{0}語"] {
            let once = SafeText.escape(text)
            #expect(SafeText.escape(once) == once)
            #expect(!SafeText.needsEscaping(once))
        }
    }

    /// Bytes that are not UTF-8 are escaped one byte at a time; valid UTF-8 around them is kept
    /// as text, so `é` stays `é` next to a control byte.
    @Test func invalidUTF8() {
        #expect(SafeText.bytes([0xFF]) == "\\xff")
        #expect(SafeText.bytes([0xC3]) == "\\xc3")  // a cut two-byte sequence
        #expect(SafeText.bytes([0x63, 0x61, 0x66, 0xC3, 0xA9, 0x01]) == "café\\x01")
        #expect(SafeText.bytes(Array("é".utf8) + [0xFF] + Array("é".utf8)) == "é\\xffé")
        #expect(SafeText.bytes([0xE6, 0x97, 0x41]) == "\\xe6\\x97A")  // a cut three-byte sequence
        #expect(SafeText.bytes([0xC0, 0xAF]) == "\\xc0\\xaf")  // an overlong "/"
        #expect(SafeText.bytes([0xED, 0xA0, 0x80]) == "\\xed\\xa0\\x80")  // a UTF-16 surrogate
        #expect(SafeText.bytes([0xF4, 0x90, 0x80, 0x80]) == "\\xf4\\x90\\x80\\x80")  // above U+10FFFF
        #expect(SafeText.bytes([0x00, 0xFF, 0x1B, 0x41]) == "\\x00\\xff\\x1bA")
        #expect(SafeText.bytes([0x5C, 0xFF]) == "\\\\\\xff")  // a backslash beside an escape is doubled
        #expect(SafeText.bytes(Array("日本".utf8) + [0x80] + Array("🚀".utf8)) == "日本\\x80🚀")
        #expect(SafeText.bytes(nil) == "(null)")
        #expect(SafeText.bytes([]) == "")
        #expect(SafeText.escape(bytes: [0x41, 0xFE][...]) == "A\\xfe")
    }

    /// Whatever the bytes, nothing a terminal interprets survives.
    @Test func noUnsafeScalarSurvives() {
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<300 {
            var bytes: [UInt8] = []
            for _ in 0..<40 {
                seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                bytes.append(UInt8(truncatingIfNeeded: seed >> 56))
            }
            // Sprinkle in multi-byte controls: C1, bidi overrides, separators.
            bytes += Array("\u{9b}\u{202e}\u{2028}\u{2066}".utf8)
            let shown = SafeText.bytes(bytes)
            #expect(!shown.unicodeScalars.contains(where: SafeText.isUnsafe), "\(bytes)")
        }
    }

    /// Escape sequences are found whole, so layout can keep them together.
    @Test func escapeUnits() {
        #expect(SafeText.units("a\\x1bb").map(String.init) == ["a", "\\x1b", "b"])
        #expect(SafeText.units("\\u{202e}\\n\\\\").map(String.init) == ["\\u{202e}", "\\n", "\\\\"])
        #expect(SafeText.units("日\\t🚀").map(String.init) == ["日", "\\t", "🚀"])
        // Not escapes: a lone backslash, \x with one digit, \u without braces.
        #expect(SafeText.units("\\x1").map(String.init) == ["\\", "x", "1"])
        #expect(SafeText.units("\\u12").map(String.init) == ["\\", "u", "1", "2"])
        #expect(SafeText.units("\\").map(String.init) == ["\\"])
        #expect(SafeText.units("\\u{}").map(String.init) == ["\\", "u", "{", "}"])
    }
}
