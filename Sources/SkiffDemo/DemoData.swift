import AdminClient
import AdminProtocol

/// The demo data set of PRODUCT.md, written over the admin protocol like any other client:
/// the `streams-intro` topic of Kafka's walk-through, a live `prices` feed keyed by ticker, the
/// `orders` the trading strategies place, and three consumer groups with visible lag and an
/// idle member.
///
/// ``seed(client:)`` creates the topics and their first records; ``runLive(client:settings:logger:makeClient:)``
/// then keeps the feed, the strategies and the order executors running until its task is
/// cancelled.
public enum DemoData {
    /// The five records of the walk-through (keys `foo` and `bar`), two of them in CJK and emoji.
    public static let streamsIntroTopic = "streams-intro"
    /// Stock prices keyed by ticker, JSON `{"ticker":…,"price":…,"ts":…}`.
    public static let pricesTopic = "prices"
    /// Orders placed by the strategies, JSON, keyed by order id; one binary record from a "legacy
    /// gateway" shows the UI's safe display of bytes.
    public static let ordersTopic = "orders"

    /// Topic names and partition counts, in the order they are created.
    public static let topics: [(name: String, partitions: Int32)] = [
        (streamsIntroTopic, 3), (pricesTopic, 3), (ordersTopic, 2),
    ]

    /// The fast strategy: consumes `prices` as they come and places momentum orders.
    public static let fastStrategyGroup = "trading-strategy.abc"
    /// The slow strategy: consumes `prices` deliberately slowly in phases, so its lag grows and
    /// shrinks; places mean-reversion orders.
    public static let slowStrategyGroup = "trading-strategy.xyz"
    /// Consumes `orders` with more members than `orders` has partitions, so one member is idle.
    public static let orderExecutionGroup = "order-execution"

    /// A group with committed offsets and lag but no running members: the one to try an offset
    /// reset (and its undo) on, since a group with members refuses resets. Seeded with commits a
    /// third of the way into each `prices` partition; its lag grows as the feed goes on.
    public static let archiveGroup = "price-archiver"

    /// Members of each group while the live demo runs (``archiveGroup`` has none).
    public static let memberCounts: [String: Int] = [
        fastStrategyGroup: 2, slowStrategyGroup: 1, orderExecutionGroup: 3,
    ]

    /// The walk-through's records, in order: (key, value).
    public static let streamsIntroRecords: [(key: String, value: String)] = [
        ("foo", "all streams lead to kafka"),
        ("bar", "hello kafka streams"),
        ("foo", "join kafka summit"),
        ("bar", "カフカ・ストリームズ入門：すべてのストリームはカフカへ"),
        ("foo", "streams everywhere 🚀 kafka 🎉"),
    ]

    /// Creates the demo topics and writes their first records: the walk-through, a few minutes of
    /// price history, and one binary order. A topic that already exists is left as it is (so a
    /// second call adds nothing).
    /// - Throws: the client's error when the broker cannot be reached or refuses a request.
    public static func seed(client: AdminClient) async throws(AdminClientError) {
        var created: Set<String> = []
        for topic in topics {
            do {
                try await client.createTopic(topic.name, partitions: topic.partitions)
                created.insert(topic.name)
            } catch .broker(.topicAlreadyExists, _) {
                continue
            }
        }
        if created.contains(streamsIntroTopic) {
            let records = streamsIntroRecords.enumerated().map { index, record in
                ProduceRecord(
                    key: Array(record.key.utf8), value: Array(record.value.utf8),
                    headers: index == 0 ? [HeaderData(key: "source", value: Array("walk-through".utf8))] : [])
            }
            _ = try await client.produce(topic: streamsIntroTopic, records: records)
        }
        if created.contains(pricesTopic) {
            var market = Market()
            let now = DemoClock.nowMilliseconds()
            let history = 60
            let records = (0..<history).map { i in
                market.tick(at: now - Int64(history - i) * 5_000).record
            }
            let results = try await client.produce(topic: pricesTopic, records: records)
            // The archiver stopped a third of the way through what each partition holds.
            var ends: [Int32: Int64] = [:]
            for r in results { ends[r.partition] = max(ends[r.partition] ?? 0, r.offset + 1) }
            try await client.commitOffsets(
                groupId: archiveGroup, memberId: "", generation: -1,
                offsets: ends.keys.sorted().map { p in
                    CommitOffset(
                        topic: pricesTopic, partition: p, offset: ends[p]! / 3, metadata: "archived up to here")
                })
        }
        if created.contains(ordersTopic) {
            _ = try await client.produce(topic: ordersTopic, records: [legacyGatewayOrder()])
        }
    }

    /// One order in a protobuf-like binary encoding, with the bytes a terminal must never see raw
    /// (NUL, ESC `[2J`, 0xFF).
    static func legacyGatewayOrder() -> ProduceRecord {
        var value: [UInt8] = [0x0A, 0x0A] + Array("gw-0000001".utf8)  // 1: order id
        value += [0x12, 0x04] + Array("NVDA".utf8)  // 2: ticker
        value += [0x18, 0x96, 0x01]  // 3: quantity 150
        value += [0x21, 0x00, 0x00, 0x00, 0x00, 0xFF, 0x5B, 0x8B, 0x40]  // 4: price (double)
        value += [0x2A, 0x04, 0x1B, 0x5B, 0x32, 0x4A]  // 5: a note that is an escape sequence
        value += [0x30, 0x00, 0xFF, 0xFE, 0x7F]  // 6: flags and trailing garbage
        return ProduceRecord(
            partition: 0, key: Array("legacy-gateway".utf8), value: value,
            headers: [HeaderData(key: "content-type", value: Array("application/x-protobuf".utf8))])
    }
}
