import AdminProtocol
import SkiffText
import Testing

@testable import TerminalUI

/// The UI's own symbols come from one set; in a locale that is not UTF-8 every screen is drawn
/// in ASCII, and only user data (keys, values, names as they are) can hold anything else.
struct GlyphsTests {
    /// Every non-ASCII character of the demo broker's data (the greetings topic's keys and values).
    static let userCharacters: Set<Character> = {
        let texts = [
            "日本", "こんにちは世界、価格が上がった。今日も良い天気です", "🚀 to the moon 🌕 again", "ключ",
        ]
        return Set(texts.flatMap { $0.filter { !$0.isASCII } })
    }()

    /// The screen's non-ASCII graphemes that are not user data, with their positions.
    func strayGlyphs(_ buffer: ScreenBuffer) -> [String] {
        var stray: [String] = []
        for y in 0..<buffer.height {
            for x in 0..<buffer.width {
                let text = buffer[x, y].text
                guard !text.unicodeScalars.allSatisfy(\.isASCII) else { continue }
                if let c = text.first, text.count == 1, Self.userCharacters.contains(c) { continue }
                stray.append("\(text) at \(x),\(y) in \"\(buffer.line(y))\"")
            }
        }
        return stray
    }

    /// Renders the state with the ASCII set and records any symbol that is not ASCII.
    func expectASCII(_ d: Driver, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let buffer = render(d.state)
        #expect(buffer.glyphs == .ascii, sourceLocation: sourceLocation)
        let stray = strayGlyphs(buffer)
        #expect(stray.isEmpty, "\(what):\n\(stray.prefix(5).joined(separator: "\n"))", sourceLocation: sourceLocation)
    }

    func asciiDriver(_ fake: FakeAdminService = demoBroker(), size: TerminalSize = size100x30) async -> Driver {
        let d = Driver(fake: fake, size: size, glyphs: .ascii)
        await d.start()
        return d
    }

    @Test func theSetsDiffer() {
        #expect(Glyphs.ascii.isASCII)
        #expect(!Glyphs.unicode.isASCII)
        #expect(Glyphs.ascii.bars.count == 8 && Glyphs.unicode.bars.count == 8)
        #expect(Sparkline.render([0, 1, 2, 3, 4, 5, 6, 7], width: 8, bars: Glyphs.ascii.bars) == "_.:-=+*#")
        #expect(Glyphs.unicode.joined(["a", "b"]) == "a · b")
        #expect(Glyphs.ascii.joined(["a", "b"]) == "a | b")
        // The user data the screens below show shares no character with the Unicode symbols.
        let symbols = Set(
            [
                Glyphs.unicode.ellipsis, Glyphs.unicode.separator, Glyphs.unicode.arrow, Glyphs.unicode.live,
                Glyphs.unicode.horizontalLine, Glyphs.unicode.warning, Glyphs.unicode.pathSeparator,
            ].joined())
        #expect(Self.userCharacters.isDisjoint(with: symbols))
    }

    /// The character set a locale names picks the set: only UTF-8 gets Unicode symbols.
    @Test(arguments: [
        ("UTF-8", true), ("utf-8", true), ("utf8", true), ("UTF8", true), ("ANSI_X3.4-1968", false),
        ("ISO-8859-1", false), ("", false),
    ])
    func codesets(_ codeset: String, _ unicode: Bool) {
        #expect((Glyphs.forCodeset(codeset) == .unicode) == unicode)
    }

    /// A terminal that says nothing is Unicode; the app takes the set its terminal reports.
    @Test func theAppTakesTheTerminalsSet() {
        final class ASCIITerminal: Terminal {
            var size: TerminalSize { size100x30 }
            var glyphs: Glyphs { .ascii }
            func draw(_ buffer: ScreenBuffer) {}
            func readKey(timeoutMilliseconds: Int) -> Key? { nil }
            func restore() {}
        }
        final class PlainTerminal: Terminal {
            var size: TerminalSize { size100x30 }
            func draw(_ buffer: ScreenBuffer) {}
            func readKey(timeoutMilliseconds: Int) -> Key? { nil }
            func restore() {}
        }
        let ascii = App(
            terminal: ASCIITerminal(), service: FakeAdminService(), context: testContext, clock: { fixedNow })
        #expect(ascii.state.glyphs == .ascii)
        let plain = App(
            terminal: PlainTerminal(), service: FakeAdminService(), context: testContext, clock: { fixedNow })
        #expect(plain.state.glyphs == .unicode)
    }

    /// The browsing screens: lists, sort markers, a topic with its config grid, the messages of a
    /// partition with the detail pane in every format, all partitions followed live, a key search,
    /// groups with trends, a group, the broker with notices and sparklines, help.
    @Test func browsingScreensAreASCII() async {
        let fake = demoBroker()
        var storage = fake.storage
        storage.notices = [
            StorageNoticeInfo(
                kind: "damaged-data", path: "orders-1/00000000000000000000.log",
                message: "corrupt data in partition orders-1: offset 7 cannot be read", timeMs: fixedNow)
        ]
        fake.storage = storage
        // The check itself finds the Unicode symbols of a Unicode screen.
        let unicode = Driver(fake: fake)
        await unicode.start()
        #expect(strayGlyphs(render(unicode.state)).count >= 5)
        let d = await asciiDriver(fake)
        expectASCII(d, "topics")
        #expect(d.screen[0].hasPrefix(" Skiff - 127.0.0.1:9292"))
        #expect(d.screen.last?.hasPrefix(" * connected  every 2s") == true, "\(d.screen.last ?? "")")
        await d.press(.character("s"))
        expectASCII(d, "topics sorted by partitions")
        await d.press(.character("s"), .character("s"), .character("s"), .character("s"), .character("s"))
        await d.press(.down, .enter)
        expectASCII(d, "topic prices")
        #expect(d.screen[0].hasSuffix("Topics > prices"), "\(d.screen[0])")
        await d.press(.character("m"))
        expectASCII(d, "all partitions of prices")
        await d.press(.character("f"))
        expectASCII(d, "following")
        await d.press(.character("f"), .escape, .escape)

        await d.command("t greetings")
        await d.press(.enter)
        expectASCII(d, "messages of greetings (user data shown as is)")
        for _ in 0..<5 {
            await d.press(.enter)
            expectASCII(d, "detail pane")
            for format in 0..<3 {
                await d.press(.character("x"))
                expectASCII(d, "detail pane, format \(format)")
            }
            await d.press(.enter, .up)
        }
        await d.press(.character("F"))
        await d.type("rocket")
        await d.press(.enter)
        expectASCII(d, "key search")

        await d.command("groups")
        for _ in 0..<4 { await d.tick(by: 2_500) }
        expectASCII(d, "groups with trends")
        await d.command("g trading-strategy.abc")
        for _ in 0..<3 { await d.tick(by: 2_500) }
        expectASCII(d, "group")
        await d.command("broker")
        for _ in 0..<3 { await d.tick(by: 2_500) }
        expectASCII(d, "broker with notices")
        #expect(d.screenText.contains("! corrupt data in partition orders-1"), "\(d.screenText)")
        await d.press(.character("?"))
        expectASCII(d, "help")
        #expect(d.screen.contains("   Up k              move up"), "\(d.screen)")
        for _ in 0..<20 { await d.press(.pageDown) }
        expectASCII(d, "help, last page")
    }

    /// Dialogs, forms, prompts, status messages, the disconnected banner and a too-small terminal.
    @Test func formsAndMessagesAreASCII() async {
        let fake = demoBroker()
        let d = await asciiDriver(fake)
        await d.press(.character("c"))
        expectASCII(d, "create topic, empty")
        await d.type("new-topic")
        await d.press(.tab, .tab)
        await d.type("-7")
        expectASCII(d, "create topic with a problem")
        await d.press(.tab, .right)
        expectASCII(d, "create topic, policy chosen")
        await d.press(.escape)

        await d.press(.character("p"))
        await d.press(.tab)
        await d.type("some-key")
        expectASCII(d, "publish with a key")
        await d.press(.tab)
        await d.type("99")
        expectASCII(d, "publish with a bad partition")
        await d.press(.escape)

        await d.press(.character("r"))
        expectASCII(d, "refreshing")
        await d.press(.character("d"))
        expectASCII(d, "delete prompt")
        await d.type("nope")
        await d.press(.enter)
        expectASCII(d, "delete prompt refused")
        await d.press(.escape)

        await d.command("t greetings")
        await d.press(.enter, .character("t"))
        await d.type("2024-13-01")
        await d.press(.enter)
        expectASCII(d, "time prompt refused")
        #expect(d.state.prompt?.error?.hasPrefix("month 13 does not exist; use ") == true)
        await d.press(.escape)

        await d.command("g trading-strategy.xyz")
        await d.press(.character("R"))
        expectASCII(d, "reset dialog")
        await d.press(.right, .right, .right)
        await d.type("-15m")
        expectASCII(d, "reset dialog, a time")
        await d.press(.enter)
        expectASCII(d, "reset preview")
        #expect(d.screenText.contains(" -> "), "\(d.screenText)")
        await d.press(.escape, .escape, .escape)

        fake.unreachable = true
        await d.press(.character("r"))
        await d.tick(by: 3_000)
        expectASCII(d, "disconnected")
        #expect(d.screenText.contains("- retrying... (attempt"), "\(d.screenText)")
        fake.unreachable = false

        await d.send(.resize(TerminalSize(width: 60, height: 20)))
        expectASCII(d, "too small")
        #expect(d.screenText.contains("need 80x24, have 60x20"))
    }

    /// Names too long for their column are cut in the middle, with the set's ellipsis.
    @Test func longNamesKeepBothEnds() async {
        let fake = demoBroker()
        fake.addTopic("orders.eu-west-1.payments.settlement.v2.retry-queue.dead-letters.final", records: [[]])
        let unicode = Driver(fake: fake, size: TerminalSize(width: 80, height: 24))
        await unicode.start()
        let row = unicode.screen.first { $0.contains("orders.") } ?? ""
        #expect(row.hasPrefix(" orders.eu-west-1…d-letters.final "), "\(row)")
        let ascii = await asciiDriver(fake, size: TerminalSize(width: 80, height: 24))
        let asciiRow = ascii.screen.first { $0.contains("orders.") } ?? ""
        #expect(asciiRow.hasPrefix(" orders.eu-west-...-letters.final "), "\(asciiRow)")
    }
}
