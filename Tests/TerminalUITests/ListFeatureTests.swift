import AdminClient
import AdminProtocol
import SkiffText
import Testing

@testable import TerminalUI

/// The features of the lists and navigation (issue 10) against the fake broker; each also has
/// a test against the real broker in EndToEndTests.
struct ListFeatureTests {
    func driver(width: Int = 100, height: Int = 30, fake: FakeAdminService = layoutBroker()) async -> Driver {
        let d = Driver(fake: fake, size: TerminalSize(width: width, height: height))
        await d.start()
        return d
    }

    /// An unknown name says which names come close; while the list loads the prompt says so.
    @Test func unknownNamesSuggestCloseOnes() async {
        let d = await driver()
        await d.command("t PRICES")
        #expect(d.state.prompt?.error == "no topic 'PRICES'; did you mean 'prices'?")
        await d.press(.control("u"))
        await d.type("g trading")
        await d.press(.enter)
        #expect(
            d.state.prompt?.error
                == "no consumer group 'trading'; did you mean 'trading-strategy.abc', 'trading-strategy.xyz'?")
        // Waiting for the list: the prompt stays, saying where it looks.
        var state = d.state
        _ = update(&state, .key(.escape))
        _ = update(&state, .key(.character(":")))
        for c in "t later" { _ = update(&state, .key(.character(c))) }
        #expect(update(&state, .key(.enter)) == [.loadTopics])
        #expect(render(state).lines[28] == ":t later   looking in the topics…")
        _ = update(
            &state, .topicsLoaded(.failure(.unreachable(address: "127.0.0.1:9292", reason: "connection refused"))))
        #expect(state.prompt?.error?.hasPrefix("cannot check the topic list: cannot reach broker") == true)
        #expect(state.route == .topics)
    }
}
