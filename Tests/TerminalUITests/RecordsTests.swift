import AdminClient
import AdminProtocol
import Foundation
import Testing

@testable import TerminalUI

/// Reading a whole value and taking records away: the wrapped detail pane and its scrolling, the
/// full-screen value view, copy (OSC 52), save to a file of JSON lines, re-publish, the paused
/// live tail, and the UTC toggle.
@Suite struct RecordsTests {
    /// The long document (200 lines) scrolls a line at a time with J and K in text mode, and
    /// the title says which lines are shown; the last page ends at the last line.
    @Test func detailPaneScrollsText() async {
        let d = Driver(fake: longValueBroker())
        await d.start()
        await d.press(.enter, .enter, .enter)
        #expect(d.state.messages?.detailOpen == true)
        var screen = d.screen
        let title = try! #require(screen.firstIndex { $0.hasPrefix("── partition 0 · offset 0") })
        #expect(screen[title].contains("lines 1–12 of 203"), "\(screen[title])")
        #expect(screen[title + 1] == " key      doc-1  5 bytes")
        #expect(screen[title + 2] == " headers  content-type=text/plain  (1)")
        #expect(screen[title + 3].hasPrefix(" value    5.4 KiB as text  200 lines"))
        #expect(screen[title + 4] == " line 1 of a long document")
        await d.press(.character("J"), .character("J"))
        screen = d.screen
        #expect(screen[title].contains("lines 3–14 of 203"))
        #expect(screen[title + 1] == " value    5.4 KiB as text  200 lines")
        await d.press(.character("K"))
        #expect(d.screen[title].contains("lines 2–13 of 203"))
        for _ in 0..<300 { await d.press(.character("J")) }
        screen = d.screen
        #expect(screen[title].contains("lines 192–203 of 203"))
        #expect(screen[title + 12] == " line 200 of a long document")
    }

    /// V shows the record on the whole screen: j/k, PgDn and G scroll it; x changes the format;
    /// Esc goes back to the messages screen on the same record.
    @Test func fullScreenValueView() async {
        let d = Driver(fake: longValueBroker())
        await d.start()
        await d.press(.enter, .enter, .character("V"))
        #expect(d.state.route == .value(partition: 0, offset: 0))
        var screen = d.screen
        #expect(screen[0].hasSuffix("Messages p0 › p0 offset 0"))
        #expect(screen[1].contains("lines 1–26 of 203"), "\(screen[1])")
        #expect(screen[5] == " line 1 of a long document")
        await d.press(.down, .character("j"))
        #expect(d.screen[5] == " line 3 of a long document")
        await d.press(.pageDown)
        #expect(d.screen[1].contains("lines 28–53 of 203"))
        await d.press(.character("G"))
        screen = d.screen
        #expect(screen[1].contains("lines 178–203 of 203"))
        #expect(screen[27] == " line 200 of a long document")
        await d.press(.character("g"))
        await d.press(.character("x"))
        #expect(d.screen[4].hasPrefix(" value    5.4 KiB as hex"))
        #expect(d.screen[5].hasPrefix(" 00000000  6c 69 6e 65"))
        await d.press(.escape)
        #expect(d.state.route == .messages(topic: "documents", partition: 0))
        #expect(d.state.valueView == nil)
        #expect(d.state.messages?.selected?.record.offset == 0)
    }

    /// The value view keeps the record it opened on while a live tail moves the cursor below.
    @Test func valueViewIsPinnedWhileFollowing() async {
        let d = Driver(fake: demoBroker())
        await d.start()
        await d.press(.enter, .enter, .character("f"), .character("V"))
        #expect(d.state.valueView?.row.record.offset == 4)
        d.fake.append("greetings", partition: 0, values: ["five"])
        #expect(await d.waitForPushes { $0.messages?.rows.count == 6 })
        #expect(d.state.messages?.selected?.record.offset == 5)
        #expect(d.state.valueView?.row.record.offset == 4)
        #expect(d.screen.contains { $0.contains("tab    and") })
    }

    /// y asks what to copy; v, k and r put the value, the key or the record (as the JSON line of
    /// `skiff consume --json`) on the clipboard; anything else cancels.
    @Test func copyValueKeyOrRecord() async throws {
        let d = Driver(fake: demoBroker())
        await d.start()
        await d.press(.enter, .enter, .character("g"))
        await d.press(.character("y"))
        #expect(d.state.choosingCopy)
        #expect(d.screen.last?.contains("copy: v value · k key · r record as JSON") == true)
        d.clearEffects()
        await d.press(.character("v"))
        #expect(d.effects == [.copyToClipboard(Array(#"{"greeting":"hello","n":[1,2]}"#.utf8))])
        #expect(d.state.message?.text.contains("copied the value, 30 B") == true)
        d.clearEffects()
        await d.press(.character("y"), .character("k"))
        #expect(d.effects == [.copyToClipboard(Array("user-1".utf8))])
        d.clearEffects()
        await d.press(.character("y"), .character("r"))
        let line = RecordJSON.line(
            topic: "greetings", partition: 0, record: try #require(d.state.messages?.selected?.record))
        #expect(d.effects == [.copyToClipboard(Array((line + "\n").utf8))])
        #expect(line.contains(#""key":"user-1""#) && line.contains(#""topic":"greetings""#))
        d.clearEffects()
        await d.press(.character("y"), .character("q"))
        #expect(d.effects.isEmpty)
        #expect(d.state.message?.text == "copy cancelled")
        #expect(d.state.route.kind == .messages)
        // A binary value goes as its escaped text, a null key is refused.
        await d.press(.down, .down, .down)
        #expect(d.state.messages?.selected?.record.offset == 3)
        d.clearEffects()
        await d.press(.character("y"), .character("v"))
        #expect(d.effects == [.copyToClipboard(Array(#"\x00\xff\x1bA"#.utf8))])
        d.clearEffects()
        await d.press(.character("y"), .character("k"))
        #expect(d.effects.isEmpty)
        #expect(d.state.message?.isError == true)
    }

    /// A value over the clipboard's limit is refused with a way out (save it).
    @Test func copyRefusesAHugeValue() async {
        let fake = FakeAdminService()
        fake.addTopic(
            "big",
            records: [[record(0, at: fixedNow, key: "k", value: String(repeating: "x", count: (1 << 20) + 1))]])
        let d = Driver(fake: fake)
        await d.start()
        await d.press(.enter, .enter)
        d.clearEffects()
        await d.press(.character("y"), .character("v"))
        #expect(d.effects.isEmpty)
        #expect(d.state.message?.isError == true)
        #expect(d.state.message?.text.contains("too large for the clipboard") == true)
        #expect(d.state.message?.text.contains("w saves it to a file") == true)
    }

    /// w saves the selected record to a new file of JSON lines; an existing file is never
    /// replaced; Space marks a range, which in one partition is read whole from the broker.
    @Test func saveRecordsAndARange() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("skiff-save-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let d = Driver(fake: demoBroker())
        await d.start()
        await d.press(.down, .enter, .enter)  // prices p0: 1,200 records, the newest 100 in the window
        let newest = try #require(d.state.messages?.selected)
        await d.press(.character("w"))
        #expect(d.state.prompt?.field.text == "prices-p0-\(newest.record.offset).jsonl")
        #expect(d.state.prompt?.label == "save 1 record to file: ")
        let one = directory + "/one.jsonl"
        await d.press(.control("u"))
        await d.type(one)
        await d.press(.enter)
        #expect(d.state.message?.text == "saved 1 record to \(one) (JSON lines)")
        let saved = try String(contentsOfFile: one, encoding: .utf8)
        #expect(saved == RecordJSON.line(topic: "prices", partition: 0, record: newest.record) + "\n")
        // The same name again: refused, the file as it was.
        await d.press(.character("w"), .control("u"))
        await d.type(one)
        await d.press(.enter)
        #expect(d.state.message?.isError == true)
        #expect(d.state.message?.text == "not saved: \(one) exists: choose another name")
        #expect(try String(contentsOfFile: one, encoding: .utf8) == saved)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["one.jsonl"])
        // A range from the oldest record to the newest: far more than the window holds.
        await d.press(.character("g"))
        #expect(d.state.messages?.selected?.record.offset == 0)
        await d.press(.character(" "))
        #expect(d.state.messages?.mark == MessagesState.Mark(partition: 0, offset: 0))
        await d.press(.character("G"))
        await d.press(.character("w"))
        #expect(d.state.prompt?.label == "save offsets 0-1199 of partition 0 to file: ")
        let range = directory + "/range.jsonl"
        await d.press(.control("u"))
        await d.type(range)
        await d.press(.enter)
        #expect(d.state.message?.text == "saved 1,200 records to \(range) (JSON lines)")
        let lines = try String(contentsOfFile: range, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 1_200)
        #expect(lines.first?.contains(#""offset":0,"#) == true)
        #expect(lines.last?.contains(#""offset":1199,"#) == true)
        #expect(d.state.messages?.mark == nil)
    }

    /// A marked range in the all-partitions view is the rows between the mark and the cursor.
    @Test func rangeAcrossPartitionsIsTheMarkedRows() async {
        let d = Driver(fake: demoBroker())
        await d.start()
        await d.press(.down, .down, .enter, .character("m"))  // streams-intro, all partitions: 4 records
        await d.press(.character("g"), .character(" "), .down, .down)
        #expect(d.screen.contains { $0.contains("▸") })
        d.clearEffects()
        await d.press(.character("y"), .character("r"))
        guard case .copyToClipboard(let bytes)? = d.effects.first else {
            Issue.record("nothing copied: \(d.effects)")
            return
        }
        #expect(String(decoding: bytes, as: UTF8.self).split(separator: "\n").count == 3)
        await d.press(.character("w"))
        #expect(d.state.prompt?.label == "save 3 records to file: ")
        #expect(d.state.prompt?.field.text == "streams-intro-3-records.jsonl")
    }

    /// P opens the publish form filled in from the record; sent unchanged, the record's own bytes
    /// go out (a binary value too), to the partition it came from.
    @Test func republishSendsTheRecordAsItWas() async throws {
        let d = Driver(fake: demoBroker())
        await d.start()
        await d.press(.enter, .enter, .character("g"), .down, .down, .down)  // offset 3: binary, null key
        let original = try #require(d.state.messages?.selected?.record)
        #expect(original.value == [0x00, 0xFF, 0x1B, 0x41])
        await d.press(.character("P"))
        #expect(d.state.route == .publish)
        #expect(d.state.publishForm?.topic.text == "greetings")
        #expect(d.state.publishForm?.partition.text == "0")
        #expect(d.state.publishForm?.value.text == #"\x00\xff\x1bA"#)
        d.clearEffects()
        await d.press(.control("s"))
        guard case .produce("greetings", let records)? = d.effects.first else {
            Issue.record("nothing sent: \(d.effects)")
            return
        }
        #expect(records == [ProduceRecord(partition: 0, key: nil, value: original.value, headers: [])])
        // Edited, the field's text is sent.
        await d.press(.control("u"))
        await d.type("edited")
        d.clearEffects()
        await d.press(.control("s"))
        guard case .produce(_, let edited)? = d.effects.first else {
            Issue.record("nothing sent: \(d.effects)")
            return
        }
        #expect(edited.first?.value == Array("edited".utf8))
    }

    /// Moving up in follow mode pauses the view: the summary says "paused, N new" as records
    /// arrive, and G (or f) goes back to the newest and follows again.
    @Test func followPausesWhenTheCursorMovesUp() async {
        let d = Driver(fake: demoBroker())
        await d.start()
        await d.press(.enter, .enter, .character("f"), .up, .up)
        d.fake.append("greetings", partition: 0, values: ["one", "two"])
        #expect(await d.waitForPushes { $0.messages?.rows.count == 7 })
        #expect(d.state.messages?.selected?.record.offset == 2)
        #expect(d.screen[1].hasPrefix(" paused, 2 new (G or f resumes) · partition 0"), "\(d.screen[1])")
        #expect(!d.screen[1].contains("● following"))
        await d.press(.character("G"))
        #expect(d.state.messages?.selected?.record.offset == 6)
        #expect(d.state.messages?.follow == true)
        #expect(d.screen[1].contains("● following"))
        #expect(d.state.message?.text == "following again; 2 records arrived while paused")
        // f while paused resumes too (it does not stop following).
        await d.press(.up)
        await d.press(.character("f"))
        #expect(d.state.messages?.follow == true)
        #expect(d.state.messages?.selected?.record.offset == 6)
    }

    /// z shows times in UTC or in local time, the zone in the column header and the detail
    /// title, and a typed time is read in the zone shown.
    @Test func utcToggle() async {
        var context = testContext
        context.utcOffsetSeconds = 7_200
        let d = Driver(fake: demoBroker(), context: context)
        await d.start()
        await d.press(.enter, .enter, .character("g"), .enter)
        #expect(d.screen[2].contains("TIMESTAMP UTC+02:00"))
        #expect(d.screen.contains { $0.hasPrefix("── partition 0 · offset 0 · 2024-05-01 13:59:10.000 UTC+02:00") })
        await d.press(.character("z"))
        #expect(d.screen[2].contains("TIMESTAMP UTC "))
        #expect(d.screen.contains { $0.hasPrefix("── partition 0 · offset 0 · 2024-05-01 11:59:10.000 UTC ─") })
        #expect(d.state.message?.text == "times in UTC (z: local time)")
        await d.press(.character("t"))
        await d.type("2024-05-01 11:59:11")
        d.clearEffects()
        await d.press(.enter)
        let utc = fixedNow - 60_000 + 11_000
        #expect(
            d.effects.contains {
                if case .fetchMessages(let f) = $0 { return f.partitions.first?.start == .timestamp(utc) }
                return false
            }, "\(d.effects)")
    }
}
