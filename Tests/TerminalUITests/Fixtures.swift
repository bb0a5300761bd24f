import AdminClient
import AdminProtocol

@testable import TerminalUI

let size100x30 = TerminalSize(width: 100, height: 30)
let testContext = AppContext(brokerAddress: "127.0.0.1:9292", dataDirectory: "./skiff-data")

func record(_ offset: Int64, at ms: Int64, key: String?, value: String, headers: [HeaderData] = []) -> FetchedRecord {
    FetchedRecord(
        offset: offset, timestampMs: ms, key: key.map { Array($0.utf8) }, value: Array(value.utf8), headers: headers)
}

/// A synthetic partition of `count` records, one every 10 ms from `fixedNow - count * 10`.
func syntheticPartition(count: Int64, low: Int64 = 0, tag: String = "p") -> FakeAdminService.Partition {
    let start = fixedNow - count * 10
    return FakeAdminService.Partition(
        low: low, syntheticEnd: count,
        synthetic: { o in
            FetchedRecord(
                offset: o, timestampMs: start + o * 10, key: Array("key-\(o % 7)".utf8),
                value: Array("{\"\(tag)\":\(o)}".utf8), headers: [])
        })
}

/// Runs the pure core against a fake broker: update, then every effect through the real
/// `EffectRunner` (one-shot effects awaited in order, subscriptions as tasks), results fed back.
final class Driver {
    var state: AppState
    let fake: FakeAdminService
    let runner: EffectRunner
    private(set) var effects: [Effect] = []

    init(
        fake: FakeAdminService = FakeAdminService(), context: AppContext = testContext, size: TerminalSize = size100x30,
        glyphs: Glyphs = .unicode
    ) {
        self.fake = fake
        self.state = AppState(context: context, size: size, nowMs: fixedNow, glyphs: glyphs)
        self.runner = EffectRunner(
            service: fake, lagInterval: .milliseconds(100), brokerAddress: FakeAdminService.address)
    }

    deinit { runner.cancelAll() }

    func send(_ action: Action) async {
        let produced = update(&state, action)
        await run(produced)
    }

    func run(_ list: [Effect]) async {
        for effect in list {
            effects.append(effect)
            switch effect {
            case .subscribe, .search, .unsubscribe, .quit:
                runner.run(effect)
            default:
                for action in await runner.perform(effect) { await send(action) }
            }
        }
    }

    func start() async { await send(.start) }

    func press(_ keys: Key...) async {
        for key in keys { await send(.key(key)) }
    }

    func type(_ text: String) async {
        for c in text { await send(.key(.character(c))) }
    }

    func tick(by ms: Int64) async {
        await send(.tick(nowMs: state.nowMs + ms))
    }

    /// Feeds pushed events until `condition` holds (or 10 s pass).
    @discardableResult
    func waitForPushes(until condition: (AppState) -> Bool) async -> Bool {
        for _ in 0..<2_000 {
            for action in runner.inbox.drain() { await send(action) }
            if condition(state) { return true }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return condition(state)
    }

    /// Clears the effect log.
    func clearEffects() { effects = [] }

    var screen: [String] { render(state).lines }
    var screenText: String { screen.joined(separator: "\n") }
}

/// The fake broker of the render and state tests: three topics, two groups.
func demoBroker() -> FakeAdminService {
    let fake = FakeAdminService()
    let t0 = fixedNow - 60_000
    fake.addTopic(
        "streams-intro",
        records: [
            [record(0, at: t0, key: "bar", value: "all streams lead to kafka")],
            [record(0, at: t0 + 1_000, key: "baz", value: "hello kafka streams")],
            [
                record(0, at: t0 + 2_000, key: "foo", value: "join kafka summit"),
                record(1, at: t0 + 3_000, key: "foo", value: "kafka summit"),
            ],
        ])
    fake.addTopic(
        "prices",
        partitions: [syntheticPartition(count: 1_200, tag: "AAPL"), syntheticPartition(count: 800, tag: "MSFT")],
        config: [
            ConfigEntry(key: "cleanup.policy", value: "delete", isDefault: true),
            ConfigEntry(key: "max.message.bytes", value: "1048588", isDefault: true),
            ConfigEntry(key: "retention.bytes", value: "-1", isDefault: true),
            ConfigEntry(key: "retention.ms", value: "3600000", isDefault: false),
            ConfigEntry(key: "segment.bytes", value: "1073741824", isDefault: true),
        ])
    fake.addTopic(
        "greetings",
        records: [
            [
                record(0, at: t0 + 10_000, key: "user-1", value: "{\"greeting\":\"hello\",\"n\":[1,2]}"),
                record(1, at: t0 + 11_000, key: "日本", value: "こんにちは世界、価格が上がった。今日も良い天気です"),
                record(2, at: t0 + 12_000, key: "rocket", value: "🚀 to the moon 🌕 again"),
                FetchedRecord(
                    offset: 3, timestampMs: t0 + 13_000, key: nil, value: [0x00, 0xFF, 0x1B, 0x41], headers: []),
                record(
                    4, at: t0 + 14_000, key: "ключ", value: "tab\tand\nnewline",
                    headers: [
                        HeaderData(key: "source", value: Array("demo".utf8)), HeaderData(key: "trace", value: nil),
                    ]),
            ]
        ])
    fake.addTopic("__consumer_offsets", partitions: [FakeAdminService.Partition()], isInternal: true)
    fake.setGroup(
        "trading-strategy.abc",
        FakeAdminService.Group(
            state: "Stable",
            members: [
                GroupMemberInfo(
                    memberId: "abc-1", clientId: "strategy", clientHost: "10.0.0.5", sessionTimeoutMs: 10_000,
                    subscribedTopics: ["prices"], assignment: [TopicPartitionRef(topic: "prices", partition: 0)],
                    lastHeartbeatMs: fixedNow),
                GroupMemberInfo(
                    memberId: "abc-2", clientId: "strategy", clientHost: "10.0.0.6", sessionTimeoutMs: 10_000,
                    subscribedTopics: ["prices"], assignment: [TopicPartitionRef(topic: "prices", partition: 1)],
                    lastHeartbeatMs: fixedNow),
            ],
            offsets: [
                TopicPartitionRef(topic: "prices", partition: 0): 1_190,
                TopicPartitionRef(topic: "prices", partition: 1): 800,
            ]))
    fake.setGroup(
        "trading-strategy.xyz",
        FakeAdminService.Group(
            state: "Empty",
            offsets: [
                TopicPartitionRef(topic: "prices", partition: 0): 900,
                TopicPartitionRef(topic: "prices", partition: 1): 500,
            ]))
    return fake
}

/// One topic, `documents`, whose one record holds 200 lines of text (for scrolling a value).
func longValueBroker() -> FakeAdminService {
    let fake = FakeAdminService()
    let text = (1...200).map { "line \($0) of a long document" }.joined(separator: "\n")
    fake.addTopic(
        "documents",
        records: [
            [
                record(
                    0, at: fixedNow - 1_000, key: "doc-1", value: text,
                    headers: [HeaderData(key: "content-type", value: Array("text/plain".utf8))])
            ]
        ])
    return fake
}
