import Foundation
import Testing

/// `skiff bench`: behaviour only (it runs, reports sane numbers, cleans up), never speed.
@Suite struct BenchTests {
    struct BenchJSON: Decodable {
        struct Latency: Decodable {
            var p50: Double
            var p99: Double
            var p999: Double
            var max: Double
        }
        var benchmark: String
        var topic: String
        var records: Int
        var requests: Int
        var recordsPerSecond: Double
        var latencyMicros: Latency
    }

    /// `bench produce --json` writes every record, reports ordered percentiles and deletes its topic.
    @Test func produceReportsRecordsAndOrderedPercentiles() async throws {
        try await withBroker { broker in
            let result = try await broker.ok(["bench", "produce", "--count", "2000", "--batch-size", "100", "--json"])
            let bench = try result.json(BenchJSON.self)
            #expect(bench.benchmark == "produce")
            #expect(bench.records == 2000)
            #expect(bench.requests == 20)
            #expect(bench.recordsPerSecond > 0)
            let l = bench.latencyMicros
            #expect(l.p50 > 0)
            #expect(l.p50 <= l.p99 && l.p99 <= l.p999 && l.p999 <= l.max, "\(result.stdout)")
            #expect(bench.topic.hasPrefix("skiff-bench-"))
            let topics = try await broker.ok(["topic", "list", "--json"]).json([TopicListingJSON].self)
            #expect(!topics.contains { $0.name == bench.topic }, "the benchmark's topic was not deleted")
        }
    }

    /// `bench consume` with several fetches in flight on several connections reads every record
    /// exactly once (it checks the count against the partitions and fails otherwise), including
    /// a last range shorter than one fetch; `bench produce` with requests in flight writes every record.
    @Test func pipelinedConsumeReadsEveryRecordOnce() async throws {
        try await withBroker { broker in
            let produce = try await broker.ok([
                "bench", "produce", "--count", "2345", "--batch-size", "100", "--partitions", "3", "--connections", "2",
                "--in-flight", "4", "--keep", "--json",
            ])
            let produced = try produce.json(BenchJSON.self)
            #expect(produced.records == 2345)
            let topic = try await broker.ok(["topic", "describe", produced.topic, "--json"]).json(TopicJSON.self)
            #expect(topic.partitions.map(\.highWatermark).reduce(0, +) == 2345)
            let consume = try await broker.ok([
                "bench", "consume", "--topic", produced.topic, "--fetch-records", "70", "--connections", "2",
                "--in-flight", "3", "--json",
            ])
            #expect(try consume.json(BenchJSON.self).records == 2345)
        }
    }

    /// `bench seek` fetches from a partition it fills, and `--keep` leaves the topic with its records.
    @Test func seekFillsThePartitionAndKeepsItOnRequest() async throws {
        try await withBroker { broker in
            let result = try await broker.ok([
                "bench", "seek", "--count", "500", "--fetches", "50", "--warmup", "5", "--keep", "--json",
            ])
            let bench = try result.json(BenchJSON.self)
            #expect(bench.records == 50)
            #expect(bench.latencyMicros.p50 <= bench.latencyMicros.max)
            let topic = try await broker.ok(["topic", "describe", bench.topic, "--json"]).json(TopicJSON.self)
            #expect(topic.partitions.map(\.highWatermark) == [500])
        }
    }

    struct ConnectionsJSON: Decodable {
        var benchmark: String
        var topic: String
        var partitions: Int32
        var idleConnections: Int
        var idleOpened: Int
        var idleAlive: Int
        var producers: Int
        var records: Int
        var requests: Int
        var latencyMicros: BenchJSON.Latency
        var probeRequests: Int
        var probeLatencyMicros: BenchJSON.Latency
        var errors: Int
        var firstError: String?
    }

    /// `bench connections`: idle connections stay open while producers write every record, with
    /// no errors, and the topic holds exactly what was produced.
    @Test func connectionsKeepsIdleConnectionsAndWritesEveryRecord() async throws {
        try await withBroker { broker in
            let result = try await broker.ok([
                "bench", "connections", "--idle", "50", "--producers", "5", "--count", "5000", "--batch-size", "100",
                "--partitions", "4", "--keep", "--json",
            ])
            let bench = try result.json(ConnectionsJSON.self)
            #expect(bench.benchmark == "connections")
            #expect(bench.errors == 0, "\(bench.firstError ?? "")")
            #expect(bench.firstError == nil)
            #expect(bench.idleConnections == 50 && bench.idleOpened == 50 && bench.idleAlive == 50)
            #expect(bench.producers == 5)
            #expect(bench.records == 5000)
            #expect(bench.requests == 50)
            #expect(bench.probeRequests >= 1)
            let l = bench.latencyMicros
            #expect(l.p50 <= l.p99 && l.p99 <= l.p999 && l.p999 <= l.max, "\(result.stdout)")
            #expect(bench.probeLatencyMicros.p50 <= bench.probeLatencyMicros.max)
            // 5,000 produced plus the one record the probe fetches.
            let topic = try await broker.ok(["topic", "describe", bench.topic, "--json"]).json(TopicJSON.self)
            #expect(topic.partitions.count == 4)
            #expect(topic.partitions.map(\.highWatermark).reduce(0, +) == 5001)
        }
    }
}
