import AdminClient
import AdminProtocol
import Logging

extension DemoData {
    /// Runs the live demo until the calling task is cancelled: a price feed on `prices`, the
    /// members of ``fastStrategyGroup`` and ``slowStrategyGroup`` turning prices into `orders`,
    /// and the members of ``orderExecutionGroup`` consuming `orders`.
    ///
    /// Each member is a ``GroupConsumer`` with a client of its own (as separate processes would
    /// be). Errors (a broker restarting, say) are logged and retried after
    /// ``DemoSettings/retryDelay``. On cancellation every consumer commits and leaves its group,
    /// so once this returns the groups are `Empty`.
    ///
    /// - Parameters:
    ///   - client: the client the price feed uses; also the address for the members' clients.
    ///   - settings: the pace.
    ///   - logger: where errors go (`group.id` and `client.id` metadata).
    ///   - makeClient: makes a member's client from its client name; by default a client for
    ///     `client`'s host, port and timeout.
    public static func runLive(
        client: AdminClient, settings: DemoSettings = DemoSettings(), logger: Logger = Logger(label: "skiff.demo"),
        makeClient: (@Sendable (_ clientName: String) -> AdminClient)? = nil
    ) async {
        let makeClient =
            makeClient ?? { [host = client.host, port = client.port, timeout = client.timeout] name in
                AdminClient(host: host, port: port, clientName: name, timeout: timeout)
            }
        await withDiscardingTaskGroup { group in
            group.addTask { await runPriceFeed(client: client, settings: settings, logger: logger) }
            let plans = [
                (fastStrategyGroup, pricesTopic), (slowStrategyGroup, pricesTopic), (orderExecutionGroup, ordersTopic),
            ]
            for (groupId, topic) in plans {
                for member in 0..<(memberCounts[groupId] ?? 1) {
                    let clientName = "\(groupId)-\(member + 1)"
                    let behavior = behavior(of: groupId, member: member, settings: settings)
                    group.addTask {
                        await runConsumer(
                            behavior, groupId: groupId, topic: topic, client: makeClient(clientName),
                            clientName: clientName, settings: settings, logger: logger)
                    }
                }
            }
        }
    }

    /// What a member of `groupId` does.
    static func behavior(of groupId: String, member: Int, settings: DemoSettings) -> any DemoConsumerBehavior {
        switch groupId {
        case fastStrategyGroup: StrategyBehavior(kind: .momentum, member: member, settings: settings)
        case slowStrategyGroup: StrategyBehavior(kind: .meanReversion, member: member, settings: settings)
        default: ExecutionBehavior(settings: settings)
        }
    }

    /// Writes a price every ``DemoSettings/priceInterval``, continuing from the last prices in
    /// the topic so a restarted feed does not jump.
    static func runPriceFeed(client: AdminClient, settings: DemoSettings, logger: Logger) async {
        var market = Market()
        do {
            market = try await Market(resumingFrom: lastPrices(client: client))
        } catch {
            logger.warning("cannot read the last prices, starting afresh: \(error)", metadata: ["topic.name": "prices"])
        }
        while !Task.isCancelled {
            var pause = settings.priceInterval
            do {
                _ = try await client.produce(
                    topic: pricesTopic, records: [market.tick(at: DemoClock.nowMilliseconds()).record])
            } catch {
                logger.warning("cannot write a price: \(error)", metadata: ["topic.name": "prices"])
                pause = settings.retryDelay
            }
            do { try await Task.sleep(for: pause) } catch { break }
        }
    }

    /// The newest price of each ticker found in the last records of every `prices` partition.
    static func lastPrices(client: AdminClient) async throws(AdminClientError) -> [PriceTick] {
        let description = try await client.describeTopic(pricesTopic)
        var ticks: [PriceTick] = []
        for partition in description.partitions {
            let response = try await client.fetch(
                topic: pricesTopic, partition: partition.partition, from: .lastN(50), maxRecords: 50)
            ticks += response.records.compactMap { $0.value.flatMap(PriceTick.init(json:)) }
        }
        return ticks
    }

    /// Polls as `behavior` paces it until cancelled, then commits and leaves the group.
    static func runConsumer(
        _ behavior: any DemoConsumerBehavior, groupId: String, topic: String, client: AdminClient, clientName: String,
        settings: DemoSettings, logger: Logger
    ) async {
        var behavior = behavior
        let consumer = GroupConsumer(
            client: client, groupId: groupId, topics: [topic], clientId: clientName, autoOffsetReset: .earliest,
            sessionTimeoutMs: settings.sessionTimeoutMs, heartbeatInterval: settings.heartbeatInterval)
        let start = ContinuousClock.now
        while !Task.isCancelled {
            var pace = behavior.pace(elapsed: .now - start)
            do {
                let records = try await consumer.poll(maxRecords: pace.maxRecords)
                try await behavior.handle(records, client: client)
            } catch {
                logger.warning(
                    "demo consumer failed, retrying: \(error)",
                    metadata: ["group.id": "\(groupId)", "client.id": "\(clientName)"])
                pace.pause = settings.retryDelay
            }
            do { try await Task.sleep(for: pace.pause) } catch { break }
        }
        await consumer.close()
        await client.close()
    }
}

/// What one demo consumer does with its records and how fast it goes.
protocol DemoConsumerBehavior: Sendable {
    /// The most records the next poll may return and how long to wait after it, `elapsed` after
    /// the consumer started.
    func pace(elapsed: Duration) -> (maxRecords: Int32, pause: Duration)
    /// Acts on polled records (possibly none).
    mutating func handle(_ records: [ConsumedRecord], client: AdminClient) async throws(AdminClientError)
}

/// A trading strategy: reads prices, places orders.
struct StrategyBehavior: DemoConsumerBehavior {
    enum Kind: String, Sendable {
        /// Buys what just rose, sells what just fell; keeps up with the feed.
        case momentum = "abc"
        /// Buys below the recent average, sells above it; deliberately slow.
        case meanReversion = "xyz"
    }

    let kind: Kind
    let member: Int
    let settings: DemoSettings
    private var recent: [String: [Int]] = [:]
    private var placed = 0

    init(kind: Kind, member: Int, settings: DemoSettings) {
        self.kind = kind
        self.member = member
        self.settings = settings
    }

    func pace(elapsed: Duration) -> (maxRecords: Int32, pause: Duration) {
        switch kind {
        case .momentum:
            return (500, settings.fastPollInterval)
        case .meanReversion:
            let cycle = (settings.slowPhase + settings.catchUpPhase).milliseconds
            let intoCycle = cycle > 0 ? elapsed.milliseconds % cycle : 0
            if intoCycle < settings.slowPhase.milliseconds { return (1, settings.slowRecordInterval) }
            return (settings.catchUpBatch, settings.fastPollInterval)
        }
    }

    mutating func handle(_ records: [ConsumedRecord], client: AdminClient) async throws(AdminClientError) {
        let orders = react(to: records.compactMap { $0.record.value.flatMap(PriceTick.init(json:)) })
        if !orders.isEmpty {
            _ = try await client.produce(topic: DemoData.ordersTopic, records: orders.map(\.record))
        }
    }

    /// The orders placed on seeing `ticks`, remembering them as recent prices.
    mutating func react(to ticks: [PriceTick]) -> [DemoOrder] {
        var orders: [DemoOrder] = []
        for tick in ticks {
            if let side = decide(tick) {
                placed += 1
                orders.append(
                    DemoOrder(
                        orderId: "\(kind.rawValue)-\(member + 1)-\(placed)", strategy: kind.rawValue,
                        ticker: tick.ticker, side: side, quantity: 10 * Int.random(in: 1...10), cents: tick.cents,
                        timestampMs: DemoClock.nowMilliseconds()))
            }
            recent[tick.ticker, default: []].append(tick.cents)
            if recent[tick.ticker]!.count > 5 { recent[tick.ticker]!.removeFirst() }
        }
        return orders
    }

    /// BUY, SELL or nothing for a new price, given the recent prices of its ticker.
    func decide(_ tick: PriceTick) -> DemoOrder.Side? {
        guard let history = recent[tick.ticker], let last = history.last, last > 0 else { return nil }
        switch kind {
        case .momentum:
            let basisPoints = (tick.cents - last) * 10_000 / last
            if basisPoints >= 50 { return .buy }
            if basisPoints <= -50 { return .sell }
        case .meanReversion:
            guard history.count >= 3 else { return nil }
            let average = history.reduce(0, +) / history.count
            let basisPoints = (tick.cents - average) * 10_000 / max(1, average)
            if basisPoints <= -50 { return .buy }
            if basisPoints >= 50 { return .sell }
        }
        return nil
    }
}

/// An order executor: consumes orders (and does nothing else with them).
struct ExecutionBehavior: DemoConsumerBehavior {
    let settings: DemoSettings

    func pace(elapsed: Duration) -> (maxRecords: Int32, pause: Duration) {
        (200, settings.fastPollInterval)
    }

    mutating func handle(_ records: [ConsumedRecord], client: AdminClient) async throws(AdminClientError) {}
}

/// An order as the strategies write it to `orders`.
struct DemoOrder: Hashable, Sendable {
    enum Side: String, Sendable {
        case buy = "BUY"
        case sell = "SELL"
    }

    var orderId: String
    var strategy: String
    var ticker: String
    var side: Side
    var quantity: Int
    var cents: Int
    var timestampMs: Int64

    var json: String {
        #"{"orderId":"\#(orderId)","strategy":"\#(strategy)","ticker":"\#(ticker)","side":"\#(side.rawValue)","#
            + #""quantity":\#(quantity),"price":\#(Money.format(cents: cents)),"ts":\#(timestampMs)}"#
    }

    /// Keyed by order id (spreading orders over both partitions), with a `strategy` header.
    var record: ProduceRecord {
        ProduceRecord(
            key: Array(orderId.utf8), value: Array(json.utf8),
            headers: [HeaderData(key: "strategy", value: Array(strategy.utf8))], timestampMs: timestampMs)
    }
}

extension Market {
    /// A market whose prices continue from the newest of `ticks` for each ticker.
    init(resumingFrom ticks: [PriceTick]) {
        self.init()
        for tick in ticks.sorted(by: { $0.timestampMs < $1.timestampMs }) {
            set(tick.ticker, cents: tick.cents)
        }
    }
}

extension Duration {
    /// Whole milliseconds.
    var milliseconds: Int64 {
        components.seconds * 1_000 + components.attoseconds / 1_000_000_000_000_000
    }
}
