import AdminProtocol
import SkiffText
import Testing

@testable import TerminalUI

/// Exact screens at 100×30 against the demo broker (the fake), as a person would see them.
struct RenderTests {
    func open(_ keys: [Key], command: String? = nil) async -> Driver {
        let d = Driver(fake: demoBroker())
        await d.start()
        if let command {
            await d.press(.character(":"))
            await d.type(command)
            await d.press(.enter)
        }
        await d.press(contentsOf: keys)
        return d
    }

    /// Rows of `buffer` whose cells all have `role` from column 0 to the edge.
    func rowsWholly(_ role: StyleRole, in buffer: ScreenBuffer) -> [Int] {
        (0..<buffer.height).filter { y in (0..<buffer.width).allSatisfy { buffer[$0, y].role == role } }
    }

    /// The topic list: columns, sort marker, ages, hidden internal topic, hints and status bar.
    @Test func topicsList() async {
        let d = await open([])
        #expect(
            d.screen == [
                " Skiff — 127.0.0.1:9292                                                                      Topics",
                " 3 topics · sorted by name · internal topics hidden",
                " NAME ▲         PARTS  MESSAGES       SIZE  LAST WRITE  GROUPS",
                " greetings          1         5      500 B     46s ago  -",
                " prices             2     2,000  195.3 KiB    just now  trading-strategy.abc, trading-strategy.xyz",
                " streams-intro      3         4      400 B     57s ago  -",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                " Enter open  / filter  s sort  i internal  c create  d delete  p publish  Esc back  q quit  ? help",
                " ● connected  ⟳ 2s  data ./skiff-data",
            ])
        #expect(rowsWholly(.selection, in: render(d.state)) == [3])
    }

    /// The topic screen: config grid with the override highlighted, partitions, consuming groups.
    @Test func topicPartitions() async {
        let d = await open([.down, .enter])
        #expect(
            d.screen == [
                " Skiff — 127.0.0.1:9292                                                             Topics › prices",
                " prices · 2 partitions · 2,000 messages · 195.3 KiB · id TOPIC-PRICES · * = set on this topic",
                "  cleanup.policy=delete       max.message.bytes=1048588 (1.0 MiB)   retention.bytes=-1 (unlimited)",
                " *retention.ms=3600000 (1h)   segment.bytes=1073741824 (1 GiB)",
                "",
                " PARTITION LEADER REPLICAS ISR LOW HIGH MESSAGES      SIZE FIRST               LAST",
                "         0      1 1        1     0 1200    1,200 117.2 KiB 2024-05-01 11:59:48 2024-05-01 11:59:59",
                "         1      1 1        1     0  800      800  78.1 KiB 2024-05-01 11:59:52 2024-05-01 11:59:59",
                "",
                " CONSUMING GROUP                       STATE   LAG",
                " trading-strategy.abc                  Stable   10",
                " trading-strategy.xyz                  Empty   600",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                " Enter open  p publish  m all msgs  Tab groups  e config  + partitions  X purge  Esc back  q quit",
                " ● connected  ⟳ 2s  data ./skiff-data",
            ])
        let buffer = render(d.state)
        #expect(buffer[2, 3].text == "r" && buffer[2, 3].role == .warning && buffer[2, 3].bold)
        #expect(buffer[2, 2].role == .dim)
        #expect(rowsWholly(.selection, in: buffer) == [6])
    }

    /// Messages: a CJK row (cut at a wide character) and an emoji row keep every column aligned;
    /// a binary value is escaped; the newest record is selected.
    @Test func messagesWithCJKAndEmoji() async {
        let d = await open([.enter, .enter])
        #expect(
            d.screen == [
                " Skiff — 127.0.0.1:9292                                            Topics › greetings › Messages p0",
                " partition 0 · low 0 · high 5 · showing 0–4 · 5 in window · at the end",
                "     OFFSET  TIMESTAMP UTC            KEY               VALUE                               HEADERS",
                "          0  2024-05-01 11:59:10.000  user-1            {\"greeting\":\"hello\",\"n\":[1,2]}            -",
                "          1  2024-05-01 11:59:11.000  日本              こんにちは世界、価格が上がった。…         -",
                "          2  2024-05-01 11:59:12.000  rocket            🚀 to the moon 🌕 again                   -",
                "          3  2024-05-01 11:59:13.000  (null)            \\x00\\xff\\x1bA                             -",
                "          4  2024-05-01 11:59:14.000  ключ              tab and newline                           2",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                " / filter  p publish  g oldest  G newest  o offset  t time  Enter detail  x format  f follow",
                " ● connected  ⟳ 2s  data ./skiff-data",
            ])
        // Every value starts in cell 56 and every header count sits in cell 98, whatever the widths before.
        let buffer = render(d.state)
        for (y, first, headers) in [(3, "{", "-"), (4, "こ", "-"), (5, "🚀", "-"), (6, "\\", "-"), (7, "t", "2")] {
            #expect(buffer[56, y].text == first)
            #expect(buffer[98, y].text == headers)
            #expect(DisplayWidth.of(d.screen[y]) == 99)
        }
        #expect(buffer[57, 4].isContinuation)  // the right half of こ
        #expect(rowsWholly(.selection, in: buffer) == [7])
    }

    /// The group screen: members with their partitions, and lag and time lag per partition.
    @Test func groupLag() async {
        let d = await open([], command: "g trading-strategy.abc")
        #expect(
            d.screen == [
                " Skiff — 127.0.0.1:9292                                      Topics › Groups › trading-strategy.abc",
                " Stable · generation 3 · assignor range · 2 members · total lag 10 ▄ · live",
                " MEMBER                                  CLIENT    HOST      PARTITIONS",
                " abc-1                                   strategy  10.0.0.5  prices[0]",
                " abc-2                                   strategy  10.0.0.6  prices[1]",
                "",
                " TOPIC                   PARTITION  COMMITTED  HIGH  LAG  TIME LAG  MEMBER",
                " prices                          0       1190  1200   10     100ms  abc-1",
                " prices                          1        800   800    0        0s  abc-2",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                " Enter open  R reset  u undo  d delete  Esc back  q quit  ? help  : jump",
                " ● connected  ⟳ 2s  data ./skiff-data",
            ])
        // The LAG column's last cell: where its header ends.
        let lagX =
            (d.screen[6].firstRange(of: "LAG  TIME").map {
                d.screen[6].distance(from: d.screen[6].startIndex, to: $0.lowerBound)
            } ?? 0) + 2
        var buffer = render(d.state)
        #expect(rowsWholly(.selection, in: buffer) == [7])
        #expect(buffer[lagX, 8].text == "0" && buffer[lagX, 8].role == .good)
        await d.press(.down)
        buffer = render(d.state)
        #expect(buffer[lagX, 7].text == "0" && buffer[lagX, 7].role == .warning)  // lag 10
    }

    /// The broker screen: identity, uptime, data directory, disk, connections and rates.
    @Test func broker() async {
        let d = await open([], command: "broker")
        #expect(
            d.screen == [
                " Skiff — 127.0.0.1:9292                                                             Topics › Broker",
                " broker 1 at 127.0.0.1:9292",
                "",
                "  id                1",
                "  version           0.1.0",
                "  kafka clients     127.0.0.1:9092 (kcat -b 127.0.0.1:9092 -L)",
                "  started           2024-04-30 09:56:56.000",
                "  uptime            1d 2h 3m",
                "  data directory    ./skiff-data",
                "  data size         12.0 MiB",
                "  disk              40.0 GiB used of 100.0 GiB (60.0 GiB free)",
                "  connections       3",
                "  topics            4 (7 partitions)",
                "  consumer groups   2",
                "  produce rate      12.5/s        ▄",
                "  fetch rate        3.3/s         ▄",
                "  produced          123,456 records since start",
                "  fetched           65,432 records since start",
                "  open files        12 of 10,000 segment files, descriptor limit 20,000",
                "  disk reserve      4.0 MiB kept for deletes on a full disk",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                " Esc back  q quit  ? help  : jump",
                " ● connected  ⟳ 2s  data ./skiff-data",
            ])
    }

    /// Storage notices (a stray directory moved aside, damage found) appear on the broker screen,
    /// newest first, wrapped, in the warning role.
    @Test func brokerStorageNotices() async {
        let fake = demoBroker()
        var storage = fake.storage
        storage.diskReserveHeld = false
        storage.notices = [
            StorageNoticeInfo(
                kind: "stray-directory", path: "prices-0.0af3-stray",
                message:
                    "moved partition directory prices-0 aside to prices-0.0af3-stray: its partition.metadata names topic id 1B2C, but topics.log gives topic 'prices' the id 9F8E",
                timeMs: 1_714_564_000_000),
            StorageNoticeInfo(
                kind: "damaged-data", path: "orders-1/00000000000000000000.log",
                message: "corrupt data in partition orders-1: offset 7 cannot be read", timeMs: 1_714_564_100_000),
        ]
        fake.storage = storage
        let d = Driver(fake: fake)
        await d.start()
        await d.press(.character(":"))
        await d.type("broker")
        await d.press(.enter)
        let screen = d.screen
        #expect(screen[19] == "  disk reserve      used up: taken again once the disk has 8.0 MiB free")
        #expect(screen[21] == "  storage notices (2): what the broker found on disk and did; see its log")
        #expect(screen[22] == "  ⚠ corrupt data in partition orders-1: offset 7 cannot be read")
        #expect(screen[23].hasPrefix("  ⚠ moved partition directory prices-0 aside to prices-0.0af3-stray: its"))
        #expect(screen[24].hasPrefix("    "))
        #expect((screen[23] + screen[24]).contains("partition.metadata"))
        let buffer = render(d.state)
        #expect(buffer[4, 22].role == .warning)
    }

    /// The help screen's first page, generated from the key map.
    @Test func help() async {
        let d = await open([], command: "broker")
        await d.press(.character("?"))
        // The page's place in the help, whose length grows with the key map.
        let position = "1–27/\(HelpContent.lines.count)"
        #expect(
            d.screen == [
                " Skiff — 127.0.0.1:9292                                                      Topics › Broker › Help",
                " Everywhere" + String(repeating: " ", count: 88 - position.count) + position,
                "   ↑ k               move up",
                "   ↓ j               move down",
                "   PgUp Ctrl-B       page up (Messages: older records are fetched on demand)",
                "   PgDn Ctrl-F       page down (Messages: newer records are fetched on demand)",
                "   g Home            go to the first row (Messages: g = oldest)",
                "   G End             go to the last row (Messages: G = newest)",
                "   Esc h ←           go back",
                "   q Ctrl-C          quit Skiff",
                "   ?                 show or close this help",
                "   r                 refresh now (the screen also refreshes every 2 s)",
                "   :                 jump: :topics :groups :broker :t NAME :g NAME :q",
                "",
                " Topics",
                "   Enter l →         open the selected topic, partition or group",
                "   /                 filter as you type; / again edits it, Esc clears it",
                "   s                 cycle the sort column",
                "   S                 reverse the sort order",
                "   i                 show or hide internal topics",
                "   c                 create a topic",
                "   d                 delete the selected topic (type its name to confirm)",
                "   p                 publish a message to this topic",
                "",
                " Topic",
                "   Enter l →         open the selected topic, partition or group",
                "   p                 publish a message to this topic",
                "   m                 messages of all partitions, merged by time",
                " Esc back  q quit  ? help  : jump",
                " ● connected  ⟳ 2s  data ./skiff-data",
            ])
    }

    /// Below 80×24 only a centred message is drawn, whatever the screen.
    @Test(arguments: [
        TerminalSize(width: 79, height: 24), TerminalSize(width: 100, height: 23), TerminalSize(width: 40, height: 10),
    ])
    func tooSmall(_ size: TerminalSize) async {
        let d = await open([.enter])
        await d.send(.resize(size))
        let text = "terminal too small (need 80×24, have \(size.width)×\(size.height))"
        var expected = Array(repeating: "", count: size.height)
        let shown = String(text.prefix(size.width))
        expected[(size.height - 1) / 2] = String(repeating: " ", count: max(0, (size.width - shown.count) / 2)) + shown
        #expect(d.screen == expected)
    }
}
