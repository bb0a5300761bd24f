import AdminProtocol
import Testing

@testable import TerminalUI

struct PerformanceTests {
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

    static func frameTime(topics n: Int) -> Duration {
        var state = AppState(context: testContext, size: size100x30, nowMs: fixedNow)
        _ = update(&state, .start)
        _ = update(&state, .topicsLoaded(.success(manyTopics(n))))
        _ = update(&state, .key(.pageDown))
        var buffer = ScreenBuffer(size: state.size)
        render(state, into: &buffer)
        let frames = 50
        return ContinuousClock().measure {
            for _ in 0..<frames { render(state, into: &buffer) }
        } / frames
    }

    /// A frame costs the same with 10,000 topics as with 30: only visible rows are formatted, and
    /// it stays under 5 ms (in a release build; debug builds get more room).
    @Test func tenThousandTopicsRenderFast() {
        let small = Self.frameTime(topics: 30)
        let large = Self.frameTime(topics: 10_000)
        print("frame with 30 topics: \(small), with 10,000 topics: \(large)")
        #expect(large < small * 3)
        #if DEBUG
        #expect(large < .milliseconds(25))
        #else
        #expect(large < .milliseconds(5))
        #endif
    }

    /// Moving the cursor through 10,000 topics neither re-sorts nor re-filters.
    @Test func cursorMovesDoNotResort() {
        var state = AppState(context: testContext, size: size100x30, nowMs: fixedNow)
        _ = update(&state, .topicsLoaded(.success(Self.manyTopics(10_000))))
        let moves = ContinuousClock().measure {
            for _ in 0..<100 { _ = update(&state, .key(.down)) }
        }
        #expect(state.topics.cursor == 100)
        #expect(moves / 100 < .milliseconds(1))
    }

    /// Typing a filter character re-filters 10,000 names once, not per frame.
    @Test func filteringTenThousandTopics() {
        var state = AppState(context: testContext, size: size100x30, nowMs: fixedNow)
        _ = update(&state, .topicsLoaded(.success(Self.manyTopics(10_000))))
        _ = update(&state, .key(.character("/")))
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            for c in "topic-99" { _ = update(&state, .key(.character(c))) }
        }
        print("10,000 topics: \(elapsed / 8) per filter keystroke")
        #expect(state.topics.visible.count == 111)
        #expect(elapsed / 8 < .milliseconds(20))
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
