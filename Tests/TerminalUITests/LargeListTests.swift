import AdminProtocol
import Testing

@testable import TerminalUI

struct LargeListTests {
    static func manyTopics(_ n: Int) -> [TopicListing] {
        (0..<n).map { (i: Int) -> TopicListing in
            let number: Int = i * 7_919 % n
            let groups: [String] = i % 3 == 0 ? ["billing", "audit"] : []
            return TopicListing(
                name: "topic-\(number)-events", partitionCount: Int32(1 + i % 12), messageCount: Int64(i) * 1_000,
                sizeBytes: Int64(i) * 100_000, lastWriteTimeMs: fixedNow - Int64(i), isInternal: false,
                consumerGroups: groups)
        }
    }

    /// With 10,000 topics a frame shows exactly the rows of the visible page, in sorted order,
    /// and the sorted/filtered index is computed once per input, not per frame. (How long a
    /// frame takes belongs in a benchmark, not in a test.)
    @Test func tenThousandTopicsRenderOnlyTheVisiblePage() throws {
        var state = AppState(context: testContext, size: size100x30, nowMs: fixedNow)
        _ = update(&state, .start)
        _ = update(&state, .topicsLoaded(.success(Self.manyTopics(10_000))))
        let sorted = state.topics.visible
        _ = update(&state, .key(.pageDown))
        #expect(state.topics.visible == sorted)  // paging did not rebuild the index
        var buffer = ScreenBuffer(size: state.size)
        render(state, into: &buffer)
        let ordered = state.topics.visible.map { state.topics.all[$0].name }
        let shown = buffer.lines.compactMap { line in line.split(separator: " ").first.map(String.init) }
            .filter { $0.hasPrefix("topic-") }
        #expect(shown.count > 10 && shown.count < 30)
        // The rows on screen are one contiguous page of the sorted index, holding the cursor.
        let first = try #require(ordered.firstIndex(of: shown[0]))
        #expect(state.topics.cursor > 0 && shown.contains(ordered[state.topics.cursor]))
        #expect(Array(ordered[first..<first + shown.count]) == shown)
    }

    /// Moving the cursor through 10,000 topics neither re-sorts nor re-filters.
    @Test func cursorMovesDoNotResort() {
        var state = AppState(context: testContext, size: size100x30, nowMs: fixedNow)
        _ = update(&state, .topicsLoaded(.success(Self.manyTopics(10_000))))
        let index = state.topics.visible
        for _ in 0..<100 { _ = update(&state, .key(.down)) }
        #expect(state.topics.cursor == 100)
        #expect(state.topics.visible == index)
    }

    /// Typing a filter narrows 10,000 names to the matching ones.
    @Test func filteringTenThousandTopics() {
        var state = AppState(context: testContext, size: size100x30, nowMs: fixedNow)
        _ = update(&state, .topicsLoaded(.success(Self.manyTopics(10_000))))
        _ = update(&state, .key(.character("/")))
        for c in "topic-99" { _ = update(&state, .key(.character(c))) }
        #expect(state.topics.visible.count == 111)
    }

    /// The byte search used by the filters finds substrings anywhere, including multi-byte text.
    @Test func byteSearch() {
        func has(_ h: String, _ n: String) -> Bool { bytes(Array(h.utf8), contain: Array(n.utf8)) }
        #expect(has("streams-intro", "ms-in"))
        #expect(has("streams-intro", ""))
        #expect(has("価格が上がった", "上が"))
        #expect(!has("prices", "pricey"))
        #expect(!has("ab", "abc"))
        #expect(has("aab", "ab"))
    }
}
