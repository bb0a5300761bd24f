import AdminClient
import AdminProtocol
import BrokerTestSupport
import Testing

@testable import SkiffDemo

/// Settings that make the live demo settle in a second or two.
private func quickSettings() -> DemoSettings {
    var settings = DemoSettings()
    settings.priceInterval = .milliseconds(100)
    settings.fastPollInterval = .milliseconds(100)
    settings.slowRecordInterval = .milliseconds(300)
    settings.slowPhase = .seconds(600)
    settings.heartbeatInterval = .milliseconds(100)
    settings.retryDelay = .milliseconds(200)
    return settings
}

/// All records of every partition of `topic`, by partition.
private func allRecords(_ client: AdminClient, _ topic: String) async throws -> [Int32: [FetchedRecord]] {
    var out: [Int32: [FetchedRecord]] = [:]
    for partition in try await client.describeTopic(topic).partitions {
        out[partition.partition] =
            try await client.fetch(
                topic: topic, partition: partition.partition, from: .earliest, maxRecords: 10_000
            ).records
    }
    return out
}

private func text(_ bytes: [UInt8]?) -> String? {
    bytes.flatMap { String(validating: $0, as: UTF8.self) }
}

@Suite("Demo data set")
struct DemoDataTests {
    /// Seeding creates the three topics with their partition counts, the walk-through's five
    /// records routed by key (foo → partition 2), price history keyed by ticker, and one binary
    /// order; seeding again adds nothing.
    @Test func seedCreatesTheTopicsAndRecords() async throws {
        let broker = try await TestBroker()
        defer { broker.removeData() }
        let client = broker.client()
        try await DemoData.seed(client: client)

        let topics = try await client.listTopics()
        let partitions = Dictionary(uniqueKeysWithValues: topics.map { ($0.name, $0.partitionCount) })
        #expect(partitions == ["streams-intro": 3, "prices": 3, "orders": 2])

        let intro = try await allRecords(client, "streams-intro")
        let flat = intro.flatMap { partition, records in records.map { (partition, $0) } }
        #expect(flat.count == 5)
        let fooPartitions = Set(flat.filter { text($0.1.key) == "foo" }.map(\.0))
        let barPartitions = Set(flat.filter { text($0.1.key) == "bar" }.map(\.0))
        #expect(fooPartitions == [2])
        #expect(barPartitions.count == 1)
        #expect(flat.filter { text($0.1.key) == "foo" }.count == 3)
        #expect(flat.filter { text($0.1.key) == "bar" }.count == 2)
        let values = Set(flat.compactMap { text($0.1.value) })
        #expect(values == Set(DemoData.streamsIntroRecords.map(\.value)))
        #expect(values.contains { $0.unicodeScalars.contains { $0.properties.isEmojiPresentation } })
        #expect(values.contains { $0.contains("カフカ") })

        let prices = try await allRecords(client, "prices")
        #expect(prices.values.map(\.count).reduce(0, +) == 60)
        for (partition, records) in prices {
            for record in records {
                let tick = try #require(record.value.flatMap(PriceTick.init(json:)))
                #expect(text(record.key) == tick.ticker)
                // A ticker lives in one partition only.
                for (other, otherRecords) in prices where other != partition {
                    #expect(!otherRecords.contains { text($0.key) == tick.ticker })
                }
            }
        }

        let orders = try await allRecords(client, "orders")
        let binary = try #require(orders[0]?.first?.value)
        #expect(binary.contains(0x00) && binary.contains(0x1B) && binary.contains(0xFF))

        // The archiver: no members, committed a third of the way into each prices partition, so
        // its lag is the other two thirds and a reset can be tried (and undone) on it.
        let archiver = try await client.describeGroup(DemoData.archiveGroup)
        #expect(archiver.state == "Empty" && archiver.members.isEmpty)
        #expect(archiver.partitions.count == prices.count)
        for p in archiver.partitions {
            let high = Int64(prices[p.partition]?.count ?? 0)
            #expect(p.committedOffset == high / 3 && p.lag == high - high / 3, "\(p)")
        }
        #expect(archiver.totalLag > 0)

        // Seeding twice changes nothing.
        try await DemoData.seed(client: client)
        #expect(try await client.listTopics().map(\.messageCount).reduce(0, +) == 5 + 60 + 1)
        await client.close()
        try await broker.stop()
    }

    /// The live demo keeps prices and orders flowing, forms the three groups with 2, 1 and 3
    /// members (one order executor idle), lets the slow strategy lag behind the fast one, and
    /// leaves every group Empty once cancelled.
    @Test func liveDemoFormsTheGroupsAndStopsCleanly() async throws {
        let broker = try await TestBroker()
        defer { broker.removeData() }
        let client = broker.client()
        try await DemoData.seed(client: client)
        let live = Task { await DemoData.runLive(client: client, settings: quickSettings(), logger: quietLogger) }

        var settled: [String: DescribeGroupResponse] = [:]
        var lastSeen: [String: DescribeGroupResponse] = [:]
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            for (groupId, members) in DemoData.memberCounts {
                // The group does not exist until its first member joins.
                guard let group = try? await client.describeGroup(groupId) else { continue }
                lastSeen[groupId] = group
                if group.state == "Stable" && group.members.count == members
                    && group.members.allSatisfy({ !$0.assignment.isEmpty || groupId == DemoData.orderExecutionGroup })
                {
                    settled[groupId] = group
                }
            }
            if settled.count == 3 { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(settled.count == 3, "groups did not settle: \(lastSeen)")

        let execution = try #require(settled[DemoData.orderExecutionGroup])
        #expect(execution.members.count == 3)
        #expect(execution.members.filter { $0.assignment.isEmpty }.count == 1)
        #expect(execution.members.flatMap(\.assignment).map(\.partition).sorted() == [0, 1])
        let fast = try #require(settled[DemoData.fastStrategyGroup])
        #expect(fast.members.flatMap(\.assignment).map(\.partition).sorted() == [0, 1, 2])

        // Prices keep coming, the strategies place orders, and the slow one falls behind.
        var ordersWritten: Int64 = 0
        var lags: (fast: Int64, slow: Int64) = (0, 0)
        let later = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < later {
            let topics = try await client.listTopics()
            ordersWritten = topics.first { $0.name == "orders" }?.messageCount ?? 0
            lags = (
                try await client.describeGroup(DemoData.fastStrategyGroup).totalLag,
                try await client.describeGroup(DemoData.slowStrategyGroup).totalLag
            )
            if ordersWritten > 1 && lags.slow > lags.fast + 10 { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(ordersWritten > 1)
        #expect(lags.slow > lags.fast + 10, "lag fast \(lags.fast), slow \(lags.slow)")
        let prices = try await client.listTopics().first { $0.name == "prices" }?.messageCount ?? 0
        #expect(prices > 60)

        live.cancel()
        await live.value
        let groups = try await client.listGroups()
        for groupId in DemoData.memberCounts.keys {
            let group = try #require(groups.first { $0.groupId == groupId })
            #expect(group.state == "Empty", "\(groupId) is \(group.state)")
            #expect(group.memberCount == 0)
        }
        await client.close()
        try await broker.stop()
    }

    /// Prices are written as JSON and read back; money keeps two decimals.
    @Test func pricesRoundTripThroughJSON() throws {
        let tick = PriceTick(ticker: "NVDA", cents: 875_05, timestampMs: 1_700_000_000_123)
        #expect(tick.json == #"{"ticker":"NVDA","price":875.05,"ts":1700000000123}"#)
        #expect(PriceTick(json: Array(tick.json.utf8)) == tick)
        #expect(PriceTick(json: [0xFF, 0x00]) == nil)
        #expect(Money.cents("189.5") == 189_50)
        #expect(Money.cents("189") == 189_00)
        #expect(Money.format(cents: 7) == "0.07")
    }

    /// Momentum buys a rise and sells a fall; mean reversion does the opposite against the
    /// recent average.
    @Test func strategiesDecide() {
        var momentum = StrategyBehavior(kind: .momentum, member: 0, settings: DemoSettings())
        var reversion = StrategyBehavior(kind: .meanReversion, member: 0, settings: DemoSettings())
        let history = (0..<5).map { PriceTick(ticker: "AAPL", cents: 100_00, timestampMs: Int64($0)) }
        #expect(momentum.react(to: history).isEmpty)  // prices did not move
        #expect(reversion.react(to: history).isEmpty)
        let rise = PriceTick(ticker: "AAPL", cents: 101_00, timestampMs: 9)
        let fall = PriceTick(ticker: "AAPL", cents: 99_00, timestampMs: 9)
        #expect(momentum.decide(rise) == .buy)
        #expect(momentum.decide(fall) == .sell)
        #expect(reversion.decide(rise) == .sell)
        #expect(reversion.decide(fall) == .buy)
        #expect(momentum.decide(PriceTick(ticker: "MSFT", cents: 1, timestampMs: 0)) == nil)
        let orders = momentum.react(to: [rise])
        #expect(orders.map(\.side) == [.buy])
        #expect(
            orders.first?.json.hasPrefix(#"{"orderId":"abc-1-1","strategy":"abc","ticker":"AAPL","side":"BUY","#)
                == true)
    }

    /// The slow strategy alternates between slow and catching up.
    @Test func slowStrategyAlternatesPace() {
        var settings = DemoSettings()
        settings.slowPhase = .seconds(40)
        settings.catchUpPhase = .seconds(20)
        let slow = StrategyBehavior(kind: .meanReversion, member: 0, settings: settings)
        #expect(slow.pace(elapsed: .seconds(1)).maxRecords == 1)
        #expect(slow.pace(elapsed: .seconds(45)).maxRecords == settings.catchUpBatch)
        #expect(slow.pace(elapsed: .seconds(61)).maxRecords == 1)
        #expect(slow.pace(elapsed: .seconds(61)).pause == settings.slowRecordInterval)
    }
}
