import AdminClient
import AdminProtocol
import Testing

@testable import TerminalUI

/// The detail pane and the value view name a record's timestamp type after its time, when the
/// broker said which (Fetch v2); short of room the type goes first.
@Suite struct TimestampTypeRenderTests {
    static let t0 = fixedNow - 60_000

    /// `stamped`: a LogAppendTime record, a CreateTime one and one whose type the broker did not say.
    static func broker() -> FakeAdminService {
        let fake = FakeAdminService()
        fake.addTopic(
            "stamped",
            records: [
                [
                    FetchedRecord(
                        offset: 0, timestampMs: t0, key: Array("a".utf8), value: Array("appended".utf8), headers: [],
                        timestampType: .logAppendTime),
                    FetchedRecord(
                        offset: 1, timestampMs: t0 + 1_000, key: Array("b".utf8), value: Array("created".utf8),
                        headers: [], timestampType: .createTime),
                    record(2, at: t0 + 2_000, key: "c", value: "unknown"),
                ]
            ])
        return fake
    }

    private func title(_ d: Driver, offset: Int64) -> String? {
        d.screen.first { $0.hasPrefix("── partition 0 · offset \(offset) · ") }
    }

    @Test func detailPaneAndValueViewShowTheType() async throws {
        let d = Driver(fake: Self.broker())
        await d.start()
        await d.press(.enter, .enter, .character("g"), .enter)
        #expect(d.state.messages?.detailOpen == true)
        let appended = try #require(title(d, offset: 0), "\(d.screenText)")
        #expect(appended.hasPrefix("── partition 0 · offset 0 · 2024-05-01 11:59:00.000 UTC (LogAppendTime) ─"))
        await d.press(.down)
        let created = try #require(title(d, offset: 1), "\(d.screenText)")
        #expect(created.hasPrefix("── partition 0 · offset 1 · 2024-05-01 11:59:01.000 UTC (CreateTime) ─"))
        await d.press(.down)
        let unknown = try #require(title(d, offset: 2), "\(d.screenText)")
        #expect(unknown.hasPrefix("── partition 0 · offset 2 · 2024-05-01 11:59:02.000 UTC ─"))

        await d.press(.up, .up, .character("V"))
        #expect(d.state.valueView != nil)
        let full = try #require(title(d, offset: 0), "\(d.screenText)")
        #expect(full.hasPrefix("── partition 0 · offset 0 · 2024-05-01 11:59:00.000 UTC (LogAppendTime) ─"))
    }

    /// The title keeps its line range over the type when both do not fit.
    @Test func theTypeGivesWayFirst() throws {
        let record = FetchedRecord(
            offset: 1995, timestampMs: Self.t0, key: nil, value: Array("v".utf8), headers: [],
            timestampType: .logAppendTime)
        let row = MessageRow(partition: 1, record: record)
        let detail = DetailText(partition: 1, record: record, format: nil, keyAsHex: false, width: 80)
        func title(width: Int, rows: Int = 40) -> String {
            MessagesView.detailTitle(
                row, detail: detail, start: 0, rows: rows, utcOffsetSeconds: 7_200, glyphs: .unicode, width: width)
        }
        #expect(title(width: 200) == " partition 1 · offset 1995 · 2024-05-01 13:59:00.000 UTC+02:00 (LogAppendTime) ")
        #expect(title(width: 60) == " partition 1 · offset 1995 · 2024-05-01 13:59:00.000 UTC+02:00 ")
        let scrolled = title(width: 200, rows: 1)
        #expect(scrolled.hasSuffix(" (LogAppendTime) · lines 1–1 of \(detail.lines.count) "), "\(scrolled)")
        #expect(!title(width: 90, rows: 1).contains("LogAppendTime"))
        #expect(title(width: 90, rows: 1).contains("lines 1–1"))
    }
}
