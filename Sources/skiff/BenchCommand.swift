import AdminClient
import AdminProtocol
import ArgumentParser
import Foundation
import Histogram
import Synchronization

/// `skiff bench produce|consume|roundtrip|seek|connections`: load generators against a running broker, in the
/// spirit of Kafka's producer-perf-test. Each prints records/s, MB/s (10^6 bytes of record values
/// per second) and the latency percentiles of its requests (an HDR histogram).
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure the broker: produce and consume throughput, round-trip and seek latency, many connections.",
        discussion: """
            Without --topic each benchmark creates a fresh topic skiff-bench-<random> and deletes it at \
            the end (unless --keep). Latency is measured per request, from send to response.
            """,
        subcommands: [
            BenchProduce.self, BenchConsume.self, BenchRoundtrip.self, BenchSeek.self, BenchConnections.self,
            BenchTopics.self,
        ])
}

/// The options every benchmark shares.
struct BenchOptions: ParsableArguments {
    @OptionGroup var client: ClientOptions

    @Option(help: "Bytes in each record's value.")
    var recordSize = 100

    @Option(help: "Records to write (produce, and the fill of consume and seek) or requests (roundtrip).")
    var count: Int?

    @Option(help: "Records per Produce request.")
    var batchSize = 1_000

    @Option(help: "Partitions of the topic the benchmark creates.")
    var partitions: Int32 = 1

    @Option(help: "Parallel clients, each with its own connection.")
    var connections = 1

    @Option(
        help: ArgumentHelp(
            "Requests each connection keeps in flight (produce and consume; Kafka's producer default is 5).",
            valueName: "n"))
    var inFlight = 5

    @Option(help: "Use this existing topic instead of creating one (it is never deleted).")
    var topic: String?

    @Option(
        name: .customLong("config"),
        help: ArgumentHelp("A config of the topic the benchmark creates; repeatable.", valueName: "key=value"),
        transform: { try KeyValue.parse($0) })
    var configs: [KeyValue] = []

    @Flag(help: "Keep the topic the benchmark created.")
    var keep = false

    func validate() throws {
        guard recordSize >= 0 else { throw ValidationError("--record-size must be 0 or more") }
        if let count, count < 1 { throw ValidationError("--count must be 1 or more") }
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be 1 or more") }
        guard partitions >= 1 else { throw ValidationError("--partitions must be 1 or more") }
        guard connections >= 1 else { throw ValidationError("--connections must be 1 or more") }
        guard inFlight >= 1 else { throw ValidationError("--in-flight must be 1 or more") }
        if topic != nil && !configs.isEmpty {
            throw ValidationError("--config applies to a topic the benchmark creates; it cannot be used with --topic")
        }
        _ = try KeyValue.dictionary(configs, option: "--config")
    }

    /// A client for the broker (one per connection).
    func makeClient() throws -> AdminClient {
        let (host, port) = AdminClient.parseAddress(client.brokerAddress)!
        let token = try ClientToken.resolve(file: client.authTokenFile)
        return AdminClient(host: host, port: port, clientName: "skiff-bench", authToken: token)
    }

    /// Runs `body` with the topic to use (created unless --topic) and its partition count; deletes a
    /// created topic afterwards unless --keep.
    func withTopic<T>(
        _ admin: AdminClient, _ body: (String, Int32, _ created: Bool) async throws -> T
    ) async throws -> T {
        if let topic {
            let described = try await admin.describeTopic(topic)
            return try await body(topic, Int32(described.partitions.count), false)
        }
        let name = "skiff-bench-" + String(UInt32.random(in: 0...UInt32.max), radix: 16)
        try await admin.createTopic(
            name, partitions: partitions, config: try KeyValue.dictionary(configs, option: "--config"))
        do {
            let result = try await body(name, partitions, true)
            if !keep { try await admin.deleteTopic(name) }
            return result
        } catch {
            if !keep { try? await admin.deleteTopic(name) }
            throw error
        }
    }

    /// Runs `body` once per connection, each with its own client, in parallel; closes the clients.
    func onConnections<R: Sendable>(
        _ body: @escaping @Sendable (Int, AdminClient) async throws -> R
    ) async throws
        -> [R]
    {
        let clients = try (0..<connections).map { _ in try makeClient() }
        do {
            let results = try await withThrowingTaskGroup(of: R.self) { group in
                for (index, client) in clients.enumerated() {
                    group.addTask { try await body(index, client) }
                }
                var results: [R] = []
                for try await result in group { results.append(result) }
                return results
            }
            for client in clients { await client.close() }
            return results
        } catch {
            for client in clients { await client.close() }
            throw error
        }
    }

    /// A batch of `size` records for `partition`, each with a `recordSize`-byte value.
    func batch(_ size: Int, partition: Int32) -> [ProduceRecord] {
        let value = [UInt8](repeating: UInt8(ascii: "x"), count: recordSize)
        return [ProduceRecord](repeating: ProduceRecord(partition: partition, key: nil, value: value), count: size)
    }

    /// Runs `body` `inFlight` times at once on `client` (requests pipelined on its one
    /// connection, answered in order by the broker); returns the results.
    func pipelined<R: Sendable>(
        _ client: AdminClient, _ body: @escaping @Sendable () async throws -> R
    ) async throws -> [R] {
        try await withThrowingTaskGroup(of: R.self) { group in
            for _ in 0..<inFlight { group.addTask { try await body() } }
            var results: [R] = []
            for try await result in group { results.append(result) }
            return results
        }
    }

    /// Writes `count` records to `topic` over all connections, batches going round-robin over the
    /// partitions, `inFlight` requests at a time per connection; returns the per-request latency
    /// histogram.
    func produce(count: Int, topic: String, partitions: Int32) async throws -> LatencyTally {
        try await produce(count: count, topic: topic, partitions: partitions, errors: nil).tally
    }

    /// ``produce(count:topic:partitions:)`` that, given `errors`, counts a failed request there and
    /// goes on instead of throwing; returns the records acknowledged and the latency histogram.
    func produce(
        count: Int, topic: String, partitions: Int32, errors: ErrorTally?
    ) async throws -> (records: Int, tally: LatencyTally) {
        let requests = (count + batchSize - 1) / batchSize
        let next = RequestCounter()
        let batches = (0..<partitions).map { batch(batchSize, partition: $0) }
        let lastSize = count - (requests - 1) * batchSize
        let lastBatches = (0..<partitions).map { batch(lastSize, partition: $0) }
        let perWorker = try await onConnections { _, client in
            try await pipelined(client) {
                var tally = LatencyTally()
                var acknowledged = 0
                while true {
                    let index = next.take()
                    guard index < requests else { break }
                    let partition = Int(Int32(index % Int(partitions)))
                    let records = index == requests - 1 ? lastBatches[partition] : batches[partition]
                    let start = ContinuousClock.now
                    let results: [ProducedOffset]
                    do {
                        results = try await client.produce(topic: topic, records: records)
                    } catch {
                        guard let errors else { throw error }
                        errors.record("produce: \(error)")
                        continue
                    }
                    tally.record(since: start)
                    acknowledged += results.count
                    if results.count != records.count {
                        let message = "the broker acknowledged \(results.count) of \(records.count) records"
                        guard let errors else { throw CLIError(message) }
                        errors.record(message)
                    }
                }
                return (tally, acknowledged)
            }
        }.flatMap { $0 }
        return (perWorker.reduce(0) { $0 + $1.1 }, LatencyTally.merged(perWorker.map(\.0)))
    }
}

/// Offsets `from..<to` of one partition, read by the consume benchmark.
struct FetchRange: Sendable {
    var partition: Int32
    var from: Int64
    var to: Int64
}

/// Hands out request numbers to the connections.
final class RequestCounter: Sendable {
    private let next = Atomic<Int>(0)

    /// The next number, from 0.
    func take() -> Int { next.add(1, ordering: .relaxed).oldValue }
}

/// A latency histogram in nanoseconds plus a request count.
struct LatencyTally: Sendable {
    var histogram = Histogram<UInt64>(numberOfSignificantValueDigits: .three)
    var requests = 0

    mutating func record(since start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        let (seconds, attoseconds) = elapsed.components
        let nanos = max(1, UInt64(seconds) * 1_000_000_000 + UInt64(attoseconds / 1_000_000_000))
        _ = histogram.record(nanos)
        requests += 1
    }

    static func merged(_ tallies: [LatencyTally]) -> LatencyTally {
        var total = LatencyTally()
        for tally in tallies {
            total.histogram.add(tally.histogram)
            total.requests += tally.requests
        }
        return total
    }

    /// The percentiles in microseconds.
    var latency: BenchResult.Latency {
        func micros(_ nanos: UInt64) -> Double { (Double(nanos) / 1_000).rounded(toPlaces: 1) }
        return BenchResult.Latency(
            p50: micros(histogram.valueAtPercentile(50)), p99: micros(histogram.valueAtPercentile(99)),
            p999: micros(histogram.valueAtPercentile(99.9)), max: micros(histogram.max),
            mean: (histogram.mean / 1_000).rounded(toPlaces: 1))
    }
}

extension Double {
    fileprivate func rounded(toPlaces places: Int) -> Double {
        let scale = Foundation.pow(10, Double(places))
        return (self * scale).rounded() / scale
    }
}

/// What a benchmark measured (the `--json` output).
struct BenchResult: Encodable {
    struct Latency: Encodable {
        var p50: Double
        var p99: Double
        var p999: Double
        var max: Double
        var mean: Double
    }

    var benchmark: String
    var topic: String
    var partitions: Int32
    var connections: Int
    /// Requests in flight per connection (produce and consume; the others send one at a time).
    var inFlight: Int
    var recordSize: Int
    var batchSize: Int?
    var records: Int
    var requests: Int
    var seconds: Double
    var recordsPerSecond: Double
    var mbPerSecond: Double
    /// Per request, in microseconds.
    var latencyMicros: Latency
    /// Records in the partition that seek fetched from.
    var partitionRecords: Int64?

    init(
        benchmark: String, topic: String, options: BenchOptions, partitions: Int32, batchSize: Int?, records: Int,
        bytes: Int, elapsed: Duration, tally: LatencyTally, partitionRecords: Int64? = nil
    ) {
        self.benchmark = benchmark
        self.topic = topic
        self.partitions = partitions
        self.connections = options.connections
        self.inFlight = benchmark == "produce" || benchmark == "consume" ? options.inFlight : 1
        self.recordSize = options.recordSize
        self.batchSize = batchSize
        self.records = records
        self.requests = tally.requests
        let (s, atto) = elapsed.components
        let seconds = max(Double(s) + Double(atto) / 1e18, 1e-9)
        self.seconds = seconds.rounded(toPlaces: 3)
        self.recordsPerSecond = (Double(records) / seconds).rounded()
        self.mbPerSecond = (Double(bytes) / seconds / 1e6).rounded(toPlaces: 1)
        self.latencyMicros = tally.latency
        self.partitionRecords = partitionRecords
    }

    func print(json: Bool) throws {
        if json {
            try JSON.print(self)
            return
        }
        var head = "\(benchmark): \(records) records of \(recordSize) B in \(seconds) s, topic \(topic) "
        head += "(\(partitions) partition\(partitions == 1 ? "" : "s"), \(connections) connection"
        head += connections == 1 ? "" : "s"
        if inFlight > 1 { head += ", \(inFlight) requests in flight each" }
        if let batchSize { head += ", batches of \(batchSize)" }
        if let partitionRecords { head += ", \(partitionRecords) records in the partition" }
        head += ")"
        Console.line(head)
        Console.line("  \(Int(recordsPerSecond)) records/s, \(mbPerSecond) MB/s, \(requests) requests")
        let l = latencyMicros
        Console.line("  latency µs: p50 \(l.p50)  p99 \(l.p99)  p99.9 \(l.p999)  max \(l.max)  mean \(l.mean)")
    }
}

/// `skiff bench produce`.
struct BenchProduce: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "produce", abstract: "Produce throughput: --count records in batches of --batch-size.")

    @OptionGroup var options: BenchOptions

    mutating func run() async throws {
        let options = self.options
        let count = options.count ?? 1_000_000
        let admin = try options.makeClient()
        let result = try await options.withTopic(admin) { topic, partitions, _ in
            let start = ContinuousClock.now
            let tally = try await options.produce(count: count, topic: topic, partitions: partitions)
            return BenchResult(
                benchmark: "produce", topic: topic, options: options, partitions: partitions,
                batchSize: options.batchSize, records: count, bytes: count * options.recordSize,
                elapsed: ContinuousClock.now - start, tally: tally)
        }
        await admin.close()
        try result.print(json: options.client.json)
    }
}

/// `skiff bench consume`.
struct BenchConsume: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consume",
        abstract: "Consume throughput: fills a fresh topic with --count records (or reads --topic), then reads it all.")

    @OptionGroup var options: BenchOptions

    @Option(help: "Records per Fetch request (the broker allows up to 10000).")
    var fetchRecords: Int32 = 10_000

    mutating func run() async throws {
        let options = self.options
        let fetchRecords = self.fetchRecords
        let admin = try options.makeClient()
        let result = try await options.withTopic(admin) { topic, partitions, created in
            if created {
                _ = try await options.produce(count: options.count ?? 1_000_000, topic: topic, partitions: partitions)
            }
            let described = try await admin.describeTopic(topic)
            let ends = described.partitions.map { ($0.partition, $0.logStartOffset, $0.highWatermark) }
            // The offsets to read, cut into ranges of --fetch-records (what one Fetch returns), each
            // range read by one request (more when the broker returns less). Partitions are dealt
            // to the connections round-robin; a connection's --in-flight workers take its ranges in
            // order, so a consumer's fetch-ahead is modelled without reading anything twice.
            var ranges: [[FetchRange]] = Array(repeating: [], count: options.connections)
            for (i, (partition, low, high)) in ends.enumerated() {
                var from = low
                while from < high {
                    let to = min(from + Int64(fetchRecords), high)
                    ranges[i % options.connections].append(FetchRange(partition: partition, from: from, to: to))
                    from = to
                }
            }
            let start = ContinuousClock.now
            let dealt = ranges
            let perConnection = try await options.onConnections { index, client in
                let mine = dealt[index]
                let next = RequestCounter()
                let perWorker = try await options.pipelined(client) {
                    var tally = LatencyTally()
                    var records = 0
                    var bytes = 0
                    while true {
                        let taken = next.take()
                        guard taken < mine.count else { break }
                        let range = mine[taken]
                        var offset = range.from
                        while offset < range.to {
                            let begin = ContinuousClock.now
                            let response = try await client.fetch(
                                topic: topic, partition: range.partition, from: .offset(offset),
                                maxRecords: Int32(range.to - offset), maxBytes: 8 << 20)
                            tally.record(since: begin)
                            guard let last = response.records.last else { break }
                            for record in response.records where record.offset < range.to {
                                records += 1
                                bytes += record.value?.count ?? 0
                            }
                            offset = last.offset + 1
                        }
                    }
                    return (tally, records, bytes)
                }
                return (
                    LatencyTally.merged(perWorker.map(\.0)), perWorker.reduce(0) { $0 + $1.1 },
                    perWorker.reduce(0) { $0 + $1.2 }
                )
            }
            let records = perConnection.reduce(0) { $0 + $1.1 }
            let expected = ends.reduce(0) { $0 + Int($1.2 - $1.1) }
            guard records == expected else {
                throw CLIError("read \(records) records, the partitions hold \(expected)")
            }
            return BenchResult(
                benchmark: "consume", topic: topic, options: options, partitions: partitions, batchSize: nil,
                records: records, bytes: perConnection.reduce(0) { $0 + $1.2 },
                elapsed: ContinuousClock.now - start, tally: LatencyTally.merged(perConnection.map(\.0)))
        }
        await admin.close()
        try result.print(json: options.client.json)
    }
}

/// `skiff bench roundtrip`.
struct BenchRoundtrip: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "roundtrip",
        abstract: "One-record produce latency: --count sequential requests (default 10000) after a warm-up.")

    @OptionGroup var options: BenchOptions

    @Option(help: "Requests sent first and not measured.")
    var warmup = 1_000

    mutating func run() async throws {
        let options = self.options
        let (count, warmup) = (options.count ?? 10_000, self.warmup)
        let admin = try options.makeClient()
        let result = try await options.withTopic(admin) { topic, partitions, _ in
            let perConnection = try await options.onConnections { index, client in
                let record = options.batch(1, partition: Int32(index % Int(partitions)))
                for _ in 0..<warmup { _ = try await client.produce(topic: topic, records: record) }
                var tally = LatencyTally()
                let start = ContinuousClock.now
                for _ in 0..<count {
                    let begin = ContinuousClock.now
                    _ = try await client.produce(topic: topic, records: record)
                    tally.record(since: begin)
                }
                return (tally, ContinuousClock.now - start)
            }
            let elapsed = perConnection.map(\.1).max() ?? .zero
            let records = count * options.connections
            return BenchResult(
                benchmark: "roundtrip", topic: topic, options: options, partitions: partitions, batchSize: 1,
                records: records, bytes: records * options.recordSize, elapsed: elapsed,
                tally: LatencyTally.merged(perConnection.map(\.0)))
        }
        await admin.close()
        try result.print(json: options.client.json)
    }
}

/// `skiff bench seek`.
struct BenchSeek: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seek",
        abstract:
            "Random-offset fetch latency: fills partition 0 with --count records (or uses --topic), then fetches 1 record at random offsets."
    )

    @OptionGroup var options: BenchOptions

    @Option(help: "Fetches measured (per connection).")
    var fetches = 10_000

    @Option(help: "Fetches sent first and not measured.")
    var warmup = 200

    mutating func run() async throws {
        var options = self.options
        if options.topic == nil { options.partitions = 1 }
        let (fetches, warmup) = (self.fetches, self.warmup)
        let admin = try options.makeClient()
        let frozen = options
        let result = try await frozen.withTopic(admin) { topic, partitions, created in
            if created { _ = try await frozen.produce(count: frozen.count ?? 1_000_000, topic: topic, partitions: 1) }
            let described = try await admin.describeTopic(topic)
            guard let p0 = described.partitions.first(where: { $0.partition == 0 }),
                p0.highWatermark > p0.logStartOffset
            else { throw CLIError("partition 0 of \(topic) holds no records") }
            let (low, high) = (p0.logStartOffset, p0.highWatermark)
            let start = ContinuousClock.now
            let perConnection = try await frozen.onConnections { _, client in
                var tally = LatencyTally()
                var bytes = 0
                for i in 0..<(warmup + fetches) {
                    let offset = Int64.random(in: low..<high)
                    let begin = ContinuousClock.now
                    let response = try await client.fetch(
                        topic: topic, partition: 0, from: .offset(offset), maxRecords: 1, maxBytes: 1 << 20)
                    guard i >= warmup else { continue }
                    tally.record(since: begin)
                    guard response.records.first?.offset == offset else {
                        throw CLIError("a fetch at offset \(offset) returned \(response.records.first?.offset ?? -1)")
                    }
                    bytes += response.records.first?.value?.count ?? 0
                }
                return (tally, bytes)
            }
            let records = fetches * frozen.connections
            return BenchResult(
                benchmark: "seek", topic: topic, options: frozen, partitions: partitions, batchSize: nil,
                records: records, bytes: perConnection.reduce(0) { $0 + $1.1 },
                elapsed: ContinuousClock.now - start, tally: LatencyTally.merged(perConnection.map(\.0)),
                partitionRecords: high - low)
        }
        await admin.close()
        try result.print(json: frozen.client.json)
    }
}
